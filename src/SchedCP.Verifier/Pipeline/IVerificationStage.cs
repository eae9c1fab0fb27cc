namespace SchedCP.Verifier.Pipeline;

/// <summary>
/// One stage of the verifier's gauntlet. A stage inspects the candidate (and what earlier stages left in the
/// <see cref="VerificationContext"/>, such as the compiled object) and returns a verdict; expected failures are verdicts,
/// never exceptions.
/// </summary>
public interface IVerificationStage
{
    /// <summary>The stage's name as recorded in verdicts (<c>compile</c>, <c>static</c>, <c>kernel-verifier</c>, <c>sandbox</c>).</summary>
    string Name { get; }

    /// <summary>Runs the stage.</summary>
    /// <param name="context">The candidate and the artifacts of earlier stages.</param>
    /// <param name="cancellationToken">Cancels the stage.</param>
    /// <returns>The stage's verdict with its evidence.</returns>
    ValueTask<StageVerdict> VerifyAsync(VerificationContext context, CancellationToken cancellationToken = default);
}
