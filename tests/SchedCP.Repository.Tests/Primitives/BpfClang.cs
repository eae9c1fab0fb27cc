using System.Diagnostics;
using SchedCP.Kernel.Sandbox;
using SchedCP.Testing;

namespace SchedCP.Repository.Tests.Primitives;

/// <summary>Compiles BPF C the way bpf/build.sh does, plus -Werror, against the sandbox toolchain's headers.</summary>
internal static class BpfClang
{
    private static readonly Lazy<string[]> SystemIncludes = new(() =>
    {
        var (_, stderr) = Run(["-v", "-E", "-x", "c", "/dev/null", "-o", "/dev/null"]);
        var lines = stderr.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("#include <...> search starts here:", StringComparison.Ordinal));
        return [.. lines.Skip(start + 1).TakeWhile(l => l.StartsWith(' ')).SelectMany(l => new[] { "-idirafter", l.Trim() })];
    });

    /// <summary>Compiles <paramref name="source"/> to a BPF object; returns clang's exit code and diagnostics.</summary>
    public static (int Exit, string Diagnostics) Compile(string source, string objectPath, params string[] includeDirectories)
    {
        var toolchain = BuildOutputs.Toolchain();
        var sourcePath = Path.ChangeExtension(objectPath, ".c");
        File.WriteAllText(sourcePath, source);
        return Run([
            "-g", "-O2", "-target", "bpf", "-mcpu=v3", "-mlittle-endian", "-D__TARGET_ARCH_x86",
            .. includeDirectories.SelectMany(d => new[] { "-I", d }), "-I", toolchain.IncludeDirectory, "-I", Path.Combine(toolchain.IncludeDirectory, "bpf-compat"), .. SystemIncludes.Value,
            "-Wall", "-Werror", "-Wno-compare-distinct-pointer-types", "-c", sourcePath, "-o", objectPath,
        ]);
    }

    private static (int Exit, string Stderr) Run(IEnumerable<string> arguments)
    {
        var psi = new ProcessStartInfo("clang") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stderr.Result);
    }
}

/// <summary>Needs clang and the sandbox toolchain's headers: in CI always runs; elsewhere skips with the reason when missing.</summary>
public sealed class BpfSourcesFactAttribute : FactAttribute
{
    /// <summary>Decides at discovery whether the test runs.</summary>
    public BpfSourcesFactAttribute()
    {
        if (!SandboxToolchain.TryLocate(null, out _, out var missing) && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = missing!.Message;
        }
    }
}
