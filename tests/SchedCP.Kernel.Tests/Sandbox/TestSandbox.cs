using Microsoft.Extensions.Logging;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.Trials;

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

    /// <summary>The BPF objects built by bpf/build.sh.</summary>
    public static string BpfObject(string name)
    {
        var dir = Environment.GetEnvironmentVariable("SCHEDCP_BPF_DIR") ?? Path.Combine(RepositoryRoot(), "bpf", "build");
        var path = Path.Combine(dir, $"{name}.bpf.o");
        Assert.True(File.Exists(path), $"BPF object '{path}' is missing: run bpf/build.sh (./build.sh test does).");
        return path;
    }

    public static SandboxToolchain Toolchain()
    {
        Assert.True(SandboxToolchain.TryLocate(null, out var toolchain, out var failure), failure?.ToString());
        return toolchain!;
    }

    public static string RepositoryRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "SchedCP.Sdk.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Cannot find the repository root from " + AppContext.BaseDirectory);
    }

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
