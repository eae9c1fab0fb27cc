using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Workloads;
using SchedCP.Repository;
using SchedCP.Verifier.Compile;
using SchedCP.Verifier.Pipeline;
using SchedCP.Verifier.StaticAnalysis;
using SchedCP.Verifier.Tokens;

namespace SchedCP.Agents.Tests.ClosedLoop;

/// <summary>
/// A real loop over a temporary repository whose workloads and BPF objects are looked for in empty folders, so it
/// fails at observation without booting a guest: for tests of what a failed run returns and reports.
/// </summary>
internal static class HostOnlyLoop
{
    public static OptimizationLoop Create(TemporaryRepository repo, string workloads, ILoggerFactory? loggers = null, IEnumerable<IOptimizationProgress>? progress = null)
    {
        var runner = new WorkloadRunner(workloads);
        var verifier = new VerifierPipelineBuilder().UseCompile(o => o.OutputDirectory = Path.Combine(repo.Directory, "objects")).UseStaticAnalysis().Build();
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new OptimizationLoop(
            new ObservationAgent(new WorkloadObserver(runner), repo.Repository),
            new PlanningAgent(repo.Repository),
            new ExecutionAgent(repo.Repository, verifier, runner, new SandboxRunner(new SandboxOptions()),
                Microsoft.Extensions.Options.Options.Create(new ExecutionOptions { WorkDirectory = repo.Directory, BpfObjectDirectory = Path.Combine(repo.Directory, "no-objects") })),
            new LearningAgent(repo.Repository, new PolicyPromotion(repo.Repository)),
            new DeploymentTokenIssuer(key, new MachineHostIdentity("test-host"), TimeProvider.System, NullLogger<DeploymentTokenIssuer>.Instance),
            Microsoft.Extensions.Options.Options.Create(new OptimizationLoopOptions { WorkDirectory = Path.Combine(repo.Directory, "workspace") }),
            loggerFactory: loggers,
            progress: progress);
    }
}
