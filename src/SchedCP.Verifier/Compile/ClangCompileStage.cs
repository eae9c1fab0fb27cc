using System.Text;
using SchedCP.Core.Processes;
using SchedCP.Kernel.Sandbox;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.Verifier.Compile;

/// <summary>
/// The <c>compile</c> stage: clang for the BPF target with the flags of <c>bpf/build.sh</c>, but treating the source as
/// untrusted: it is refused from its size on disk past <see cref="ClangCompileOptions.MaxSourceBytes"/>, screened by
/// <see cref="IncludeScanner"/> (includes only of the provided headers), copied into a private temp folder and
/// compiled there with <c>-nostdinc</c> and only the toolchain's headers on the include path, so clang can read no
/// other file of the host and its diagnostics cannot echo one. Every diagnostic becomes a finding with file, line and
/// column; a compiler that outlives <see cref="ClangCompileOptions.Timeout"/> is killed with its children and the stage
/// fails with a <c>timeout</c> finding. A candidate that already has an object and no source passes through.
/// </summary>
/// <param name="options">Compiler options.</param>
/// <param name="time">Stamps the verdict.</param>
public sealed class ClangCompileStage(ClangCompileOptions? options = null, TimeProvider? time = null) : IVerificationStage
{
    // The flags of bpf/build.sh, plus -nostdinc: no system include folder is searched.
    private static readonly string[] TargetFlags = ["-g", "-O2", "-target", "bpf", "-mcpu=v3", "-mlittle-endian", "-D__TARGET_ARCH_x86", "-nostdinc"];
    private static readonly string[] WarningFlags = ["-Wall", "-Wno-compare-distinct-pointer-types", "-fno-color-diagnostics"];
    // Preprocessed output with the toolchain's vmlinux.h runs to a few MiB; far more means a macro bomb.
    private const int MaxPreprocessedBytes = 64 << 20;
    private readonly ClangCompileOptions _options = options ?? new ClangCompileOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public string Name => "compile";

    /// <summary>The folders a submitted source may include from: the toolchain's headers and the kernel errno headers this package carries.</summary>
    /// <param name="toolchain">The sandbox toolchain.</param>
    /// <param name="errnoDirectory">The folder holding <see cref="KernelErrnoHeaders"/>.</param>
    /// <returns>Full paths, in search order.</returns>
    private static string[] IncludeDirectories(SandboxToolchain toolchain, string errnoDirectory) =>
        [Path.GetFullPath(toolchain.IncludeDirectory), Path.GetFullPath(Path.Combine(toolchain.IncludeDirectory, "bpf-compat")), errnoDirectory];

