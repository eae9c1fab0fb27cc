using Microsoft.Extensions.DependencyInjection;
using SchedCP.ControlPlane.Verification;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Trials;
using SchedCP.Kernel.Workloads;
using SchedCP.Repository;
using SchedCP.Testing;

namespace SchedCP.Agents.Tests.Tools;

/// <summary>A toolbox over a temporary repository, reading sources from this checkout; nothing here boots a guest unless a test asks for a trial.</summary>
internal static class Toolboxes
{
    public const string VtimeShortLag = """
        --- a/bpf/schedulers/vtime.bpf.c
        +++ b/bpf/schedulers/vtime.bpf.c
        @@ -24,3 +24,3 @@
         const volatile u64 slice_ns = 5000000;
        -const volatile u64 max_lag_ns = 20000000;
        +const volatile u64 max_lag_ns = 2000000;
         const volatile bool wake_local = false;
        """;

    public static ExecutionOptions Options(TemporaryRepository repo)
    {
        var root = BuildOutputs.RepositoryRoot();
        return new ExecutionOptions
        {
            WorkDirectory = Path.Combine(repo.Directory, "work"),
            SourceDirectory = root,
            BpfObjectDirectory = Environment.GetEnvironmentVariable("SCHEDCP_BPF_DIR") ?? Path.Combine(root, "bpf", "build"),
        };
    }

    public static SchedulerToolbox Create(TemporaryRepository repo, ServiceProvider services, ISandboxRunner? sandbox = null)
    {
        sandbox ??= new SandboxRunner(new SandboxOptions { CpuCount = 2, MemoryMiB = 1024, Timeout = TimeSpan.FromMinutes(10) });
        var options = Microsoft.Extensions.Options.Options.Create(Options(repo));
        var workbench = new PolicyWorkbench(repo.Repository, new PolicyPromotion(repo.Repository, null, repo.Time), new SchedulerTrialRunner(sandbox), services, options);
        return new SchedulerToolbox(repo.Repository, workbench, new WorkloadRunner(), sandbox, timeProvider: repo.Time, options: options) { Origin = "test" };
    }
}
