using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using SchedCP.Kernel.Loader;
using SchedCP.Kernel.SchedExt;
using SchedCP.Kernel.Schedulers;

namespace SchedCP.Kernel.Supervision;

// Watching a started scheduler until it ends, and the process handling under it (signals, killing the tree, pumping
// output); the public operations and the launch checks are in SchedulerSupervisor.cs.
internal sealed partial class SchedulerSupervisor
{
    /// <summary>Watches a running scheduler for its process exiting or the kernel ejecting it.</summary>
    private async Task WatchAsync(Supervised s)
    {
        try
        {
            while (!s.Stopping)
            {
                if (s.Process.HasExited)
                {
                    await s.Pumps.ConfigureAwait(false);
                    Finish(s, SchedulerEnding.ProcessExited);
                    return;
                }

                if (_state.TryRead(out var now, out _) &&
                    (now!.State != SchedExtRunState.Enabled || now.EnableSeq != s.Running.EnableSeq))
                {
                    // The kernel ended it. A loader notices and exits with the exit info; give it a moment.
                    var exited = await WaitStoppedAsync(s.Process, TimeSpan.FromSeconds(3), CancellationToken.None).ConfigureAwait(false);
                    if (s.Stopping)
                    {
                        return;
                    }

                    if (exited)
                    {
                        await s.Pumps.ConfigureAwait(false);
                    }

                    Finish(s, exited ? SchedulerEnding.ProcessExited : SchedulerEnding.EjectedByKernel);
                    return;
                }

                await Task.Delay(_options.WatchInterval, _time).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // The process object was disposed by a concurrent stop; the stop reports the end.
        }
    }

    private void Finish(Supervised s, SchedulerEnding ending)
    {
        if (s.Stopping)
        {
            return;
        }

        var report = BuildReport(ending, s.Output, s.Process.HasExited ? s.Process.ExitCode : null);
        if (s.Completion.TrySetResult(report))
        {
            SupervisorLog.Ended(_logger, s.Running.OpsName, report.Ending, report.Kind, report.Reason, report.Message);
        }
    }

    private static SchedulerExitReport BuildReport(SchedulerEnding ending, SchedulerOutputBuffer output, int? processExitCode)
    {
        if (output.LoaderEvents.OfType<SchedulerExited>().LastOrDefault() is { } e)
        {
            return new SchedulerExitReport(ending, e.Kind, e.ExitCode, e.Reason, e.Message, processExitCode);
        }

        if (output.LoaderEvents.OfType<SchedulerLoadFailed>().FirstOrDefault() is { } lf)
        {
            return new SchedulerExitReport(ending, SchedExtExitKind.None, 0, $"the kernel verifier refused the object: {lf.Error}", Tail(lf.VerifierLog), processExitCode);
        }

        if (output.LoaderEvents.OfType<LoaderError>().FirstOrDefault() is { } le)
        {
            return new SchedulerExitReport(ending, SchedExtExitKind.None, 0, $"the loader refused its input ({le.Stage})", le.Message, processExitCode);
        }

        if (SchedulerExitText.Parse(output.Text) is { } x)
        {
            return new SchedulerExitReport(ending, x.Kind, 0, x.Reason, x.Message, processExitCode);
        }

        return new SchedulerExitReport(ending, SchedExtExitKind.None, 0, "", "", processExitCode);
    }

    private static string Tail(string log)
    {
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 8)));
    }

    private static string Describe(SchedulerExitReport r) =>
        r.Reason.Length == 0 ? "" : $": {r.Reason}{(r.Message.Length > 0 ? " — " + r.Message.Split('\n')[^1] : "")}";

    private static async Task<bool> WaitStoppedAsync(Process process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task KillTreeAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await WaitStoppedAsync(process, TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static async Task Pump(StreamReader reader, SchedulerOutputBuffer output)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            output.Add(line);
        }
    }

    private static bool SendSignal(int pid, int signal) => Kill(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int sig);

    private sealed class Supervised(Process process, RunningScheduler running, SchedulerOutputBuffer output,
        TaskCompletionSource<SchedulerExitReport> completion, Task pumps)
    {
        public Process Process { get; } = process;

        public RunningScheduler Running { get; } = running;

        public SchedulerOutputBuffer Output { get; } = output;

        public TaskCompletionSource<SchedulerExitReport> Completion { get; } = completion;

        public Task Pumps { get; } = pumps;

        public volatile bool Stopping;
    }
}
