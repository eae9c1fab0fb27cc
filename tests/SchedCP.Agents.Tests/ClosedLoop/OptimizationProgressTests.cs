using Microsoft.Extensions.Logging;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Kernel.Workloads;
using SchedCP.Repository;

namespace SchedCP.Agents.Tests.ClosedLoop;

/// <summary>The loop tells its observers what it does, in order, and an observer that throws changes nothing about the run. Nothing boots.</summary>
public sealed class OptimizationProgressTests
{
    [Fact]
    public async Task Observers_see_the_run_start_each_stage_and_the_end_in_order()
    {
        using var repo = Observations.Repository();
        var seen = new RecordingProgress();

        var result = await Loop(repo, [seen]).RunAsync(new OptimizationRequest(new BenchmarkWorkload("not-built", [])), chat: null);

        Assert.Equal(OptimizationFailureKind.ObservationFailed, result.Failure!.Kind);
        var calls = seen.Calls.Where(c => !c.StartsWith("cost", StringComparison.Ordinal)).ToArray();
        Assert.Equal(
        [
            "started not-built",
            "runtime",
            "stage observation Running",
            "stage observation Failed",
            "stage planning-1 Skipped",
            "stage execution-1 Skipped",
            "stage learning-1 Skipped",
            "finished",
        ], calls.Select(c => c.Split(": ")[0]));
        var runIds = seen.RunIds.Distinct().ToArray();
        Assert.StartsWith("not-built-", Assert.Single(runIds), StringComparison.Ordinal);
        Assert.StartsWith("finished: failed (ObservationFailed): not-built could not be observed", calls[^1], StringComparison.Ordinal);
        Assert.Contains("not-built could not be observed", calls[3], StringComparison.Ordinal);
        // The cost after each of the four roles, before the end.
        Assert.Equal(4, seen.Calls.Count(c => c.StartsWith("cost", StringComparison.Ordinal)));
        Assert.Equal("finished", seen.Calls[^1].Split(": ")[0]);
    }

    [Fact]
    public async Task An_observer_that_throws_is_logged_at_warning_and_the_others_and_the_run_go_on()
    {
        using var repo = Observations.Repository();
        var seen = new RecordingProgress();
        var logs = new RecordingLoggerFactory();

        var result = await Loop(repo, [new ThrowingProgress(), seen], logs).RunAsync(new OptimizationRequest(new BenchmarkWorkload("not-built", [])), chat: null);

        Assert.Equal(OptimizationFailureKind.ObservationFailed, result.Failure!.Kind);
        Assert.Equal("started not-built", seen.Calls[0]);
        Assert.Equal("finished", seen.Calls[^1].Split(": ")[0]);
        var warnings = logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains("ThrowingProgress", StringComparison.Ordinal)).ToArray();
        Assert.Equal(seen.Calls.Count, warnings.Length);
        Assert.Contains(warnings, w => w.Message.Contains("LoopFinished", StringComparison.Ordinal));
    }

    private static OptimizationLoop Loop(TemporaryRepository repo, IEnumerable<IOptimizationProgress> progress, ILoggerFactory? loggers = null) =>
        HostOnlyLoop.Create(repo, Directory.CreateDirectory(Path.Combine(repo.Directory, "no-workloads")).FullName, loggers, progress);

    private sealed class RecordingProgress : IOptimizationProgress
    {
        private readonly Lock _gate = new();
        private readonly List<string> _calls = [];
        private readonly List<string> _runIds = [];

        public IReadOnlyList<string> Calls
        {
            get
            {
                lock (_gate)
                {
                    return [.. _calls];
                }
            }
        }

        public IReadOnlyList<string> RunIds
        {
            get
            {
                lock (_gate)
                {
                    return [.. _runIds];
                }
            }
        }

        public void LoopStarted(string runId, string workload, PrimaryKpi? kpi) => Add(runId, $"started {workload}{(kpi is null ? "" : " " + kpi.Metric)}");

        public void RuntimeCreated(string runId, AgentRuntime runtime) => Add(runId, "runtime");

        public void StageChanged(string runId, string stage, OptimizationStageStatus status, string? detail) => Add(runId, $"stage {stage} {status}: {detail}");

        public void CandidateChanged(string runId, CandidateSpec candidate, CandidateOutcome? outcome) => Add(runId, $"candidate {candidate.Label} {outcome?.Status}");

        public void VerifierReported(string runId, string candidate, IReadOnlyList<VerifierVerdict> verdicts) => Add(runId, $"verifier {candidate}");

        public void CostReported(string runId, CostReport cost) => Add(runId, $"cost {cost.Stages.Count}");

        public void LoopFinished(string runId, string outcome) => Add(runId, "finished: " + outcome);

        private void Add(string runId, string call)
        {
            lock (_gate)
            {
                _calls.Add(call);
                _runIds.Add(runId);
            }
        }
    }

    private sealed class ThrowingProgress : IOptimizationProgress
    {
        public void LoopStarted(string runId, string workload, PrimaryKpi? kpi) => throw new InvalidOperationException("observer bug");

        public void RuntimeCreated(string runId, AgentRuntime runtime) => throw new InvalidOperationException("observer bug");

        public void StageChanged(string runId, string stage, OptimizationStageStatus status, string? detail) => throw new InvalidOperationException("observer bug");

        public void CandidateChanged(string runId, CandidateSpec candidate, CandidateOutcome? outcome) => throw new InvalidOperationException("observer bug");

        public void VerifierReported(string runId, string candidate, IReadOnlyList<VerifierVerdict> verdicts) => throw new InvalidOperationException("observer bug");

        public void CostReported(string runId, CostReport cost) => throw new InvalidOperationException("observer bug");

        public void LoopFinished(string runId, string outcome) => throw new InvalidOperationException("observer bug");
    }

    private sealed class RecordingLoggerFactory : ILoggerFactory, ILogger
    {
        private readonly Lock _gate = new();
        private readonly List<(LogLevel Level, string Message)> _entries = [];

        public IReadOnlyList<(LogLevel Level, string Message)> Entries
        {
            get
            {
                lock (_gate)
                {
                    return [.. _entries];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_gate)
            {
                _entries.Add((logLevel, formatter(state, exception)));
            }
        }

        public void Dispose()
        {
        }
    }
}
