using OpenQA.Selenium;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.Orchestration;
using SchedCP.Agents.Runtime.Orchestration.Dags;
using SchedCP.Agents.Runtime.Orchestration.Resources;
using SchedCP.Console.Feed;

namespace SchedCP.Console.Tests.Browser;

/// <summary>The console's pages in headless Chromium: live updates over server-sent events, actions from buttons, replay links.</summary>
[Trait("Category", "Browser")]
[Collection(BrowserGroup.Name)]
public sealed class ConsoleInBrowserTests
{
    [BrowserFact]
    public async Task A_running_optimise_loop_appears_and_updates_without_a_reload()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var browser = ConsoleBrowser.LogIn(server);
        browser.Open("/loops");
        browser.WaitLive();
        var feed = server.Feed;

        feed.LoopStarted("longtail-20261206", "longtail", "makespan_ms", higherIsBetter: false);
        feed.StageChanged("longtail-20261206", new LoopStageView("observation", LoopStageStatus.Running, null));
        browser.Click(By.LinkText("longtail-20261206"), "the loop to appear in the list");
        browser.WaitLive();
        browser.Script("window.loadedOnce = 'yes';");

        feed.StageChanged("longtail-20261206", new LoopStageView("observation", LoopStageStatus.Done, "4 long tasks of 40 ms among 60 short ones"));
        feed.StageChanged("longtail-20261206", new LoopStageView("planning-1", LoopStageStatus.Done, "reconfigure by offline planner"));
        feed.StageChanged("longtail-20261206", new LoopStageView("execution-1", LoopStageStatus.Running, "measuring side by side with EEVDF"));
        feed.CandidateChanged("longtail-20261206", new CandidateView("scx_simple fifo", "scx_simple", "measured", 412.0, 398.5, "no significant change", "3 % shorter, inside the noise"));
        feed.CandidateChanged("longtail-20261206", new CandidateView("longjob slice=20ms", "longjob", "measured", 412.0, 352.1, "better", "14.5 % shorter makespan"));
        feed.VerifierReported("longtail-20261206", new VerifierReportView("longjob slice=20ms", true,
            [new("compile", true, "clang -O2 -target bpf"), new("static", true, "no unbounded loop"), new("kernel-verifier", true, "1 204 insns verified"), new("sandbox", true, "ran 3 s, no stall")]));
        feed.VerifierReported("longtail-20261206", new VerifierReportView("generated-2", false,
            [new("compile", true, "ok"), new("kernel-verifier", false, "R1 invalid mem access 'map_value_or_null'")]));
        feed.CostReported("longtail-20261206", [new("observation", 3.2, 1, 2100, 0.004m), new("planning-1", 1.1, 1, 1800, 0.003m), new("execution-1", 41.5, 2, 5200, 0.009m)]);

        browser.Until(d => d.FindElements(By.CssSelector("#side-by-side rect.bar-better")).Count == 1, "the better candidate's bar in the chart");
        browser.Until(d => d.FindElement(By.CssSelector("li[data-stage='execution-1'] .status")).Text == "Running", "the running stage");
        Assert.Equal(2, browser.Driver.FindElements(By.CssSelector("[data-candidate]")).Count);
        Assert.Contains("rejected", browser.Driver.FindElement(By.CssSelector("details[data-verifier='generated-2']")).Text, StringComparison.Ordinal);
        browser.Screenshot("console-loop");

