using SchedCP.Core.Results;

namespace SchedCP.Kernel.SchedExt;

/// <summary>Why the sched_ext state could not be read.</summary>
/// <param name="Message">What went wrong.</param>
/// <param name="Remedy">What to do about it.</param>
public sealed record SchedExtReadFailure(string Message, string Remedy) : Failure(Message, Remedy)
{
    /// <summary>Empty: there is one way to fail reading the state, so the failure prints as "Message Remedy".</summary>
    public override string KindName => string.Empty;
}
