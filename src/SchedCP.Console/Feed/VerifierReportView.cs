namespace SchedCP.Console.Feed;

/// <summary>The verifier's report on one candidate: each stage and its verdict.</summary>
/// <param name="Candidate">The candidate's label.</param>
/// <param name="Passed">Whether every stage passed.</param>
/// <param name="Stages">The stages in the order they ran.</param>
public sealed record VerifierReportView(string Candidate, bool Passed, IReadOnlyList<VerifierStageView> Stages);

/// <summary>One verifier stage's verdict.</summary>
/// <param name="Stage">The stage (compile, static, kernel-verifier, sandbox, performance).</param>
/// <param name="Passed">Whether it passed.</param>
/// <param name="Detail">What it found.</param>
public sealed record VerifierStageView(string Stage, bool Passed, string Detail);
