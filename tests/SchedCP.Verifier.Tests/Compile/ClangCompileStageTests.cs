using SchedCP.Verifier.Compile;
using SchedCP.Verifier.Pipeline;
using SchedCP.Verifier.StaticAnalysis;

namespace SchedCP.Verifier.Tests.Compile;

public class ClangCompileStageTests
{
    private static async Task<VerificationReport> RunAsync(string source)
    {
        var dir = Directory.CreateTempSubdirectory("verifier-compile").FullName;
        var path = Path.Combine(dir, "candidate.bpf.c");
        await File.WriteAllTextAsync(path, source);
        var pipeline = new VerifierPipelineBuilder().UseCompile(o => o.OutputDirectory = dir).UseStaticAnalysis().Build();
        return await pipeline.VerifyAsync(VerificationCandidate.FromSource("candidate", path));
    }

    private const string Header = "#include <scx/common.bpf.h>\nchar _license[] SEC(\"license\") = \"GPL\";\n";

    [BpfBuildFact]
    public async Task Syntax_error_stops_at_compile_with_its_line_and_column()
    {
        var report = await RunAsync(Header + "void BPF_STRUCT_OPS(x_enqueue, struct task_struct *p, u64 enq_flags)\n{\n\tscx_bpf_dispatch(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags)\n}\n");
        var failed = report.FailedStage!;
        Assert.Equal("compile", failed.Stage);
        var error = failed.Errors.First();
        Assert.Equal(5, error.Location!.Line);
        Assert.True(error.Location.Column > 0);
        Assert.Contains("expected ';'", error.Message, StringComparison.Ordinal);
    }

    [BpfBuildFact]
    public async Task Unknown_identifier_is_reported_by_name()
    {
        var report = await RunAsync(Header + "void BPF_STRUCT_OPS(x_enqueue, struct task_struct *p, u64 enq_flags)\n{\n\tscx_bpf_dispatch(p, NO_SUCH_DSQ, SCX_SLICE_DFL, enq_flags);\n}\n");
        var error = report.FailedStage!.Errors.First();
        Assert.Equal("compile", report.FailedStage.Stage);
        Assert.Contains("NO_SUCH_DSQ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("candidate.bpf.c", error.Location!.File, StringComparison.Ordinal);
    }

    [BpfBuildFact]
    public async Task Good_source_compiles_and_passes_static_analysis()
    {
        var source = await File.ReadAllTextAsync(Path.Combine(BpfObjects.Repo, "bpf", "schedulers", "fifo.bpf.c"));
        var report = await RunAsync(source);
        Assert.True(report.Passed, string.Join('\n', report.Verdicts));
        Assert.Equal(["compile", "static"], report.Verdicts.Select(v => v.Stage));
    }

    [BpfBuildFact]
    public async Task Stalling_source_compiles_then_stops_at_static()
    {
        var report = await RunAsync(await File.ReadAllTextAsync(Path.Combine(BpfObjects.Repo, "bpf", "testing", "stall.bpf.c")));
        Assert.Equal("static", report.FailedStage!.Stage);
        Assert.Equal("enqueue-drops-task", report.FailedStage.Errors.First().Check);
    }

    [Fact]
    public void Diagnostics_are_parsed_with_position_and_severity()
    {
        var d = Assert.Single(CompilerDiagnostic.Parse("a.bpf.c:12:7: warning: unused variable 'x' [-Wunused-variable]\n   12 | int x;\n      |     ^\n"));
        Assert.Equal(("a.bpf.c", 12, 7, "warning", "unused variable 'x'"), (d.File, d.Line, d.Column, d.Severity, d.Message));
    }
}