    /// <inheritdoc />
    public async ValueTask<StageVerdict> VerifyAsync(VerificationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var start = _time.GetTimestamp();
        var source = context.Candidate.SourcePath;
        if (source is null)
        {
            return context.ObjectPath is null
                ? Refused("The candidate has neither source nor object.", "input", "No source and no object given.", "Set SourcePath or ObjectPath on the candidate.", null, start)
                : Verdict(true, "Already compiled; nothing to do.", [], "", start);
        }

        var file = new FileInfo(source);
        if (!file.Exists)
        {
            return Refused($"Source '{source}' does not exist.", "input", $"Source '{source}' does not exist.", "Write the scheduler's .bpf.c first.", null, start);
        }

        if (file.Length > _options.MaxSourceBytes)
        {
            return Refused($"Source is {file.Length} bytes, more than the {_options.MaxSourceBytes} accepted.", "source-size",
                $"The source is {file.Length} bytes; the compile stage accepts at most {_options.MaxSourceBytes} (ClangCompileOptions.MaxSourceBytes).",
                "Submit the scheduler's own code only, without pasted headers or generated data.", null, start);
        }

        if (!SandboxToolchain.TryLocate(_options.ToolchainDirectory, out var toolchain, out var failure))
        {
            return Refused(failure!.Message, "toolchain", failure.Message, failure.Remedy, null, start);
        }

        // Read through a stream capped at the limit: the file may have grown since it was measured.
        var text = await ReadCappedAsync(source, _options.MaxSourceBytes, cancellationToken).ConfigureAwait(false);
        if (text is null)
        {
            return Refused($"Source grew past {_options.MaxSourceBytes} bytes while it was read.", "source-size", $"The source is larger than {_options.MaxSourceBytes} bytes.", "Submit the scheduler's own code only.", null, start);
        }

        var work = Directory.CreateTempSubdirectory("schedcp-compile-");
        try
        {
            var errnoDirectory = Path.Combine(work.FullName, "include");
            foreach (var (relative, content) in KernelErrnoHeaders.Files)
            {
                var path = Path.Combine(errnoDirectory, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, content, cancellationToken).ConfigureAwait(false);
            }

            var includes = IncludeDirectories(toolchain!, errnoDirectory);
            var refusals = IncludeScanner.Scan(text, includes);
            if (refusals.Count > 0)
            {
                return Screened(refusals, source, start);
            }

            var copy = Path.Combine(work.FullName, "src", "candidate.bpf.c");
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            await File.WriteAllTextAsync(copy, text, cancellationToken).ConfigureAwait(false);

            // Preprocess first: macros can assemble an assembler directive that reads a file, so look at the result.
            var preprocess = await RunAsync(Arguments(includes, ["-E", "-P", copy]), work.FullName, cancellationToken).ConfigureAwait(false);
            if (!preprocess.Started)
            {
                return NoCompiler(preprocess.StartFailure, start);
            }

            if (preprocess.TimedOut)
            {
                return TimedOut(source, start);
            }

            if (preprocess.StandardOutput.Truncated)
            {
                // The screen must see all of it: a directive past the cut would go unchecked.
                return Refused($"The preprocessed source is larger than {MaxPreprocessedBytes} bytes.", "source-size",
                    $"Preprocessing '{Path.GetFileName(source)}' produced more than {MaxPreprocessedBytes} bytes.",
                    "Simplify the source: huge macro expansions or generated code.", null, start);
            }

            if (preprocess.ExitCode == 0)
            {
                var hidden = IncludeScanner.ScanPreprocessed(preprocess.StandardOutput.Text);
                if (hidden.Count > 0)
                {
                    return Screened([.. hidden.Select(r => r with { Line = 0 })], source, start);
                }
            }

            var outDir = _options.OutputDirectory ?? Path.Combine(Path.GetTempPath(), "schedcp-verifier");
            Directory.CreateDirectory(outDir);
            var output = Path.Combine(outDir, $"{SafeStem(source)}-{Guid.NewGuid():N}.o");
            var compile = await RunAsync(Arguments(includes, ["-c", copy, "-o", output]), work.FullName, cancellationToken).ConfigureAwait(false);
            if (!compile.Started)
            {
                return NoCompiler(compile.StartFailure, start);
            }

            if (compile.TimedOut)
            {
                return TimedOut(source, start);
            }

            // Diagnostics name the private copy; report them against the file the caller gave.
            var stderr = compile.StandardError.Text.Replace(copy, source, StringComparison.Ordinal);
            var findings = CompilerDiagnostic.Parse(stderr).Select(d => new VerificationFinding(
                "clang",
                d.IsError ? FindingSeverity.Error : d.Severity == "warning" ? FindingSeverity.Warning : FindingSeverity.Info,
                d.Message,
                d.IsError ? "Fix the source at this position and compile again." : "",
                new FindingLocation(d.File, d.Line, d.Column))).ToList();
            if (compile.ExitCode != 0)
            {
                var first = findings.FirstOrDefault(f => f.Severity == FindingSeverity.Error);
                return Verdict(false, first is null ? $"clang exited with {compile.ExitCode}." : $"clang failed: {first.Location}: {first.Message}", findings, stderr, start);
            }

            context.ObjectPath = output;
            return Verdict(true, $"Compiled to {output}.", findings, stderr, start);
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless; the verdict matters more.
            }
        }
    }

    private static string[] Arguments(string[] includes, string[] tail) =>
        [.. TargetFlags, .. includes.Select(dir => $"-I{dir}"), .. WarningFlags, .. tail];

    private static string SafeStem(string source)
    {
        var stem = Path.GetFileName(source).Replace(".bpf.c", "", StringComparison.Ordinal).Replace(".c", "", StringComparison.Ordinal);
        var safe = new string([.. stem.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-').Take(64)]);
        return safe.Length == 0 ? "candidate" : safe;
    }

    private static async Task<string?> ReadCappedAsync(string path, long cap, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        await using var _ = stream.ConfigureAwait(false);
        var buffer = new byte[checked((int)cap + 1)];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return total > cap ? null : new UTF8Encoding(false, false).GetString(buffer, 0, total);
    }

    private StageVerdict Screened(IReadOnlyList<SourceRefusal> refusals, string source, long start)
    {
        var findings = refusals.Select(r => new VerificationFinding("source-screen", FindingSeverity.Error, r.Message, r.Remedy, r.Line > 0 ? new FindingLocation(source, r.Line) : null)).ToList();
        var first = refusals[0];
        return Verdict(false, first.Line > 0 ? $"Refused before compiling: line {first.Line}: {first.Message}." : $"Refused before compiling: {first.Message}.", findings, "", start);
    }

    private StageVerdict TimedOut(string source, long start) =>
        Refused($"clang did not finish within {_options.Timeout.TotalSeconds:0.#} s and was stopped.", "timeout",
            $"Compiling '{Path.GetFileName(source)}' took longer than {_options.Timeout.TotalSeconds:0.#} s (ClangCompileOptions.Timeout); clang and its children were killed.",
            "Simplify the source (huge macros or generated code), or raise ClangCompileOptions.Timeout.", null, start);

    private StageVerdict Refused(string reason, string check, string message, string remedy, FindingLocation? location, long start) =>
        Verdict(false, reason, [new VerificationFinding(check, FindingSeverity.Error, message, remedy, location)], "", start);

    private StageVerdict Verdict(bool passed, string reason, IReadOnlyList<VerificationFinding> findings, string log, long start) =>
        new(Name, passed, reason, findings, log, new Dictionary<string, double>(), _time.GetElapsedTime(start), _time.GetUtcNow());

    private StageVerdict NoCompiler(ProcessStartFailure failure, long start) =>
        Refused(failure.Message, "toolchain", failure.Message, "Install clang or set ClangCompileOptions.ClangPath to it.", null, start);

    private async Task<ProcessRunResult> RunAsync(string[] arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var run = await ProcessRunner.Default.RunAsync(new ProcessRunRequest(_options.ClangPath)
        {
            Arguments = arguments,
            WorkingDirectory = workingDirectory,
            Timeout = _options.Timeout,
            MaxOutputBytes = MaxPreprocessedBytes,
        }, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return run;
    }
}
