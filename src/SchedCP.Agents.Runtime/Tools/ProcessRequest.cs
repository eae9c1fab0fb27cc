using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Tools;

/// <summary>A process to run under an exclusive lease on a process resource.</summary>
/// <param name="Resource">The process resource claimed for it, e.g. <see cref="ProcessResources.Test"/>.</param>
/// <param name="FileName">The executable, e.g. "/bin/sh".</param>
/// <param name="Arguments">The arguments, passed as a list (no shell parsing).</param>
public sealed record ProcessRequest(WorkUnit Resource, string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>The working directory relative to the workspace root; must exist. Default the root.</summary>
    public string WorkingDirectory { get; init; } = string.Empty;

    /// <summary>How long before the process tree is killed; null uses the runtime default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Extra environment variables; each name must be on the allow-list.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
}
