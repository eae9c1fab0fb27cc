using Microsoft.Extensions.Logging;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Trials;
using SchedCP.Testing;

namespace SchedCP.Kernel.Tests.Sandbox;

/// <summary>Builds sandbox runners for tests, with the guest console going to the test output.</summary>
internal static class TestSandbox
{
    public static SandboxOptions Options(TimeSpan? timeout = null) => new()
    {
        CpuCount = 2,
        MemoryMiB = 1024,
        Timeout = timeout ?? TimeSpan.FromSeconds(180),
    };

    public static SandboxRunner Runner(ITestOutputHelper output, SandboxOptions? options = null) =>
        new(options ?? Options(), new TestOutputLogger(output));

    public static SchedulerTrialRunner Trials(ITestOutputHelper output) => new(Runner(output));

    public static string BpfObject(string name) => BuildOutputs.BpfObject(name);

    public static SandboxToolchain Toolchain() => BuildOutputs.Toolchain();

    public static string RepositoryRoot() => BuildOutputs.RepositoryRoot();

    private sealed class TestOutputLogger(ITestOutputHelper output) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                output.WriteLine($"{logLevel,-11} {formatter(state, exception)}");
            }
            catch (InvalidOperationException)
            {
                // The test already finished.
            }
        }
    }
}
