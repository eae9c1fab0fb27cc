namespace SchedCP.Core.Processes;

/// <summary>One redirected stream of a finished run, decoded as UTF-8 and bounded by <see cref="ProcessRunRequest.MaxOutputBytes"/>.</summary>
/// <param name="Text">What was kept: the whole stream, or its head or tail (<see cref="OutputRetention"/>) when it was cut.</param>
/// <param name="TotalBytes">How many bytes the process wrote to the stream, kept or not.</param>
/// <param name="Truncated">True when the stream was longer than the cap and <paramref name="Text"/> is only part of it.</param>
public sealed record CapturedOutput(string Text, long TotalBytes, bool Truncated)
{
    /// <summary>Nothing captured (the process did not start).</summary>
    public static CapturedOutput Empty { get; } = new(string.Empty, 0, false);

    /// <inheritdoc />
    public override string ToString() => Text;
}
