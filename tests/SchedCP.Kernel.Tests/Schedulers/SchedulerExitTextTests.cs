using SchedCP.Kernel.SchedExt;
using SchedCP.Kernel.Schedulers;

namespace SchedCP.Kernel.Tests.Schedulers;

public sealed class SchedulerExitTextTests
{
    // The end of scx_central's standard error when the kernel ejected it in a guest on a busy host (6.12).
    private const string CentralEjected = """
        DEBUG DUMP
        ================================================================================

        tr[88] triggered exit kind 1024:
          runtime error (SCX_DSQ_LOCAL[_ON] cannot move migration disabled tr[88] from CPU 1 to 0)

        ================================================================================

        EXIT: runtime error (SCX_DSQ_LOCAL[_ON] cannot move migration disabled tr[88] from CPU 1 to 0)

        """;

    [Fact]
    public void The_one_line_report_of_the_scx_headers_gives_the_kind_the_reason_and_the_message()
    {
        var exit = SchedulerExitText.Parse(CentralEjected);

        Assert.Equal((SchedExtExitKind.Error, "runtime error", "SCX_DSQ_LOCAL[_ON] cannot move migration disabled tr[88] from CPU 1 to 0"), exit);
    }

    [Theory]
    [InlineData("EXIT: unregistered from user space\n", SchedExtExitKind.Unregistered, "")]
    [InlineData("EXIT: scx_bpf_error (init from non-central CPU)\n", SchedExtExitKind.ErrorBpf, "init from non-central CPU")]
    [InlineData("EXIT: runnable task stall\nkworker/0:1[12] failed to run for 30.1s\n", SchedExtExitKind.ErrorStall, "kworker/0:1[12] failed to run for 30.1s")]
    [InlineData("EXIT: unregistered from the main kernel (hotplug)\n", SchedExtExitKind.UnregisteredByKernel, "hotplug")]
    public void Every_reason_of_the_kernel_is_read_with_its_message_on_the_line_or_the_next(string output, SchedExtExitKind kind, string message)
    {
        var exit = SchedulerExitText.Parse(output);

        Assert.Equal(kind, exit?.Kind);
        Assert.Equal(message, exit?.Message);
    }

    [Fact]
    public void Output_without_a_report_has_no_exit_and_an_unknown_reason_is_kept_as_written()
    {
        Assert.Null(SchedulerExitText.Parse("scheduler started\n"));
        Assert.Equal((SchedExtExitKind.None, "something new", ""), SchedulerExitText.Parse("EXIT: something new"));
    }
}
