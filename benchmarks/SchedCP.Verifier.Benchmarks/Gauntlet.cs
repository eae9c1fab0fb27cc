using System.Diagnostics;
using System.Globalization;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Trials;
using SchedCP.Kernel.Workloads;
using SchedCP.Verifier.Compile;
using SchedCP.Verifier.Dynamic;
using SchedCP.Verifier.KernelVerifier;
using SchedCP.Verifier.Pipeline;
using SchedCP.Verifier.StaticAnalysis;

namespace SchedCP.Verifier.Benchmarks;

/// <summary>
/// Wall time of the whole gauntlet (compile, static, kernel verifier, sandbox run, performance gate) per candidate in
/// the sandbox: <c>dotnet run -c Release --project benchmarks/SchedCP.Verifier.Benchmarks -- --gauntlet NAME...</c>
/// with names of bpf/schedulers or bpf/testing sources. Prints a markdown table.
/// </summary>
internal static class Gauntlet
{
    public static async Task RunAsync(IReadOnlyList<string> names)
    {
        var repo = Directory.GetCurrentDirectory();
        var sandbox = new SandboxRunner(new SandboxOptions());
        var trials = new SchedulerTrialRunner(sandbox);
        var pipeline = new VerifierPipelineBuilder()
            .UseCompile()
            .UseStaticAnalysis()
            .UseKernelVerifier(trials)
            .UseSandboxRun(trials: trials)
            .UsePerformanceGate(o => o.Repeats = 3, sandbox, new WorkloadRunner())
            .Build();
        Console.WriteLine("| Candidate | Stopped at | Total (s) | compile | static | kernel-verifier | sandbox | performance | Verdict |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var name in names)
        {
            var source = new[] { "schedulers", "testing" }.Select(d => Path.Combine(repo, "bpf", d, name + ".bpf.c")).First(File.Exists);
            var candidate = VerificationCandidate.FromSource(name, source) with { TargetWorkload = BenchmarkWorkload.LongTail(shortTasks: 6, longTasks: 2, shortMs: 40, longMs: 200) };
            var watch = Stopwatch.StartNew();
            var report = await pipeline.VerifyAsync(candidate).ConfigureAwait(false);
            watch.Stop();
            string Stage(string stage) => report.Verdicts.FirstOrDefault(v => v.Stage == stage) is { } v ? v.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) : "—";
            var last = report.Verdicts[^1];
            Console.WriteLine($"| {name} | {(report.Passed ? "passed" : report.FailedStage!.Stage)} | {watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} | {Stage("compile")} | {Stage("static")} | {Stage("kernel-verifier")} | {Stage("sandbox")} | {Stage("performance")} | {last.Reason.Replace('|', '/').Replace('\n', ' ')} |");
        }
    }
}
