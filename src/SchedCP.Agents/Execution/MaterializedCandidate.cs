using SchedCP.Kernel.Schedulers;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.Agents;

/// <summary>A candidate ready to run: the scheduler as the sandbox runs it, and the verifier's report on its object.</summary>
/// <param name="Spec">The candidate (for generated ones, with the source that finally passed).</param>
/// <param name="Scheduler">The scheduler with its validated <c>.rodata</c> or arguments.</param>
/// <param name="Verification">The verifier's report on its object.</param>
/// <param name="ObjectPath">The object or binary that runs.</param>
public sealed record MaterializedCandidate(CandidateSpec Spec, SchedulerUnderTest Scheduler, VerificationReport Verification, string ObjectPath);
