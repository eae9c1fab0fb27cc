using SchedCP.Kernel.Sandbox;
using Xunit;

namespace SchedCP.Testing;

/// <summary>Finds what ./build.sh built: the repository root, the BPF objects, the sandbox toolchain.</summary>
public static class BuildOutputs
{
    /// <summary>The repository root (the folder holding SchedCP.Sdk.sln).</summary>
    public static string RepositoryRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "SchedCP.Sdk.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Cannot find the repository root from " + AppContext.BaseDirectory);
    }

    /// <summary>A file of the repository, e.g. <c>bpf/schedulers/fifo.bpf.c</c>.</summary>
    /// <param name="relativePath">The path from the repository root.</param>
    public static string Source(string relativePath) => Path.Combine(RepositoryRoot(), relativePath);

    /// <summary>A BPF object built by bpf/build.sh; fails the test with what to run when it is missing.</summary>
    /// <param name="name">The object's name without <c>.bpf.o</c>.</param>
    public static string BpfObject(string name)
    {
        var dir = Environment.GetEnvironmentVariable("SCHEDCP_BPF_DIR") ?? Path.Combine(RepositoryRoot(), "bpf", "build");
        var path = Path.Combine(dir, $"{name}.bpf.o");
        Assert.True(File.Exists(path), $"BPF object '{path}' is missing: run bpf/build.sh (./build.sh test does).");
        return path;
    }

    /// <summary>The sandbox toolchain; fails the test with the toolchain's own message when it is missing.</summary>
    public static SandboxToolchain Toolchain()
    {
        Assert.True(SandboxToolchain.TryLocate(null, out var toolchain, out var failure), failure?.ToString());
        return toolchain!;
    }
}
