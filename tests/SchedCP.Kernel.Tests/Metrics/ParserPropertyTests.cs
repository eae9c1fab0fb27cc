using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SchedCP.Kernel.Metrics;

namespace SchedCP.Kernel.Tests.Metrics;

/// <summary>
/// Whatever bytes a parser is given (recorded files cut short or corrupted, or garbage) it returns a value or a
/// Malformed failure that names the file and what it expected; it never throws.
/// </summary>
public sealed class ParserPropertyTests
{
    private const string FileName = "sample";

    /// <summary>Each parser under test with the recorded sample it is fed.</summary>
    private static readonly (string Sample, Func<byte[], MetricsFailure?> Parse)[] Parsers =
    [
        ("host-proc-stat.txt", b => ProcStatParser.Parse(b, FileName).Failure),
        ("composed-schedstat-v16-2cpu.txt", b => SchedStatParser.Parse(b, FileName).Failure),
        ("host-pid-schedstat.txt", b => TaskSchedStat.Parse(b, FileName).Failure),
        ("host-pid-sched.txt", b => TaskSchedInfo.Parse(b, FileName).Failure),
        ("composed-pid-sched-schedstats-on.txt", b => TaskSchedInfo.Parse(b, FileName).Failure),
        ("host-pid-status.txt", b => TaskContextSwitches.ParseStatus(b, FileName).Failure),
        ("host-pressure-cpu.txt", b => PressureParser.Parse(b, FileName).Failure),
        ("host-loadavg.txt", b => PressureParser.ParseLoadAverage(b, FileName).Failure),
        ("host-perf-stat-sleep.csv", b => PerfStatParser.Parse(Encoding.UTF8.GetString(b), FileName).Failure),
    ];

    private static readonly byte[][] Samples = Parsers.Select(p => RecordedProc.Bytes(p.Sample)).ToArray();

    [Fact]
    public void Every_recorded_sample_parses()
    {
        for (var i = 0; i < Parsers.Length; i++)
        {
            Assert.True(Parsers[i].Parse(Samples[i]) is null, $"{Parsers[i].Sample}: {Parsers[i].Parse(Samples[i])}");
        }
    }

    [Property(MaxTest = 300)]
    public Property A_recorded_file_cut_short_mid_line_is_reported_as_malformed() =>
        Prop.ForAll(SampleAndCut().ToArbitrary(), t =>
        {
            var (index, cut) = t;
            var prefix = Samples[index][..cut];
            var failure = Parsers[index].Parse(prefix);
            var isPerf = Parsers[index].Sample.EndsWith(".csv", StringComparison.Ordinal);
            var endsMidLine = prefix.Length == 0 || prefix[^1] != (byte)'\n';
            // A cut at a line end can still be a valid shorter file; a cut mid-line never is (perf CSV is not kernel text).
            return (endsMidLine && !isPerf ? IsMalformed(failure) : failure is null || IsMalformed(failure))
                .Label($"{Parsers[index].Sample} cut at {cut}: {failure}");
        });

    [Property(MaxTest = 300)]
    public Property A_corrupted_recorded_file_gives_a_value_or_a_malformed_failure() =>
        Prop.ForAll(SampleAndCorruption().ToArbitrary(), t =>
        {
            var (index, corrupted) = t;
            var failure = Parsers[index].Parse(corrupted);
            return (failure is null || IsMalformed(failure)).Label($"{Parsers[index].Sample}: {failure}");
        });

    [Property(MaxTest = 200)]
    public Property Random_bytes_give_a_value_or_a_malformed_failure() =>
        Prop.ForAll(
            Gen.Choose(0, Parsers.Length - 1).Zip(Gen.ArrayOf(Gen.Elements(Alphabet))).ToArbitrary(),
            t =>
            {
                var failure = Parsers[t.Item1].Parse(t.Item2);
                return (failure is null || IsMalformed(failure)).Label($"{Parsers[t.Item1].Sample}: {failure}");
            });

    [Fact]
    public void A_strict_prefix_that_still_parses_reads_the_same_numbers_as_the_whole_file()
    {
        var whole = ProcStatParser.Parse(Samples[0], FileName).Value!;
        var end = Encoding.UTF8.GetString(Samples[0]).IndexOf("softirq", StringComparison.Ordinal);

        var prefix = ProcStatParser.Parse(Samples[0].AsSpan(0, end), FileName);

        Assert.True(prefix.Succeeded, prefix.ToString());
        Assert.Equal(whole.Cpus, prefix.Value.Cpus);
        Assert.Equal(whole.ContextSwitches, prefix.Value.ContextSwitches);
    }

    // Bytes that matter to the parsers (digits, separators, newlines, letters of keys) plus arbitrary ones.
    private static readonly byte[] Alphabet =
        [.. "0123456789 \t\n\n\n.,:=/-()#<>cpuversiontimestampdomainsomefullavgtotal_"u8, 0, 0xC3, 0xFF, 0x80];

    private static bool IsMalformed(MetricsFailure? f) =>
        f is { Kind: MetricsFailureKind.Malformed, File: FileName, Expected.Length: > 0 } && f.Line >= 0;

    private static Gen<(int, int)> SampleAndCut() =>
        from index in Gen.Choose(0, Parsers.Length - 1)
        from cut in Gen.Choose(0, Samples[index].Length - 1)
        select (index, cut);

    private static Gen<(int, byte[])> SampleAndCorruption() =>
        from index in Gen.Choose(0, Parsers.Length - 1)
        from edits in Gen.ListOf(Gen.Choose(0, Samples[index].Length - 1).Zip(Gen.Elements(Alphabet)), 3)
        select (index, Corrupt(Samples[index], edits));

    private static byte[] Corrupt(byte[] sample, IEnumerable<(int Position, byte Value)> edits)
    {
        var copy = (byte[])sample.Clone();
        foreach (var (position, value) in edits)
        {
            copy[position] = value;
        }

        return copy;
    }
}
