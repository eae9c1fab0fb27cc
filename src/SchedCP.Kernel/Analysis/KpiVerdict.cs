namespace SchedCP.Kernel.Analysis;

/// <summary>Whether a deployment changed a KPI, by the rule of <see cref="DeploymentFeedback"/>.</summary>
public enum KpiVerdict
{
    /// <summary>Better than the baseline beyond the noise.</summary>
    Better,

    /// <summary>Within the noise of the baseline.</summary>
    Equal,

    /// <summary>Worse than the baseline beyond the noise.</summary>
    Worse,
}
