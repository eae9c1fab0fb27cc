using System.Diagnostics;
using SchedCP.Kernel.Sandbox;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.Verifier.Compile;

/// <summary>
/// The <c>compile</c> stage: clang for the BPF target against the sandbox toolchain's headers (the flags of
/// <c>bpf/build.sh</c>), with every diagnostic parsed into a finding with file, line and column. A candidate that
/// already has an object and no source passes through.
/// </summary>
/// <param name="options">Compiler options.</param>
/// <param name="time">Stamps the verdict.</param>
public sealed class ClangCompileStage(ClangCompileOptions? options = null, TimeProvider? time = null) : IVerificationStage
{
    private readonly ClangCompileOptions _options = options ?? new ClangCompileOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public string Name => "compile";

    /// <inheritdoc />
    public async ValueTask<StageVerdict> VerifyAsync(VerificationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var start = _time.GetTimestamp();
        var source = context.Candidate.SourcePath;
        if (source is null)
        {
            return context.ObjectPath is null
                ? Verdict(false, "The candidate has neither source nor object.", [new VerificationFinding("input", FindingSeverity.Error, "No source and no object given.", "Set SourcePath or ObjectPath on the candidate.")], "", start)
                : Verdict(true, "Already compiled; nothing to do.", [], "", start);
        }

        if (!File.Exists(source))
        {
            return Verdict(false, $"Source '{source}' does not exist.", [new VerificationFinding("input", FindingSeverity.Error, $"Source '{source}' does not exist.", "Write the scheduler's .bpf.c first.")], "", start);
        }

        if (!SandboxToolchain.TryLocate(_options.ToolchainDirectory, out var toolchain, out var failure))
        {
            return Verdict(false, failure!.Message, [new VerificationFinding("toolchain", FindingSeverity.Error, failure.Message, failure.Remedy)], "", start);
        }

        var outDir = _options.OutputDirectory ?? Path.Combine(Path.GetTempPath(), "schedcp-verifier");
        Directory.CreateDirectory(outDir);
        var output = Path.Combine(outDir, $"{Path.GetFileNameWithoutExtension(source)}-{Guid.NewGuid():N}.o");
        var psi = new ProcessStartInfo(_options.ClangPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-g", "-O2", "-target", "bpf", "-mcpu=v3", "-mlittle-endian", "-D__TARGET_ARCH_x86", $"-I{toolchain!.IncludeDirectory}", $"-I{Path.Combine(toolchain.IncludeDirectory, "bpf-compat")}" })
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var dir in await SystemIncludesAsync(cancellationToken).ConfigureAwait(false))
        {
            psi.ArgumentList.Add("-idirafter");
            psi.ArgumentList.Add(dir);
        }

        foreach (var a in new[] { "-Wall", "-Wno-compare-distinct-pointer-types", "-fno-color-diagnostics", "-c", source, "-o", output })
        {
            psi.ArgumentList.Add(a);
        }

        var (exit, stderr) = await RunAsync(psi, cancellationToken).ConfigureAwait(false);
        var findings = CompilerDiagnostic.Parse(stderr).Select(d => new VerificationFinding(
            "clang",
            d.IsError ? FindingSeverity.Error : d.Severity == "warning" ? FindingSeverity.Warning : FindingSeverity.Info,
            d.Message,
            d.IsError ? "Fix the source at this position and compile again." : "",
            new FindingLocation(d.File, d.Line, d.Column))).ToList();
        if (exit != 0)
        {
            var first = findings.FirstOrDefault(f => f.Severity == FindingSeverity.Error);
            return Verdict(false, first is null ? $"clang exited with {exit}." : $"clang failed: {first.Location}: {first.Message}", findings, stderr, start);
        }

        context.ObjectPath = output;
        return Verdict(true, $"Compiled to {output}.", findings, stderr, start);
    }

    private StageVerdict Verdict(bool passed, string reason, IReadOnlyList<VerificationFinding> findings, string log, long start) =>
        new(Name, passed, reason, findings, log, new Dictionary<string, double>(), _time.GetElapsedTime(start), _time.GetUtcNow());

    private async Task<IReadOnlyList<string>> SystemIncludesAsync(CancellationToken cancellationToken)
    {
        // The host's system include directories, after the toolchain's (bpf/build.sh does the same with sed).
        var psi = new ProcessStartInfo(_options.ClangPath) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", "-E", "-x", "c", "/dev/null" })
        {
            psi.ArgumentList.Add(a);
        }

        var (_, stderr) = await RunAsync(psi, cancellationToken).ConfigureAwait(false);
        var dirs = new List<string>();
        var inside = false;
        foreach (var line in stderr.Split('\n'))
        {
            if (line.StartsWith("#include <...> search starts here:", StringComparison.Ordinal))
            {
                inside = true;
            }
            else if (line.StartsWith("End of search list.", StringComparison.Ordinal))
            {
                inside = false;
            }
            else if (inside && line.StartsWith(' '))
            {
                dirs.Add(line.Trim());
            }
        }

        return dirs;
    }

    private async Task<(int Exit, string Stderr)> RunAsync(ProcessStartInfo psi, CancellationToken cancellationToken)
    {
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {psi.FileName}.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await stdout.ConfigureAwait(false);
        return (process.ExitCode, await stderr.ConfigureAwait(false));
    }
}
