using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SchedCP.Kernel.Workloads;

/// <summary>
/// Prepares a user's executable to run as a workload on the host and in the sandbox guest: checks that the guest can
/// run it (a statically linked ELF, or a <c>#!/bin/sh</c> script for the guest's busybox), then copies it next to a
/// copy of the built workloads and <c>runcmd</c>, in a folder that a <see cref="WorkloadRunner"/> is created on.
/// </summary>
public static class CommandWorkloadStaging
{
    private const uint PtInterp = 3;

    /// <summary>Stages <paramref name="executablePath"/> and returns the folder to create a <see cref="WorkloadRunner"/> on.</summary>
    /// <param name="executablePath">The program to run as a workload.</param>
    /// <param name="directory">The staging folder (named by the program's content), or null when it cannot run.</param>
    /// <param name="failure">What is wrong and what to do, when it cannot.</param>
    /// <param name="binaryDirectory">The built workloads (null locates them).</param>
    /// <returns>Whether it was staged.</returns>
    public static bool TryStage(string executablePath, out string? directory, out WorkloadFailure? failure, string? binaryDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(executablePath);
        directory = null;
        failure = Check(executablePath);
        if (failure is not null || OperatingSystem.IsWindows())
        {
            return false;
        }

        if (!WorkloadBinaries.TryLocate(out var built, out failure, binaryDirectory))
        {
            return false;
        }

        if (!File.Exists(Path.Combine(built, BenchmarkWorkload.CommandRunner)))
        {
            failure = new WorkloadFailure(WorkloadFailureKind.BinaryMissing, $"{BenchmarkWorkload.CommandRunner} is not built next to the workloads in {built}.",
                "Run native/workloads/build.sh (./build.sh test runs it).");
            return false;
        }

        var name = Path.GetFileName(executablePath);
        if (BenchmarkWorkload.Names.Contains(name) || name == BenchmarkWorkload.CommandRunner)
        {
            failure = new WorkloadFailure(WorkloadFailureKind.CommandNotRunnable, $"'{name}' is the name of a built-in workload.",
                "Rename your program, or use the built-in workload by name (schedcp optimize longtail|wakeup|buildlike).");
            return false;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(executablePath)))[..16];
        directory = Path.Combine(Path.GetTempPath(), "schedcp-command-" + hash);
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.EnumerateFiles(built))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)), overwrite: true);
        }

        var staged = Path.Combine(directory, name);
        File.Copy(executablePath, staged, overwrite: true);
        File.SetUnixFileMode(staged, File.GetUnixFileMode(staged) | UnixFileMode.UserExecute | UnixFileMode.UserRead);
        failure = null;
        return true;
    }

    /// <summary>Why the guest cannot run <paramref name="path"/>, or null when it can.</summary>
    /// <param name="path">The program.</param>
    /// <returns>The problem with its remedy, or null.</returns>
    public static WorkloadFailure? Check(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return new WorkloadFailure(WorkloadFailureKind.CommandNotRunnable, "Command workloads run on Linux only.", "Run schedcp on the Linux machine that has the sandbox.");
        }

        if (!File.Exists(path))
        {
            return new WorkloadFailure(WorkloadFailureKind.CommandNotRunnable, $"{path} does not exist.", "Give the path of the program to optimise, e.g. ./my-batch.");
        }

        if ((File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
        {
            return new WorkloadFailure(WorkloadFailureKind.CommandNotRunnable, $"{path} is not executable.", $"chmod +x {path}");
        }

        using var file = File.OpenRead(path);
        var head = new byte[4096];
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read >= 2 && head[0] == '#' && head[1] == '!')
        {
            var line = Encoding.UTF8.GetString(head, 2, read - 2).Split('\n')[0].Trim();
            return line.StartsWith("/bin/sh", StringComparison.Ordinal)
                ? null
                : new WorkloadFailure(WorkloadFailureKind.CommandNotRunnable, $"{path} is a script for '{line}', which the sandbox guest does not have (it has busybox only).",
                    "Use a #!/bin/sh script, or build the program as a static executable.");
        }

        if (read < 64 || head[0] != 0x7f || head[1] != (byte)'E' || head[2] != (byte)'L' || head[3] != (byte)'F')
        {
            return new WorkloadFailure(WorkloadFailureKind.CommandNotRunnable, $"{path} is neither an ELF executable nor a #!/bin/sh script.", "Give a compiled program or a shell script.");
        }

        if (head[4] != 2 || head[5] != 1)
        {
            return new WorkloadFailure(WorkloadFailureKind.CommandNotRunnable, $"{path} is not a 64-bit little-endian ELF file.", "Build it for x86-64, like the guest kernel.");
        }

        var phoff = BinaryPrimitives.ReadUInt64LittleEndian(head.AsSpan(0x20));
        var phentsize = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(0x36));
        var phnum = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(0x38));
        var type = new byte[4];
        for (var i = 0; i < phnum; i++)
        {
            file.Position = (long)phoff + ((long)i * phentsize);
            if (file.ReadAtLeast(type, 4, throwOnEndOfStream: false) < 4)
            {
                break;
            }

            if (BinaryPrimitives.ReadUInt32LittleEndian(type) == PtInterp)
            {
                return new WorkloadFailure(WorkloadFailureKind.CommandNotRunnable,
                    $"{path} is dynamically linked, and the sandbox guest has no shared libraries.",
                    "Link it statically (gcc -static, or CGO_ENABLED=0 for Go, or -C target-feature=+crt-static for Rust), or wrap the work in a #!/bin/sh script.");
            }
        }

        return null;
    }
}
