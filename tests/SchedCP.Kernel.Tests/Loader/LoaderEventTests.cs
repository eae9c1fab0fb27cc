using SchedCP.Kernel.Loader;
using SchedCP.Kernel.SchedExt;

namespace SchedCP.Kernel.Tests.Loader;

public sealed class LoaderEventTests
{
    [Fact]
    public void Exited_event_carries_the_kernel_exit_kind_and_message()
    {
        var e = LoaderEvent.Parse("""{"event":"exited","trigger":"scheduler_exit","kind":1026,"kind_name":"ERROR_STALL","exit_code":0,"reason":"runnable task stall","message":"kworker/0:1[12] failed to run for 3.1s","dump":"","state":"disabled"}""");

        var exited = Assert.IsType<SchedulerExited>(e);
        Assert.Equal(SchedExtExitKind.ErrorStall, exited.Kind);
        Assert.Equal("runnable task stall", exited.Reason);
        Assert.Contains("failed to run", exited.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loaded_event_lists_verifier_statistics_per_program()
    {
        var e = LoaderEvent.Parse("""{"event":"loaded","load_ms":41.5,"programs":[{"name":"fifo_enqueue","insns":12,"verified_insns":14,"jited_bytes":90}]}""");

        var loaded = Assert.IsType<SchedulerLoaded>(e);
        Assert.Equal(TimeSpan.FromMilliseconds(41.5), loaded.LoadTime);
        Assert.Equal(new LoadedProgram("fifo_enqueue", 12, 14, 90), loaded.Programs.Single());
    }

    [Fact]
    public void Load_failure_keeps_the_verifier_log_with_its_newlines()
    {
        var e = LoaderEvent.Parse("""{"event":"load_failed","errno":13,"error":"Permission denied","log":"0: R1=ctx\n5: R0 invalid mem access 'map_value_or_null'\n"}""");

        var failed = Assert.IsType<SchedulerLoadFailed>(e);
        Assert.Equal(13, failed.Errno);
        Assert.Contains("\n5: R0 invalid mem access", failed.VerifierLog, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"event":"something-new"}""")]
    [InlineData("""{"event":"loaded","programs":[{"name":1}]}""")]
    public void Lines_that_are_not_known_events_are_kept_as_unrecognised(string line) =>
        Assert.Equal(line, Assert.IsType<UnrecognisedLoaderOutput>(LoaderEvent.Parse(line)).Line);

    [Fact]
    public void Blank_line_is_no_event() => Assert.Null(LoaderEvent.Parse("  "));
}
