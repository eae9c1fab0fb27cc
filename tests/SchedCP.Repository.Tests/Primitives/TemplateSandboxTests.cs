using System.Globalization;
using System.Text;
using SchedCP.Kernel.Loader;
using SchedCP.Kernel.Sandbox;
using SchedCP.Kernel.SchedExt;
using SchedCP.Kernel.Schedulers;
using SchedCP.Testing;
using Xunit.Abstractions;

namespace SchedCP.Repository.Tests.Primitives;

/// <summary>
/// Every template (bpf/build.sh built them) loads with its default parameters, attaches under its ops name on the
/// sandbox's sched_ext kernel, keeps running under a mixed CPU-bound and sleeping workload, and detaches — all
/// in one guest boot, one template after another.
/// </summary>
[Trait("Category", "Sandbox")]
public sealed class TemplateSandboxTests(ITestOutputHelper output)
{
    [SandboxFact]
    public async Task Every_template_attaches_runs_a_workload_and_detaches_in_one_guest()
    {
        var templates = SchedulerComposerTests.Templates().OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        var toolchain = BuildOutputs.Toolchain();
        var script = new StringBuilder(Prologue);
        var job = new SandboxJob("templates", "");
        foreach (var template in templates)
        {
            var defaults = template.Parameters.Where(p => p.Default is not null).ToDictionary(p => p.Name, p => p.Default!);
            var validated = ParameterValidator.Validate(template, defaults).GetValueOrThrow();
            var scheduler = new BpfObjectScheduler(BuildOutputs.BpfObject(template.Name))
            {
                Rodata = validated.Rodata.ToDictionary(r => r.Variable, r => r.Value),
            };
            var args = scheduler.LoaderArguments($"./{template.Name}.bpf.o").Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'");
            script.Append(CultureInfo.InvariantCulture, $"try_template {template.Name} {string.Join(' ', args)}\n");
            job.WithInput($"{template.Name}.bpf.o", scheduler.ObjectPath);
        }

        script.Append("exit 0\n");
        var run = new SandboxJob("templates", script.ToString()) { Timeout = TimeSpan.FromSeconds(90 + (30 * templates.Count)) };
        run.WithInput("schedcp-loader", toolchain.LoaderPath);
        foreach (var (inJob, host) in job.Inputs)
        {
            run.WithInput(inJob, host);
        }

        var result = await new SandboxRunner(new SandboxOptions { Timeout = run.Timeout.Value }).RunAsync(run);

        Assert.True(result.Succeeded, result.ToString());
        output.WriteLine($"one guest for {templates.Count} templates: {result.Timings}");
        foreach (var template in templates)
        {
            var events = (result.ReadOutput($"{template.Name}.jsonl") ?? "").Split('\n').Select(LoaderEvent.Parse).OfType<LoaderEvent>().ToList();
            var states = result.ReadOutput($"{template.Name}.states") ?? "";
            var because = $"{template.Name}: states [{states}] loader [{string.Join(" | ", events)}] stderr [{result.ReadOutput($"{template.Name}.stderr")}]";

            Assert.True(events.OfType<SchedulerAttached>().Any(), because);
            Assert.Equal(template.Parameters.Count, events.OfType<RodataAssigned>().Count());
            Assert.True(states.Contains($"attached enabled {template.OpsName}", StringComparison.Ordinal), because);
            Assert.True(states.Contains($"loaded enabled {template.OpsName}", StringComparison.Ordinal), because);
            Assert.True(states.Contains("after disabled", StringComparison.Ordinal), because);
            Assert.DoesNotContain(events.OfType<SchedulerExited>(), e => e.Kind >= SchedExtExitKind.Error);
            var loaded = events.OfType<SchedulerLoaded>().Single();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{template.Name}: load {loaded.LoadTime.TotalMilliseconds:0} ms, attach {events.OfType<SchedulerAttached>().Single().AttachTime.TotalMilliseconds:0} ms, {loaded.Programs.Sum(p => p.VerifiedInstructions)} verified instructions in {loaded.Programs.Count} programs"));
        }
    }

    /// <summary>try_template NAME ARGS...: attach, run two spinners and a sleeper for 2 s, stop, wait for detach.</summary>
    private const string Prologue = """
        S=/sys/kernel/sched_ext
        rd() { cat "$1" 2>/dev/null | tr -d '\n'; }
        state() { echo "$1 $(rd $S/state) $(rd $S/root/ops)" >> "out/$2.states"; }
        wait_state() {
            n=0
            while [ $n -lt 300 ]; do
                [ "$(rd $S/state)" = "$1" ] && return 0
                sleep 0.1
                n=$((n + 1))
            done
            return 1
        }
        try_template() {
            name=$1; shift
            ./schedcp-loader "$@" > "out/$name.jsonl" 2> "out/$name.stderr" &
            sched=$!
            wait_state enabled
            state attached $name
            timeout 2 sh -c 'while :; do :; done' & w1=$!
            timeout 2 sh -c 'while :; do :; done' & w2=$!
            timeout 2 sh -c 'while :; do sleep 0.01; done' & w3=$!
            wait $w1 $w2 $w3
            state loaded $name
            kill -INT $sched 2>/dev/null
            wait $sched
            wait_state disabled
            state after $name
        }
        [ -d $S ] || { echo "this kernel has no /sys/kernel/sched_ext" >&2; exit 90; }

        """;
}
