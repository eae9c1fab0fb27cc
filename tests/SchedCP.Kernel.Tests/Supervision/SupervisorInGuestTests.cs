using SchedCP.Kernel.Tests.Sandbox;

namespace SchedCP.Kernel.Tests.Supervision;

/// <summary>The real supervisor, capability probe and metrics collectors, run inside the guest on a real sched_ext kernel.</summary>
[Collection(SandboxGroup.Name)]
[Trait("Category", "Sandbox")]
public sealed class SupervisorInGuestTests(GuestScenarioRun run, ITestOutputHelper output) : IClassFixture<GuestScenarioRun>
{
    [SandboxFact]
    public Task Capability_report_inside_the_guest_says_schedulers_can_run() => AssertScenario("capabilities");

    [SandboxFact]
    public Task Own_fifo_scheduler_is_started_confirmed_and_stopped() => AssertScenario("start_stop_fifo");

    [SandboxFact]
    public Task Own_vtime_scheduler_is_started_confirmed_and_stopped() => AssertScenario("start_stop_vtime");

    [SandboxFact]
    public Task Kernel_example_scx_simple_is_started_confirmed_and_stopped() => AssertScenario("start_stop_scx_simple");

    [SandboxFact]
    public Task Kernel_example_scx_qmap_is_started_confirmed_and_stopped() => AssertScenario("start_stop_scx_qmap");

    [SandboxFact]
    public Task Kernel_example_scx_central_is_started_confirmed_and_stopped() => AssertScenario("start_stop_scx_central");

    [SandboxFact]
    public Task Switch_replaces_the_scheduler_and_restores_the_previous_one_when_the_new_one_fails() => AssertScenario("switch");

    [SandboxFact]
    public Task Stalling_scheduler_is_reported_with_error_stall() => AssertScenario("stall_report");

    [SandboxFact]
    public Task Erroring_scheduler_is_reported_with_error_bpf_and_its_message() => AssertScenario("error_report");

    [SandboxFact]
    public Task Stop_escalates_to_kill_when_the_scheduler_ignores_sigint() => AssertScenario("stop_escalation");

    [SandboxFact]
    public Task Loader_killed_mid_run_is_reported_as_killed_and_the_kernel_falls_back() => AssertScenario("loader_killed");

    [SandboxFact]
    public Task Second_scheduler_is_refused_while_one_is_attached_naming_it() => AssertScenario("foreign_refused");

    [SandboxFact]
    public Task Metrics_deltas_under_a_cpu_workload_match_what_it_did() => AssertScenario("metrics_under_load");

    private async Task AssertScenario(string name)
    {
        var (sandbox, verdicts) = await run.Result;
        output.WriteLine(sandbox.ToString());
        output.WriteLine(sandbox.JobLog.Length > 4000 ? sandbox.JobLog[^4000..] : sandbox.JobLog);
        Assert.Null(sandbox.Failure);
        Assert.True(verdicts.TryGetValue(name, out var verdict), $"scenario '{name}' left no verdict");
        output.WriteLine(verdict.Detail);
        Assert.True(verdict.Passed, verdict.Detail);
    }
}
