namespace SchedCP.Core.Processes;

/// <summary>Which part of a stream <see cref="ProcessRunner"/> keeps when the stream is longer than its cap.</summary>
public enum OutputRetention
{
    /// <summary>The first bytes: right for output that is parsed from its start (JSON, reports).</summary>
    Head,

    /// <summary>The last bytes: right for diagnostics, where the error that ended the run comes last.</summary>
    Tail,
}
