using System.Globalization;
using SchedCP.Agents.Runtime.Orchestration.Dags;

namespace SchedCP.Agents.Runtime.Orchestration.Resources;

/// <summary>
/// A simulated cloud of one instance type: up to <see cref="MaxInstances"/> instances on spot or on-demand
/// pricing, each taking <see cref="CloudInstanceType.SpinUp"/> to start. Tasks with the same batch key share an
/// instance (and its spin-up); others get their own. Instances are billed per instance-hour from launch: a task
/// opening one pays spin-up plus its run; a task joining one pays only the time it adds beyond what is already paid. <see cref="Interrupt"/> simulates a spot reclaim. This is a
/// simulation plug-in: it provisions nothing.
/// </summary>
public sealed class SimulatedCloudPool : IInterruptiblePool
{
    private readonly List<Instance> _instances = [];
    private readonly decimal _spinUpHours;
    private int _launched;

    /// <summary>Creates a pool.</summary>
    /// <param name="id">Its id.</param>
    /// <param name="type">The instance type.</param>
    /// <param name="maxInstances">Most instances alive at once.</param>
    public SimulatedCloudPool(string id, CloudInstanceType type, int maxInstances)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxInstances);
        Id = id;
        Type = type;
        MaxInstances = maxInstances;
        _spinUpHours = (decimal)type.SpinUp.TotalHours;
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public ResourceKind Kind => ResourceKind.Cloud;

    /// <summary>The instance type.</summary>
    public CloudInstanceType Type { get; }

    /// <summary>Most instances alive at once.</summary>
    public int MaxInstances { get; }

    /// <summary>Whether spot capacity can be had now (set false to simulate a spot shortage).</summary>
    public bool SpotAvailable { get; set; } = true;

    /// <summary>Instances alive now.</summary>
    public int InstanceCount => _instances.Count;

    /// <inheritdoc />
    public int Quote(TaskSpec task, TaskEstimate estimate, DateTimeOffset now, Span<ResourceOffer> offers)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(estimate);
        var r = task.Requirements;
        if (r.Cpu > Type.Cpu || r.MemoryGb > Type.MemoryGb)
        {
            return 0;
        }

        var count = 0;
        if (QuoteFor(Pricing.OnDemand, Type.OnDemandPerHour, task, estimate, now, out var onDemand))
        {
            offers[count++] = onDemand;
        }

        if (Type.SpotPerHour is { } spot && SpotAvailable && QuoteFor(Pricing.Spot, spot, task, estimate, now, out var spotOffer))
        {
            offers[count++] = spotOffer;
        }

        return count;
    }

    /// <inheritdoc />
    public ResourceClaim Reserve(TaskSpec task, in ResourceOffer offer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(task);
        Instance instance;
        if (offer.Slot >= 0)
        {
            instance = _instances[offer.Slot];
        }
        else
        {
            _launched++;
            instance = new Instance(Id + "/i-" + _launched.ToString(CultureInfo.InvariantCulture), offer.Pricing, Type.Cpu, Type.MemoryGb, now + Type.SpinUp, task.BatchKey);
            _instances.Add(instance);
        }

        var finish = (instance.ReadyAt > now ? instance.ReadyAt : now) + offer.Duration;
        if (finish > instance.PaidUntil)
        {
            instance.PaidUntil = finish;
        }

        instance.FreeCpu -= task.Requirements.Cpu;
        instance.FreeMemoryGb -= task.Requirements.MemoryGb;
        instance.Tasks++;
        var startAt = instance.ReadyAt > now ? instance.ReadyAt : now;
        return new ResourceClaim(Id, instance.Id, offer.Pricing, startAt, offer.Duration, offer.Cost);
    }

    /// <inheritdoc />
    public void Release(ResourceClaim claim, TaskSpec task, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(task);
        var i = _instances.FindIndex(x => string.Equals(x.Id, claim.InstanceId, StringComparison.Ordinal));
        if (i < 0)
        {
            return; // interrupted: the instance is already gone
        }

        var instance = _instances[i];
        instance.FreeCpu += task.Requirements.Cpu;
        instance.FreeMemoryGb += task.Requirements.MemoryGb;
        if (--instance.Tasks == 0)
        {
            _instances.RemoveAt(i); // stop paying for an idle instance
        }
    }

    /// <summary>Simulates the provider reclaiming an instance: it disappears with every task on it.</summary>
    /// <param name="instanceId">The instance (<see cref="ResourceClaim.InstanceId"/>).</param>
    /// <returns>Whether the instance existed.</returns>
    public bool Interrupt(string instanceId) =>
        _instances.RemoveAll(x => string.Equals(x.Id, instanceId, StringComparison.Ordinal)) > 0;

    /// <summary>Ids of live instances with their pricing.</summary>
    /// <returns>The instances.</returns>
    public IReadOnlyList<(string InstanceId, Pricing Pricing)> Instances() => [.. _instances.Select(i => (i.Id, i.Pricing))];

    /// <inheritdoc />
    public ResourceAvailability Availability(DateTimeOffset now) =>
        new(Id, Kind, MaxInstances - _instances.Count, MaxInstances, "instances of " + Type.Name, Type.OnDemandPerHour, SpotAvailable ? Type.SpotPerHour : null,
            SpotAvailable ? null : "spot capacity unavailable");

    private bool QuoteFor(Pricing pricing, decimal pricePerHour, TaskSpec task, TaskEstimate estimate, DateTimeOffset now, out ResourceOffer offer)
    {
        var r = task.Requirements;
        var best = -1;
        for (var i = 0; i < _instances.Count; i++)
        {
            var x = _instances[i];
            if (x.Pricing == pricing && x.BatchKey is not null && string.Equals(x.BatchKey, task.BatchKey, StringComparison.Ordinal)
                && x.FreeCpu >= r.Cpu && x.FreeMemoryGb >= r.MemoryGb && (best < 0 || x.FreeCpu < _instances[best].FreeCpu))
            {
                best = i;
            }
        }

        if (best >= 0)
        {
            var x = _instances[best];
            var delay = x.ReadyAt > now ? x.ReadyAt - now : TimeSpan.Zero;
            // The instance is paid for per instance-hour: a task sharing it pays only for the time it adds.
            var extension = now + delay + estimate.Duration - x.PaidUntil;
            var extraHours = extension > TimeSpan.Zero ? (decimal)extension.TotalHours : 0m;
            offer = new ResourceOffer(pricing, delay, estimate.Duration, (pricePerHour * extraHours) + estimate.Cost, (double)(x.FreeCpu - r.Cpu) / Type.Cpu, best);
            return true;
        }

        if (_instances.Count < MaxInstances)
        {
            var withSpinUp = (decimal)estimate.Duration.TotalHours + _spinUpHours;
            offer = new ResourceOffer(pricing, Type.SpinUp, estimate.Duration, (pricePerHour * withSpinUp) + estimate.Cost, (double)(Type.Cpu - r.Cpu) / Type.Cpu);
            return true;
        }

        offer = default;
        return false;
    }

    private sealed class Instance(string id, Pricing pricing, int cpu, double memoryGb, DateTimeOffset readyAt, string? batchKey)
    {
        public string Id { get; } = id;

        public Pricing Pricing { get; } = pricing;

        public DateTimeOffset ReadyAt { get; } = readyAt;

        public string? BatchKey { get; } = batchKey;

        public int FreeCpu { get; set; } = cpu;

        public double FreeMemoryGb { get; set; } = memoryGb;

        public int Tasks { get; set; }

        public DateTimeOffset PaidUntil { get; set; } = readyAt;
    }
}
