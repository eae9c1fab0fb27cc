using System.Globalization;
using SchedCP.Agents.Runtime.Orchestration.Dags;

namespace SchedCP.Agents.Runtime.Orchestration.Resources;

/// <summary>
/// An API behind a rate limit: a token bucket (<see cref="Burst"/> tokens, refilled at
/// <see cref="TokensPerSecond"/>) plus a cap on calls in flight. A task takes
/// <see cref="ResourceRequirements.ApiCalls"/> tokens when placed and costs <see cref="CostPerCall"/> per token.
/// </summary>
public sealed class ApiRateLimitPool : IResourcePool
{
    private double _tokens;
    private DateTimeOffset _refilledAt;
    private bool _started;
    private int _inFlight;
    private int _claims;

    /// <summary>Creates a pool.</summary>
    /// <param name="id">Its id.</param>
    /// <param name="burst">Bucket size.</param>
    /// <param name="tokensPerSecond">Refill rate.</param>
    /// <param name="maxInFlight">Most tasks running at once.</param>
    /// <param name="costPerCall">Price per token taken.</param>
    public ApiRateLimitPool(string id, int burst, double tokensPerSecond, int maxInFlight, decimal costPerCall)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxInFlight);
        Id = id;
        Burst = burst;
        TokensPerSecond = tokensPerSecond;
        MaxInFlight = maxInFlight;
        CostPerCall = costPerCall;
        _tokens = burst;
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public ResourceKind Kind => ResourceKind.Api;

    /// <summary>Bucket size.</summary>
    public int Burst { get; }

    /// <summary>Refill rate.</summary>
    public double TokensPerSecond { get; }

    /// <summary>Most tasks running at once.</summary>
    public int MaxInFlight { get; }

    /// <summary>Price per token.</summary>
    public decimal CostPerCall { get; }

    /// <inheritdoc />
    public int Quote(TaskSpec task, TaskEstimate estimate, DateTimeOffset now, Span<ResourceOffer> offers)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(estimate);
        Refill(now);
        var calls = Math.Max(1, task.Requirements.ApiCalls);
        if (_inFlight >= MaxInFlight || calls > Burst)
        {
            return 0;
        }

        // Not enough tokens yet: offer a delayed start rather than nothing, so the wait is scored.
        var delay = _tokens >= calls ? TimeSpan.Zero : TimeSpan.FromSeconds((calls - _tokens) / Math.Max(TokensPerSecond, 1e-9));
        offers[0] = new ResourceOffer(Pricing.Fixed, delay, estimate.Duration, (CostPerCall * calls) + estimate.Cost, (double)(MaxInFlight - _inFlight - 1) / MaxInFlight);
        return 1;
    }

    /// <inheritdoc />
    public ResourceClaim Reserve(TaskSpec task, in ResourceOffer offer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(task);
        Refill(now);
        _tokens -= Math.Max(1, task.Requirements.ApiCalls); // may go negative: the debt is the delayed start
        _inFlight++;
        _claims++;
        return new ResourceClaim(Id, Id + "/call-" + _claims.ToString(CultureInfo.InvariantCulture), Pricing.Fixed, now + offer.StartDelay, offer.Duration, offer.Cost);
    }

    /// <inheritdoc />
    public void Release(ResourceClaim claim, TaskSpec task, DateTimeOffset now) => _inFlight--;

    /// <inheritdoc />
    public ResourceAvailability Availability(DateTimeOffset now)
    {
        Refill(now);
        return new ResourceAvailability(Id, Kind, Math.Max(0, _tokens), Burst, "tokens", CostPerCall * 3600m * (decimal)TokensPerSecond,
            Note: string.Create(CultureInfo.InvariantCulture, $"{_inFlight}/{MaxInFlight} calls in flight"));
    }

    private void Refill(DateTimeOffset now)
    {
        if (!_started)
        {
            _started = true;
            _refilledAt = now;
            return;
        }

        if (now > _refilledAt)
        {
            _tokens = Math.Min(Burst, _tokens + ((now - _refilledAt).TotalSeconds * TokensPerSecond));
            _refilledAt = now;
        }
    }
}
