using System.Globalization;
using SchedCP.Agents.Runtime.Orchestration.Dags;

namespace SchedCP.Agents.Runtime.Orchestration.Resources;

/// <summary>
/// Simulated human capacity: <see cref="People"/> reviewers working <see cref="WorkStart"/>–<see cref="WorkEnd"/>
/// (UTC, every day) at an hourly rate. Outside working hours a task is offered a delayed start at the next
/// shift. This is a simulation plug-in: nobody is asked to do anything.
/// </summary>
public sealed class SimulatedHumanPool : IResourcePool
{
    private int _busy;
    private int _claims;

    /// <summary>Creates a pool.</summary>
    /// <param name="id">Its id.</param>
    /// <param name="people">How many people.</param>
    /// <param name="workStart">Start of the working day (UTC).</param>
    /// <param name="workEnd">End of the working day (UTC), after the start.</param>
    /// <param name="hourlyRate">Cost per person-hour.</param>
    public SimulatedHumanPool(string id, int people, TimeOnly workStart, TimeOnly workEnd, decimal hourlyRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(people);
        if (workEnd <= workStart)
        {
            throw new ArgumentOutOfRangeException(nameof(workEnd), "workEnd must be after workStart");
        }

        Id = id;
        People = people;
        WorkStart = workStart;
        WorkEnd = workEnd;
        HourlyRate = hourlyRate;
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public ResourceKind Kind => ResourceKind.Human;

    /// <summary>How many people.</summary>
    public int People { get; }

    /// <summary>Start of the working day (UTC).</summary>
    public TimeOnly WorkStart { get; }

    /// <summary>End of the working day (UTC).</summary>
    public TimeOnly WorkEnd { get; }

    /// <summary>Cost per person-hour.</summary>
    public decimal HourlyRate { get; }

    /// <summary>Wait from <paramref name="now"/> until people are at work (zero during working hours).</summary>
    /// <param name="now">The time.</param>
    /// <returns>The wait.</returns>
    public TimeSpan UntilWorking(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        var time = TimeOnly.FromDateTime(utc);
        if (time >= WorkStart && time < WorkEnd)
        {
            return TimeSpan.Zero;
        }

        var start = utc.Date + WorkStart.ToTimeSpan();
        if (time >= WorkEnd)
        {
            start = start.AddDays(1);
        }

        return start - utc;
    }

    /// <inheritdoc />
    public int Quote(TaskSpec task, TaskEstimate estimate, DateTimeOffset now, Span<ResourceOffer> offers)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        if (_busy >= People)
        {
            return 0;
        }

        offers[0] = new ResourceOffer(Pricing.Fixed, UntilWorking(now), estimate.Duration, (HourlyRate * (decimal)estimate.Duration.TotalHours) + estimate.Cost,
            (double)(People - _busy - 1) / People);
        return 1;
    }

    /// <inheritdoc />
    public ResourceClaim Reserve(TaskSpec task, in ResourceOffer offer, DateTimeOffset now)
    {
        _busy++;
        _claims++;
        return new ResourceClaim(Id, Id + "/assignment-" + _claims.ToString(CultureInfo.InvariantCulture), Pricing.Fixed, now + offer.StartDelay, offer.Duration, offer.Cost);
    }

    /// <inheritdoc />
    public void Release(ResourceClaim claim, TaskSpec task, DateTimeOffset now) => _busy--;

    /// <inheritdoc />
    public ResourceAvailability Availability(DateTimeOffset now) =>
        new(Id, Kind, People - _busy, People, "people", HourlyRate, Note: UntilWorking(now) > TimeSpan.Zero ? "outside working hours" : null);
}
