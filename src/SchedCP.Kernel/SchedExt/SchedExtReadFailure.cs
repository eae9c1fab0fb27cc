namespace SchedCP.Kernel.SchedExt;

/// <summary>Why the sched_ext state could not be read.</summary>
/// <param name="Message">What went wrong.</param>
/// <param name="Remedy">What to do about it.</param>
public sealed record SchedExtReadFailure(string Message, string Remedy)
{
    /// <inheritdoc />
    public override string ToString() => $"{Message} {Remedy}";
}
