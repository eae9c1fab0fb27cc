using System.ComponentModel.DataAnnotations;
using SchedCP.Agents.Runtime.Orchestration.Scoring;

namespace SchedCP.Agents.Runtime.Orchestration;

/// <summary>Options of a <see cref="DagOrchestrator"/>.</summary>
public sealed class OrchestratorOptions
{
    /// <summary>Time between ticks when no completion drives one; default 30 s.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Scorers and weights; default latency 0.6, cost 0.3, fragmentation 0.1.</summary>
    public ScoringProfile Scoring { get; set; } = ScoringProfile.Default;

    /// <summary>Tasks above this urgency (0..1: share of the critical path still ahead of them, or of the time left to their deadline) avoid spot capacity; default 0.7.</summary>
    [Range(0.0, 1.0)]
    public double SpotUrgencyThreshold { get; set; } = 0.7;

    /// <summary>Total budget, or null for none.</summary>
    [Range(typeof(decimal), "0", "79228162514264337593543950335")]
    public decimal? Budget { get; set; }

    /// <summary>Budget per task across its attempts, or null for none.</summary>
    [Range(typeof(decimal), "0", "79228162514264337593543950335")]
    public decimal? PerTaskBudget { get; set; }

    /// <summary>Validates the options.</summary>
    /// <exception cref="ValidationException">A field is out of range; the message names it.</exception>
    public void Validate()
    {
        Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
        if (TickInterval <= TimeSpan.Zero)
        {
            throw new ValidationException($"{nameof(TickInterval)} must be positive, was {TickInterval}.");
        }

        if (Scoring is null)
        {
            throw new ValidationException($"{nameof(Scoring)} must be set.");
        }
    }
}
