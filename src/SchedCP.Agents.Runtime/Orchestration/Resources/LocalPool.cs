using System.Globalization;
using SchedCP.Agents.Runtime.Orchestration.Dags;

namespace SchedCP.Agents.Runtime.Orchestration.Resources;

/// <summary>The local machine: CPU cores, memory and sandbox VM slots, at no time-based cost.</summary>
public sealed class LocalPool : IResourcePool
{
    private int _freeCpu;
    private double _freeMemoryGb;
    private int _freeVms;
    private int _claims;

    /// <summary>Creates a pool.</summary>
    /// <param name="id">Its id.</param>
    /// <param name="cpu">Cores.</param>
    /// <param name="memoryGb">Memory in GB.</param>
    /// <param name="sandboxVms">Sandbox VM slots.</param>
    public LocalPool(string id, int cpu, double memoryGb, int sandboxVms = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cpu);
        Id = id;
        Cpu = cpu;
        MemoryGb = memoryGb;
        SandboxVms = sandboxVms;
        _freeCpu = cpu;
        _freeMemoryGb = memoryGb;
        _freeVms = sandboxVms;
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public ResourceKind Kind => ResourceKind.Local;

    /// <summary>Total cores.</summary>
    public int Cpu { get; }

    /// <summary>Total memory in GB.</summary>
    public double MemoryGb { get; }

    /// <summary>Total sandbox VM slots.</summary>
    public int SandboxVms { get; }

    /// <inheritdoc />
    public int Quote(TaskSpec task, TaskEstimate estimate, DateTimeOffset now, Span<ResourceOffer> offers)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(estimate);
        var r = task.Requirements;
        if (r.Cpu > _freeCpu || r.MemoryGb > _freeMemoryGb || r.SandboxVms > _freeVms)
        {
            return 0;
        }

        offers[0] = new ResourceOffer(Pricing.Fixed, TimeSpan.Zero, estimate.Duration, estimate.Cost, (double)(_freeCpu - r.Cpu) / Cpu);
        return 1;
    }

    /// <inheritdoc />
    public ResourceClaim Reserve(TaskSpec task, in ResourceOffer offer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(task);
        var r = task.Requirements;
        _freeCpu -= r.Cpu;
        _freeMemoryGb -= r.MemoryGb;
        _freeVms -= r.SandboxVms;
        _claims++;
        return new ResourceClaim(Id, Id + "/" + _claims.ToString(CultureInfo.InvariantCulture), Pricing.Fixed, now, offer.Duration, offer.Cost);
    }

    /// <inheritdoc />
    public void Release(ResourceClaim claim, TaskSpec task, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(task);
        var r = task.Requirements;
        _freeCpu += r.Cpu;
        _freeMemoryGb += r.MemoryGb;
        _freeVms += r.SandboxVms;
    }

    /// <inheritdoc />
    public ResourceAvailability Availability(DateTimeOffset now) =>
        new(Id, Kind, _freeCpu, Cpu, "cores", 0m, Note: string.Create(CultureInfo.InvariantCulture, $"memory {_freeMemoryGb:0.#}/{MemoryGb:0.#} GB, sandbox VMs {_freeVms}/{SandboxVms}"));
}