        feed.StageChanged("longtail-20261206", new LoopStageView("execution-1", LoopStageStatus.Done, "2 candidates measured"));
        feed.LoopFinished("longtail-20261206", "best: longjob slice=20ms, makespan 14.5 % shorter than EEVDF (better)");
        browser.Until(d => d.FindElement(By.Id("loop-outcome")).Text.StartsWith("best: longjob", StringComparison.Ordinal), "the outcome");
        Assert.Equal("yes", browser.Script("return window.loadedOnce;"));
    }

    [BrowserFact]
    public async Task A_lock_queue_shows_the_holder_and_the_waiters_in_order_and_empties_live()
    {
        await using var server = await ConsoleServer.StartAsync();
        await using var scenario = new ContendedRuntime();
        server.Feed.AttachRuntime("rt", scenario.Runtime);
        using var browser = ConsoleBrowser.LogIn(server);
        browser.Open("/locks");
        browser.WaitLive();

        scenario.Start();

        // Read in one script call: the live region may be replaced between two driver calls.
        var waiters = browser.Until(_ => browser.Texts("#waiters-rt .waiter") is { Count: 3 } three ? three : null, "three waiters on the page");
        Assert.Equal(["waiter-1", "waiter-2", "waiter-3"], waiters);
        Assert.Contains("holder", Assert.Single(browser.Texts("#leases-rt tbody tr")), StringComparison.Ordinal);
        browser.Screenshot("console-locks");

        // Once the holder lets go, each waiter is granted in turn and the run ends; the page follows without a reload.
        scenario.Release();
        browser.Until(d => d.FindElements(By.CssSelector(".waiter")).Count == 0, "the queue to empty");
    }

    [BrowserFact]
    public async Task Pause_and_resume_work_from_the_page_and_are_audited_as_the_pages_calls()
    {
        await using var server = await ConsoleServer.StartAsync();
        await using var scenario = new ContendedRuntime();
        server.Feed.AttachRuntime("rt", scenario.Runtime);
        scenario.Start();
        using var browser = ConsoleBrowser.LogIn(server);
        browser.Open("/agents");
        browser.WaitLive();

        browser.Click(By.CssSelector("button[data-id='pause-rt/worker']:not([disabled])"), "the pause button");
        browser.Until(d => d.FindElement(By.CssSelector("span[data-agent='rt/worker']")).Text == "Paused", "the worker shown paused");
        Assert.Equal(AgentState.Paused, scenario.Runtime.Agents.Single(a => a.Id == "worker").State);
        browser.Screenshot("console-agents");

        browser.Click(By.CssSelector("button[data-id='resume-rt/worker']:not([disabled])"), "the resume button");
        browser.Until(d => d.FindElement(By.CssSelector("span[data-agent='rt/worker']")).Text is "Running" or "Ready", "the worker shown running");

        Assert.Equal(["pause", "resume"], server.Audit.Recent.Select(e => e.Action));
        Assert.All(server.Audit.Recent, e => Assert.Equal(("http-cookie", "accepted"), (e.Transport, e.Outcome)));

        browser.Click(By.LinkText("1 changes"), "the holder's change set");
        var added = browser.Until(_ => browser.Texts("pre.diff .add") is { Count: > 0 } lines ? lines : null, "the diff");
        Assert.Contains("+int slice_ns = 3000000;", added!);
        browser.Screenshot("console-changes");
    }

    [BrowserFact]
    public async Task A_replay_steps_through_a_recorded_run_and_shows_where_it_diverged()
    {
        await using var server = await ConsoleServer.StartAsync();
        var (recorded, diverged) = await RecordedScenario.RecordAsync();
        server.Feed.AddRecordedRun("recorded", recorded.Events);
        server.Feed.AddRecordedRun("diverged", diverged.Events, diverged.Divergence);
        using var browser = ConsoleBrowser.LogIn(server);
        browser.Open("/runs");

        browser.Click(By.LinkText("diverged"), "the run list");
        browser.Until(d => d.FindElement(By.Id("step")).Text == $"step 0 of {diverged.Events.Count}", "step 0");
        for (var i = 1; i <= 3; i++)
        {
            browser.Click(By.Id("step-next"), "next");
            var expected = $"step {i} of {diverged.Events.Count}";
            browser.Until(d => d.FindElement(By.Id("step")).Text == expected, expected);
            Assert.Equal(diverged.Events[i - 1].Kind, browser.Driver.FindElement(By.Id("current-kind")).Text);
        }

        browser.Click(By.Id("step-prev"), "previous");
        browser.Until(d => d.FindElement(By.Id("step")).Text.StartsWith("step 2 ", StringComparison.Ordinal), "step 2 again");
        browser.Click(By.Id("step-divergence"), "the divergence link");
        browser.Until(d => d.FindElement(By.Id("divergence")).GetAttribute("class") == "bad", "the divergence shown");
        Assert.Single(browser.Driver.FindElements(By.CssSelector("#timeline li.diverged")));
        Assert.Contains("replay diverged", browser.Driver.FindElement(By.Id("divergence")).Text, StringComparison.Ordinal);
        browser.Screenshot("console-replay");
    }

    [BrowserFact]
    public async Task The_dag_page_draws_the_critical_path_and_the_budget_and_follows_ticks()
    {
        await using var server = await ConsoleServer.StartAsync();
        var dag = new TaskDagBuilder("tune-longtail")
            .Task("observe", t => t.RunsOn(ResourceKind.Local, TimeSpan.FromSeconds(30), 0.01m))
            .Task("plan", t => t.After("observe").RunsOn(ResourceKind.Local, TimeSpan.FromSeconds(10), 0.02m))
            .Task("verify-a", t => t.After("plan").RunsOn(ResourceKind.Local, TimeSpan.FromSeconds(120), 0.05m))
            .Task("verify-b", t => t.After("plan").RunsOn(ResourceKind.Local, TimeSpan.FromSeconds(40), 0.05m))
            .Task("measure", t => t.After("verify-a", "verify-b").RunsOn(ResourceKind.Local, TimeSpan.FromSeconds(60), 0.04m))
            .Task("learn", t => t.After("measure").RunsOn(ResourceKind.Local, TimeSpan.FromSeconds(5), 0.01m))
            .Build().GetValueOrThrow();
        using var orchestrator = new DagOrchestrator([new LocalPool("local", cpu: 2, memoryGb: 4)], new OrchestratorOptions { Budget = 0.25m });
        orchestrator.Submit(dag).GetValueOrThrow();
        server.Feed.AttachOrchestrator("tuning", orchestrator);
        using var browser = ConsoleBrowser.LogIn(server);
        browser.Open("/dags");
        browser.WaitLive();

        foreach (var placed in orchestrator.Tick().Placements)
        {
            orchestrator.MarkStarted(placed.TaskId).GetValueOrThrow();
            orchestrator.MarkCompleted(placed.TaskId).GetValueOrThrow();
        }

        orchestrator.Tick();
        server.Feed.Changed();

        browser.Until(d => d.FindElement(By.CssSelector("g.node[data-task='observe']")).GetAttribute("class")!.Contains("state-completed", StringComparison.Ordinal), "observe shown completed");
        var critical = browser.Driver.FindElements(By.CssSelector("g.node.critical")).Select(e => e.GetAttribute("data-task")).ToList();
        Assert.Equal(["observe", "plan", "verify-a", "measure", "learn"], critical);
        Assert.Contains("limit 0.25", browser.Driver.FindElement(By.Id("budget-chart")).Text, StringComparison.Ordinal);
        browser.Screenshot("console-dags");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserGroup
{
    public const string Name = "browser";
}
