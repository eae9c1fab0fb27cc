using System.Text;
using SchedCP.Kernel.Analysis;
using SchedCP.Kernel.Loader;
using SchedCP.Kernel.Metrics;

namespace SchedCP.Kernel.Tests.Metrics;

/// <summary>
/// Seeded fuzzing of every text parser of procfs, perf, loader and probe output: random and mutated lines (damaged
/// bytes, numbers swapped for boundary values, lines dropped, repeated or cut) give a typed failure or a value, never an
/// exception.
/// </summary>
public sealed class TextParserFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261205;
    private const int MutantsPerSample = 3_000;

    private static readonly string[] Numbers =
        ["0", "-1", "18446744073709551615", "18446744073709551616", "9223372036854775807", "-9223372036854775808", "2147483648",
         "99999999999999999999999999", "1e308", "1e400", "-1e400", "NaN", "0.0000001", "9223372036854.999999", "", "1.2.3", "+5", "0x10"];

    private static readonly string Alphabet = "0123456789 \t\n:.,-+/=(){}[]\"#<>eEcpuversionsomefulltotalavg\\\0\u00ff";

    public static TheoryData<string> Parsers => new(Samples.Keys);

    private static readonly Dictionary<string, (string Sample, Action<string> Parse)> Samples = new()
    {
        ["proc-stat"] = (RecordedProc.Text("host-proc-stat.txt"), t => ProcStatParser.Parse(Encoding.UTF8.GetBytes(t))),
        ["schedstat"] = (RecordedProc.Text("composed-schedstat-v16-2cpu.txt"), t => SchedStatParser.Parse(t)),
        ["pressure"] = (RecordedProc.Text("host-pressure-cpu.txt"), t => PressureParser.Parse(t)),
        ["loadavg"] = (RecordedProc.Text("host-loadavg.txt"), t => PressureParser.ParseLoadAverage(t)),
        ["pid-sched"] = (RecordedProc.Text("composed-pid-sched-schedstats-on.txt"), t => TaskSchedInfo.Parse(t)),
        ["pid-schedstat"] = (RecordedProc.Text("host-pid-schedstat.txt"), t => TaskSchedStat.Parse(t)),
        ["pid-status"] = (RecordedProc.Text("host-pid-status.txt"), t => TaskContextSwitches.ParseStatus(t)),
        ["pid-stat"] = ("4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194560 130 0 0 0 2 1 0 0 20 0 1 0 1234 5 6\n", t => ProcessTreeObserver.ParseStat(t)),
        ["perf-stat"] = (RecordedProc.Text("host-perf-stat-sleep.csv"), t => PerfStatParser.Parse(t)),
        ["loader-events"] = (
            """
            {"event":"opened","object":"/tmp/a.bpf.o","ops_map":"fifo_ops","programs":["fifo_enqueue","fifo_dispatch"]}
            {"event":"rodata","name":"slice_ns","value":"5000000","size":8}
            {"event":"loaded","load_ms":41.5,"programs":[{"name":"fifo_enqueue","insns":12,"verified_insns":14,"jited_bytes":90}]}
            {"event":"load_failed","errno":13,"error":"Permission denied","log":"0: R1=ctx\n5: R0 invalid mem access 'map_value_or_null'\n"}
            {"event":"attached","attach_ms":3.25,"state":"enabled","enable_seq":7}
            {"event":"exited","trigger":"scheduler_exit","kind":1026,"exit_code":0,"reason":"runnable task stall","message":"kworker","dump":""}
            {"event":"detached","ran_ms":1200.5}
            {"event":"error","stage":"open","message":"no struct_ops map"}
            """, t =>
            {
                foreach (var line in t.Split('\n'))
                {
                    LoaderEvent.Parse(line);
                }
            }),
        ["probe-report"] = (
            """{"event":"histograms","duration_ms":155.9,"command_status":0,"dropped":0,"runq_latency_us":{"count":137,"sum":12345,"slots":[14,10,7,30,53,8,3,3,1,4,3,1]},"process_lifetime_us":{"count":4,"sum":614344,"slots":[0,0,0,4]},"thread_lifetime_us":{"count":0,"sum":0,"slots":[]},"per_comm":[{"comm":"sleep","count":9,"sum":301,"slots":[0,2,3,1,1,2]},{"comm":"sleep","count":1,"sum":3,"slots":[0,1]}]}""" + "\n",
            t => RunQueueLatencyReport.TryParse(t, out _, out _)),
    };

    [Theory]
    [MemberData(nameof(Parsers))]
    public void Mutated_and_random_text_gives_a_typed_result_never_an_exception(string parser)
    {
        var (sample, parse) = Samples[parser];
        var random = new Random(Seed ^ parser.Length ^ (parser[0] << 8) ^ (parser[^1] << 16));
        var failures = new List<string>();
        for (var i = 0; i < MutantsPerSample; i++)
        {
            var text = i % 10 == 9 ? RandomLines(random) : Mutate(sample, random);
            try
            {
                parse(text);
            }
            catch (Exception e)
            {
                failures.Add($"#{i}: {e.GetType().Name}: {e.Message} in {Shorten(text)}");
            }
        }

        output.WriteLine($"{parser}: {MutantsPerSample} inputs, seed {Seed}, {failures.Count} exceptions");
        Assert.True(failures.Count == 0, $"{failures.Count} of {MutantsPerSample} inputs threw ({parser}, seed {Seed}):\n{string.Join('\n', failures.Take(5))}");
    }

    private static string Mutate(string sample, Random random)
    {
        var text = sample;
        var changes = 1 + random.Next(3);
        for (var c = 0; c < changes; c++)
        {
            text = random.Next(7) switch
            {
                0 => ReplaceNumber(text, random),
                1 => ReplaceNumber(text, random),
                2 => SetChar(text, random),
                3 => text[..random.Next(text.Length + 1)],
                4 => DropOrRepeatLine(text, random),
                5 => text.Insert(random.Next(text.Length + 1), RandomLines(random)),
                _ => DeleteRange(text, random),
            };
        }

        return text;
    }

    private static string ReplaceNumber(string text, Random random)
    {
        var digits = Enumerable.Range(0, text.Length).Where(i => char.IsAsciiDigit(text[i]) && (i == 0 || !char.IsAsciiDigit(text[i - 1]))).ToArray();
        if (digits.Length == 0)
        {
            return text;
        }

        var start = digits[random.Next(digits.Length)];
        var end = start;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.'))
        {
            end++;
        }

        return string.Concat(text.AsSpan(0, start), Numbers[random.Next(Numbers.Length)], text.AsSpan(end));
    }

    private static string SetChar(string text, Random random)
    {
        if (text.Length == 0)
        {
            return text;
        }

        var chars = text.ToCharArray();
        chars[random.Next(chars.Length)] = Alphabet[random.Next(Alphabet.Length)];
        return new string(chars);
    }

    private static string DropOrRepeatLine(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        var at = random.Next(lines.Count);
        if (random.Next(2) == 0)
        {
            lines.RemoveAt(at);
        }
        else
        {
            lines.Insert(at, lines[at]);
        }

        return string.Join('\n', lines);
    }

    private static string DeleteRange(string text, Random random)
    {
        if (text.Length == 0)
        {
            return text;
        }

        var at = random.Next(text.Length);
        return text.Remove(at, 1 + random.Next(Math.Min(text.Length - at, 40)));
    }

    private static string RandomLines(Random random)
    {
        var builder = new StringBuilder();
        var length = random.Next(200);
        for (var i = 0; i < length; i++)
        {
            builder.Append(random.Next(8) == 0 ? Numbers[random.Next(Numbers.Length)] : Alphabet[random.Next(Alphabet.Length)].ToString());
        }

        return builder.Append('\n').ToString();
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "..." : text;
}

