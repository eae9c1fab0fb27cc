using SchedCP.Kernel.Sandbox;

namespace SchedCP.Verifier.Tests;

/// <summary>Paths of the compiled schedulers under bpf/build and the toolchain's kernel examples.</summary>
internal static class BpfObjects
{
    public static string Repo { get; } = FindRepo();

    public static string Build(string name) => Path.Combine(Repo, "bpf", "build", $"{name}.bpf.o");

    public static string Example(string name) =>
        SandboxToolchain.TryLocate(null, out var tc, out _) ? Path.Combine(tc!.Directory, "examples", $"{name}.bpf.o") : $"/missing/{name}.bpf.o";

    private static string FindRepo()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "SchedCP.Sdk.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("repository root not found");
    }
}

/// <summary>A test on the compiled objects of bpf/build: skipped with the reason off CI when they are not built; in CI it always runs.</summary>
public sealed class BpfBuildFactAttribute : FactAttribute
{
    public BpfBuildFactAttribute()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!inCi && !File.Exists(BpfObjects.Build("fifo")))
        {
            Skip = "bpf/build is not built here; run bash bpf/build.sh";
        }
    }
}

/// <summary>Like <see cref="BpfBuildFactAttribute"/> for theories.</summary>
public sealed class BpfBuildTheoryAttribute : TheoryAttribute
{
    public BpfBuildTheoryAttribute()
    {
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!inCi && (!File.Exists(BpfObjects.Build("fifo")) || !SandboxToolchain.TryLocate(null, out _, out _)))
        {
            Skip = "bpf/build or the sandbox toolchain is not built here; run ./build.sh toolchain and bash bpf/build.sh";
        }
    }
}
