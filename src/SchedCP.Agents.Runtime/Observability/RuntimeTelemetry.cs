using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SchedCP.Agents.Runtime.Observability;

/// <summary>
/// OpenTelemetry-friendly instrumentation: subscribe to the <see cref="ActivitySource"/> and <see cref="Meter"/>
/// named <see cref="Name"/> (for example <c>AddSource("SchedCP.Agents.Runtime")</c> and <c>AddMeter(...)</c>).
/// </summary>
public static class RuntimeTelemetry
{
    /// <summary>The name of the activity source and the meter.</summary>
    public const string Name = "SchedCP.Agents.Runtime";

    /// <summary>Activities: one per agent turn and per tool call.</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>The meter holding the instruments below.</summary>
    public static readonly Meter Meter = new(Name);

    /// <summary>Events written to the log, tagged by kind.</summary>
    public static readonly Counter<long> Events = Meter.CreateCounter<long>("schedcp.runtime.events", description: "Runtime events recorded, by kind.");

    /// <summary>Tool calls, tagged by tool and outcome.</summary>
    public static readonly Counter<long> ToolCalls = Meter.CreateCounter<long>("schedcp.runtime.tool_calls", description: "Tool calls, by tool and outcome.");

    /// <summary>How long granted claims waited in the queue.</summary>
    public static readonly Histogram<double> ClaimWait = Meter.CreateHistogram<double>("schedcp.runtime.claim_wait", unit: "ms", description: "Time a claim waited before it was granted.");
}
