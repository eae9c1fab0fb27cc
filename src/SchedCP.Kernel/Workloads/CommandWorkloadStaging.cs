using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SchedCP.Kernel.Workloads;

/// <summary>
/// Prepares a user's executable to run as a workload on the host and in the sandbox guest: checks that the guest can
/// run it, then copies it next to a copy of the built workloads and <c>runcmd</c>, in a folder that a
/// <see cref="WorkloadRunner"/> is created on. The guest's userland is the host's root, read-only, so whatever runs on
/// the host runs there: a static or dynamically linked ELF whose loader the host has, or a script whose interpreter
/// the host has (<c>#!/bin/sh</c>, <c>#!/usr/bin/env python3</c>, bash, perl...). Only what cannot run is refused.
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

        string hash;
        using (var content = File.OpenRead(executablePath))
        {
            hash = Convert.ToHexStringLower(SHA256.HashData(content))[..16];
        }

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
            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || !words[0].StartsWith('/'))
            {
                return new WorkloadFailure(WorkloadFailureKind.CommandNotRunnable, $"{path} has no interpreter path on its #! line ('{line}').",
                    "Start the script with an absolute interpreter, e.g. #!/bin/sh or #!/usr/bin/env python3.");
            }

            var interpreter = words[0] == "/usr/bin/env" && words.Length > 1 && !words[1].StartsWith('-') ? FindOnGuestPath(words[1]) : words[0];
            return interpreter is not null && IsExecutableFile(interpreter)
                ? null
                : new WorkloadFailure(WorkloadFailureKind.CommandNotRunnable,
                    $"{path} needs '{line}', which this machine does not have (the sandbox guest runs the host's own programs).",
                    "Install the interpreter (e.g. apt-get install python3), or point the #! line at one that exists.");
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
                // A dynamic program runs with the host's loader and libraries, which the guest sees as its own root.
                file.Position = (long)phoff + ((long)i * phentsize) + 8;
                var offsets = new byte[32];
                if (file.ReadAtLeast(offsets, 32, throwOnEndOfStream: false) < 32)
                {
                    break;
                }

                var at = BinaryPrimitives.ReadUInt64LittleEndian(offsets);
                var size = BinaryPrimitives.ReadUInt64LittleEndian(offsets.AsSpan(24));
                if (size is 0 or > 4096 || at > (ulong)file.Length)
                {
                    return new WorkloadFailure(WorkloadFailureKind.CommandNotRunnable, $"{path} names no readable program interpreter.", "Rebuild it; the ELF file looks damaged.");
                }

                var name = new byte[size];
                file.Position = (long)at;
                var got = file.ReadAtLeast(name, name.Length, throwOnEndOfStream: false);
                var loader = Encoding.UTF8.GetString(name, 0, got).TrimEnd('\0');
                return IsExecutableFile(loader)
                    ? null
                    : new WorkloadFailure(WorkloadFailureKind.CommandNotRunnable,
                        $"{path} is dynamically linked against '{loader}', which this machine does not have.",
                        "Build it on this machine, or link it statically (gcc -static, CGO_ENABLED=0 for Go).");
            }
        }

        return null;
    }

    // The PATH of a guest job (native/guest/init).
    private static readonly string[] GuestPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    private static string? FindOnGuestPath(string program) =>
        program.Contains('/', StringComparison.Ordinal) ? program : GuestPath.Select(d => Path.Combine(d, program)).FirstOrDefault(IsExecutableFile);

    private static bool IsExecutableFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            var target = info.LinkTarget is not null ? info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info : info;
            return target.Exists && (target.UnixFileMode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
