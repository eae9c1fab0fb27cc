using System.Diagnostics;
using SchedCP.Verifier.Compile;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.Verifier.Tests.Compile;

/// <summary>A submitted source can make clang read no host file, cannot exhaust the verifier, and is screened with a line number.</summary>
public sealed class UntrustedSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("verifier-untrusted").FullName;
    private readonly string _secretPath;
    private const string Secret = "hostsecret_5f2c91";

    public UntrustedSourceTests()
    {
        _secretPath = Path.Combine(_dir, "secret.h");
        File.WriteAllText(_secretPath, Secret + " and more\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<StageVerdict> CompileAsync(string source, Action<ClangCompileOptions>? configure = null)
    {
        var path = Path.Combine(_dir, "candidate.bpf.c");
        await File.WriteAllTextAsync(path, source);
        var options = new ClangCompileOptions { OutputDirectory = _dir };
        configure?.Invoke(options);
        var context = new VerificationContext(VerificationCandidate.FromSource("candidate", path));
        return await new ClangCompileStage(options).VerifyAsync(context);
    }

    private static void AssertNothingEchoed(StageVerdict verdict)
    {
        var everything = string.Join('\n', verdict.Findings.Select(f => f.ToString() + f.Remedy)) + verdict.Reason + verdict.Log;
        Assert.DoesNotContain(Secret, everything, StringComparison.Ordinal);
    }

    [BpfBuildTheory]
    [InlineData("#include \"{0}\"\n", 1)]
    [InlineData("int a;\n#include <{0}>\n", 2)]
    [InlineData("int a;\n\n%:inc\\\nlude \"{0}\"\n", 3)]
    [InlineData("# /* hidden */ include \"{0}\"\n", 1)]
    [InlineData("#define F \"{0}\"\n#include F\n", 2)]
    [InlineData("#import \"{0}\"\n", 1)]
    [InlineData("#include_next <scx/common.bpf.h>\n", 1)]
    [InlineData("#include \"../../../../../../..{0}\"\n", 1)]
    [InlineData("#if __has_include(\"{0}\")\nint a;\n#endif\n", 1)]
    [InlineData("_Pragma(\"GCC dependency \\\"{0}\\\"\")\n", 1)]
    [InlineData("#pragma GCC dependency \"{0}\"\n", 1)]
    [InlineData("??=include \"{0}\"\n", 1)]
    public async Task An_include_of_a_host_file_is_refused_with_its_line_and_nothing_of_the_file_is_shown(string template, int line)
    {
        var verdict = await CompileAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, _secretPath));
        Assert.False(verdict.Passed);
        var finding = Assert.Single(verdict.Findings.Take(1));
        Assert.Equal("source-screen", finding.Check);
        Assert.Equal(line, finding.Location!.Line);
        Assert.NotEmpty(finding.Remedy);
        AssertNothingEchoed(verdict);
    }

    [BpfBuildTheory]
    [InlineData("asm(\".include \\\"{0}\\\"\");\n")]
    [InlineData("#define S(x) #x\n#define X(x) S(x)\n#define C(a, b) a##b\nasm(X(C(.inc, lude)) \" \\\"{0}\\\"\");\n")]
    [InlineData("asm(\".in\" \"cbin \\\"{0}\\\"\");\n")]
    [InlineData("asm(\"\\x2eincbin \\\"{0}\\\"\");\n")]
    public async Task An_assembler_directive_that_reads_a_host_file_is_refused_however_the_string_is_built(string template)
    {
        var verdict = await CompileAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, _secretPath));
        Assert.False(verdict.Passed);
        Assert.Equal("source-screen", verdict.Findings[0].Check);
        AssertNothingEchoed(verdict);
    }

    [Fact]
    public async Task A_source_over_the_size_cap_is_refused_from_its_size_before_it_is_read()
    {
        var verdict = await CompileAsync(new string('/', 4096), o => o.MaxSourceBytes = 1024);
        Assert.False(verdict.Passed);
        Assert.Equal("source-size", verdict.Findings[0].Check);
        Assert.Contains("1024", verdict.Findings[0].Message, StringComparison.Ordinal);
    }

    [BpfBuildFact]
    public async Task A_compiler_that_runs_too_long_is_killed_and_the_stage_fails_with_a_timeout()
    {
        // 2^26 tokens from a few lines: the preprocessor alone needs far more than the one second allowed.
        var lines = new List<string> { "#define A0 x" };
        for (var i = 1; i <= 26; i++)
        {
            lines.Add($"#define A{i} A{i - 1} A{i - 1}");
        }

        lines.Add("int A26;");
        var clock = Stopwatch.StartNew();
        var verdict = await CompileAsync(string.Join('\n', lines) + "\n", o => o.Timeout = TimeSpan.FromSeconds(1));
        Assert.False(verdict.Passed);
        Assert.Equal("timeout", verdict.Findings[0].Check);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.DoesNotContain(Process.GetProcessesByName("clang"), p => SafeCommandLine(p).Contains("schedcp-compile-", StringComparison.Ordinal) && SafeCommandLine(p).Contains(_dir, StringComparison.Ordinal));
    }

    private static string SafeCommandLine(Process p)
    {
        try
        {
            return File.ReadAllText($"/proc/{p.Id}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }

    public static TheoryData<string> Sources() =>
        [.. new[] { "schedulers", "templates", "testing" }.SelectMany(d => Directory.GetFiles(Path.Combine(BpfObjects.Repo, "bpf", d), "*.bpf.c")).Select(p => Path.GetRelativePath(BpfObjects.Repo, p)).Order(StringComparer.Ordinal)];

    /// <summary>A template is stored as its recipe's composition, which is what clang sees with -I bpf/primitives: each include replaced by the primitive.</summary>
    [BpfBuildTheory]
    [MemberData(nameof(Sources))]
    public async Task Every_scheduler_of_the_project_still_compiles_without_host_headers(string relative)
    {
        var primitives = Path.Combine(BpfObjects.Repo, "bpf", "primitives");
        var lines = (await File.ReadAllLinesAsync(Path.Combine(BpfObjects.Repo, relative)))
            .Select(l => relative.StartsWith("bpf/templates/", StringComparison.Ordinal) && l.StartsWith("#include \"", StringComparison.Ordinal) ? File.ReadAllText(Path.Combine(primitives, l["#include \"".Length..^1])) : l);
        var verdict = await CompileAsync(string.Join('\n', lines) + "\n");
        Assert.True(verdict.Passed, verdict + "\n" + string.Join('\n', verdict.Findings));
    }
}
