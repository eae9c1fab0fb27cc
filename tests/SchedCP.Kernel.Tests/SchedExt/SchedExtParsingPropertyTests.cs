using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SchedCP.Kernel.Loader;
using SchedCP.Kernel.SchedExt;

namespace SchedCP.Kernel.Tests.SchedExt;

/// <summary>sysfs and loader text, however malformed, never makes a parser throw.</summary>
public sealed class SchedExtParsingPropertyTests
{
    private const string RecordedEnabled = """{"event":"exited","trigger":"SIGINT","kind":64,"kind_name":"UNREG","exit_code":0,"reason":"unregistered from user space","message":"","dump":"","state":"disabled"}""";

    [Property(MaxTest = 500)]
    public bool Any_loader_line_parses_to_an_event_or_nothing(string line) =>
        LoaderEvent.Parse(line ?? "") is not null || string.IsNullOrWhiteSpace(line);

    [Property(MaxTest = 300)]
    public Property A_recorded_loader_line_cut_short_is_unrecognised_not_an_exception() =>
        Prop.ForAll(Gen.Choose(0, RecordedEnabled.Length - 1).ToArbitrary(), cut =>
        {
            var e = LoaderEvent.Parse(RecordedEnabled[..cut]);
            return e is null || e is UnrecognisedLoaderOutput;
        });

    [Property(MaxTest = 500)]
    public bool Any_sample_line_parses_to_a_snapshot_or_nothing(string line) =>
        SchedExtSnapshot.ParseLine(line ?? "") is null or { Label.Length: > 0 };

    [Property(MaxTest = 100)]
    public bool Any_sysfs_contents_read_as_a_status_or_a_typed_failure(string state, string ops, string seq)
        {
        var root = Directory.CreateTempSubdirectory("schedcp-sysfs-").FullName;
            try
            {
                Directory.CreateDirectory(Path.Combine(root, "root"));
                File.WriteAllText(Path.Combine(root, "state"), state ?? "");
                File.WriteAllText(Path.Combine(root, "root", "ops"), ops ?? "");
                File.WriteAllText(Path.Combine(root, "enable_seq"), seq ?? "");
                var ok = new SchedExtState(root).TryRead(out var status, out var failure);
                return ok ? status is not null && (status.EnableSeq >= -1) : failure is not null;
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }
}