/// <summary>The text parser findings, one by one.</summary>
public sealed class TextParserBoundsTests
{
    [Fact]
    public void Loader_event_with_a_duration_beyond_timespan_is_unrecognised_output_not_an_exception()
    {
        var e = LoaderEvent.Parse("""{"event":"loaded","load_ms":1e300,"programs":[]}""");

        Assert.IsType<UnrecognisedLoaderOutput>(e);
    }

    [Fact]
    public void Probe_histogram_whose_counts_overflow_is_malformed_output()
    {
        const string json = """{"event":"histograms","duration_ms":1,"command_status":0,"runq_latency_us":{"count":1,"sum":1,"slots":[9223372036854775807,9223372036854775807]},"process_lifetime_us":{"count":0,"sum":0,"slots":[]},"thread_lifetime_us":{"count":0,"sum":0,"slots":[]},"per_comm":[]}""";

        Assert.False(RunQueueLatencyReport.TryParse(json, out _, out var failure));
        Assert.Equal(ProbeFailureKind.MalformedOutput, failure?.Kind);
    }

    [Fact]
    public void Loader_line_and_probe_output_over_their_caps_are_refused_unparsed()
    {
        var line = "{\"event\":\"error\",\"stage\":\"open\",\"message\":\"" + new string('x', LoaderEvent.MaxLineLength) + "\"}";
        var output = "{\"event\":\"histograms\"," + new string(' ', RunQueueLatencyReport.MaxOutputLength) + "}";

        Assert.IsType<UnrecognisedLoaderOutput>(LoaderEvent.Parse(line));
        Assert.False(RunQueueLatencyReport.TryParse(output, out _, out var failure));
        Assert.Contains("more than", failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Proc_pid_stat_with_a_parent_id_beyond_int_is_not_a_process()
    {
        Assert.Null(ProcessTreeObserver.ParseStat("42 (x) S 99999999999 42 42\n"));
        Assert.Equal(('S', 1), ProcessTreeObserver.ParseStat("42 (a (b) c) S 1 42 42\n"));
    }

    [Fact]
    public void Sched_time_whose_nanoseconds_overflow_is_malformed_instead_of_negative()
    {
        var text = "x (42, #threads: 1)\n---\nse.sum_exec_runtime : 9223372036854.999999\n";

        var result = TaskSchedInfo.Parse(text);

        Assert.False(result.Succeeded, $"parsed as {result.Value?.SumExecRuntimeNs}");
        Assert.Equal(MetricsFailureKind.Malformed, result.Failure.Kind);
    }

    [Fact]
    public async Task Collector_refuses_a_fifo_in_place_of_a_proc_file_without_blocking()
    {
        using var root = RecordedProc.Root(("proc/placeholder", ""));
        var fifo = Path.Combine(root.Path, "proc", "stat");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
        }

        var capture = Task.Run(() => new ProcStatCollector(root.Path).Capture());

        Assert.Same(capture, await Task.WhenAny(capture, Task.Delay(TimeSpan.FromSeconds(10))));
        var failure = (await capture).Failure;
        Assert.Equal(MetricsFailureKind.ReadFailed, failure?.Kind);
        Assert.Contains("FIFO", failure!.Message, StringComparison.Ordinal);
    }
}
