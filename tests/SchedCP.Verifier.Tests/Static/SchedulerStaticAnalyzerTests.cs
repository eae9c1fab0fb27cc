using SchedCP.Kernel.Bpf.Programs;
using SchedCP.Verifier.Pipeline;
using SchedCP.Verifier.StaticAnalysis;

namespace SchedCP.Verifier.Tests.StaticAnalysis;

public class SchedulerStaticAnalyzerTests
{
    private static StaticAnalysisResult Analyze(string path, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var obj = BpfObject.Load(path);
        Assert.True(obj.Succeeded, obj.ToString());
        return SchedulerStaticAnalyzer.Analyze(obj.Value!, parameters);
    }

    [BpfBuildTheory]
    [InlineData("fifo")]
    [InlineData("vtime")]
    [InlineData("error")]
    [InlineData("reject")]
    public void Good_and_kernel_level_bad_schedulers_raise_no_static_error(string name)
    {
        var result = Analyze(BpfObjects.Build(name));
        Assert.True(result.Passed, string.Join('\n', result.Findings));
    }

    [BpfBuildTheory]
    [InlineData("scx_simple")]
    [InlineData("scx_qmap")]
    [InlineData("scx_central")]
    [InlineData("scx_flatcg")]
    public void Kernel_examples_raise_no_static_error(string name)
    {
        var result = Analyze(BpfObjects.Example(name));
        Assert.True(result.Passed, string.Join('\n', result.Findings));
    }

    [BpfBuildTheory]
    [InlineData("stall", "enqueue-drops-task", "stall_enqueue")]
    [InlineData("missing_dsq", "missing-dsq", "missing_dsq_enqueue")]
    [InlineData("no_dispatch", "dispatch-never-consumes", "no_dispatch_dispatch")]
    [InlineData("long_timeout", "timeout", "long_timeout_ops")]
    [InlineData("wrong_context", "kfunc-context", "wrong_context_enqueue")]
    public void Bad_scheduler_is_caught_by_the_right_check(string name, string check, string program)
    {
        var result = Analyze(BpfObjects.Build(name));
        var error = Assert.Single(result.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal(check, error.Check);
        Assert.Equal(program, error.Location?.Program);
        Assert.False(string.IsNullOrEmpty(error.Remedy));
    }

    [BpfBuildFact]
    public void Qmap_stall_knob_set_by_parameter_makes_enqueue_drop_tasks()
    {
        // With stall_user_nth = 0 the stalling return is dead code; a non-zero value makes it live.
        var result = Analyze(BpfObjects.Example("scx_qmap"), new Dictionary<string, string> { ["stall_user_nth"] = "3" });
        Assert.Contains(result.Findings, f => f.Check == "enqueue-drops-task");
    }

    [BpfBuildFact]
    public void Metrics_report_instructions_stack_and_longest_path_per_callback()
    {
        var result = Analyze(BpfObjects.Build("fifo"));
        Assert.True(result.Metrics["instructions.enqueue"] > 0);
        Assert.True(result.Metrics["longest_path.enqueue"] <= result.Metrics["instructions.enqueue"]);
        Assert.Equal(32, result.Metrics["stack.enqueue"]);
    }

    [BpfBuildFact]
    public void Object_model_resolves_kfuncs_helpers_and_struct_ops_callbacks()
    {
        var obj = BpfObject.Load(BpfObjects.Build("fifo")).Value!;
        var ops = Assert.Single(obj.StructOps);
        Assert.Equal("sched_ext_ops", ops.TypeName);
        Assert.Equal("fifo_enqueue", ops.Callbacks["enqueue"]);
        Assert.Equal(5000u, ops.ReadUInt32("timeout_ms"));
        Assert.Equal("schedcp_fifo", ops.ReadString("name", 128));
        var enqueue = obj.FindCallback("enqueue")!;
        Assert.Contains(enqueue.Calls, c => c.Kind == BpfCallKind.Kfunc && c.Target == "scx_bpf_dispatch");
        Assert.Contains(enqueue.Calls, c => c.Kind == BpfCallKind.Helper && c.Target == "bpf_map_lookup_elem" && c.HelperId == 1);
        Assert.True(obj.FindCallback("init")!.IsSleepable);
    }

    [BpfBuildFact]
    public void Subprogram_calls_and_loops_are_resolved_in_scx_central()
    {
        var obj = BpfObject.Load(BpfObjects.Example("scx_central")).Value!;
        var dispatch = obj.FindCallback("dispatch")!;
        Assert.Contains(dispatch.Calls, c => c.Kind == BpfCallKind.Subprogram && c.Target == "dispatch_to_cpu");
        Assert.NotEmpty(dispatch.ControlFlow.Loops);
        Assert.Contains(obj.FindCallback("init")!.Calls, c => c.Kind == BpfCallKind.Callback && c.Target == "central_timerfn");
    }
}
