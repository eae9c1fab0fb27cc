using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Console.Api;
using SchedCP.Console.Audit;
using SchedCP.Console.Feed;
using SchedCP.Console.Security;

namespace SchedCP.Console.Pages;

/// <summary>The server-rendered pages, the login, the static script and style, and the live event stream.</summary>
internal static class ConsolePageEndpoints
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Map(IEndpointRouteBuilder routes)
    {
        var pages = routes.MapGroup("").ExcludeFromDescription();
        pages.MapGet("/", (HttpContext c, ConsoleFeed feed) => Page.Render(c, "Overview", "/", html => Overview(html, feed)));
        pages.MapGet("/agents", (HttpContext c, ConsoleFeed feed) => Page.Render(c, "Agents", "/agents", html => Agents(html, feed)));
        pages.MapGet("/locks", (HttpContext c, ConsoleFeed feed) => Page.Render(c, "Work units: holders and queues", "/locks", html => Locks(html, feed)));
        pages.MapGet("/loops", (HttpContext c, ConsoleFeed feed) => Page.Render(c, "Optimise loops", "/loops", html => LoopList(html, feed)));
        pages.MapGet("/loops/{loop}", (string loop, HttpContext c, ConsoleFeed feed) =>
            ConsoleIds.IsValid(loop) && feed.Loop(loop) is { } l ? Page.Render(c, "Loop " + l.Id, "/loops", html => Loop(html, l)) : Missing(c, "loop"));
        pages.MapGet("/dags", (HttpContext c, ConsoleFeed feed) => Page.Render(c, "Orchestrator DAGs", "/dags", html => Dags(html, feed)));
        pages.MapGet("/runs", (HttpContext c, ConsoleFeed feed) => Page.Render(c, "Runs and replay", "/runs", html => Runs(html, feed)));
        pages.MapGet("/runs/{run}", (string run, HttpContext c, ConsoleFeed feed) =>
        {
            if (!ConsoleIds.IsValid(run) || feed.Run(run) is not { } r)
            {
                return Missing(c, "run");
            }

            if (ConsoleApiEndpoints.Step(c, out var step) is not null)
            {
                return Results.Text($"step must be a whole number from 0 to {ConsoleApiEndpoints.MaxStep}.", statusCode: 400);
            }

            return Page.Render(c, "Run " + r.Id, "/runs", html => Replay(html, r, step ?? 0), live: r.Live);
        });
        pages.MapGet("/changes/{runtime}/{agent}", (string runtime, string agent, HttpContext c, ConsoleFeed feed) =>
            ConsoleIds.IsValid(runtime) && ConsoleIds.IsValid(agent) && feed.Runtime(runtime) is { } rt && ConsoleSnapshots.Changes(runtime, rt, agent) is { } cs
                ? Page.Render(c, $"Change set of {agent}", "/agents", html => Changes(html, cs))
                : Missing(c, "agent"));
        pages.MapGet("/audit", (HttpContext c, ConsoleAuditLog audit) => Page.Render(c, "Audit", "/audit", html => Audit(html, audit)));
        pages.MapGet("/events", EventsAsync);
        pages.MapGet("/static/console.js", () => Static("console.js", "text/javascript; charset=utf-8"));
        pages.MapGet("/static/console.css", () => Static("console.css", "text/css; charset=utf-8"));
        pages.MapGet(LoopbackEndpointGuard.LoginPath, (HttpContext c) => Login(c, null));
        pages.MapPost(LoopbackEndpointGuard.LoginPath, LoginAsync);
    }

    private static IResult Missing(HttpContext c, string what)
    {
        Page.Secure(c.Response);
        return Results.Text($"No such {what}.", "text/plain; charset=utf-8", statusCode: 404);
    }

    private static void Overview(StringBuilder html, ConsoleFeed feed)
    {
        var runtimes = feed.Runtimes;
        var agents = runtimes.SelectMany(r => r.Value.Agents).ToList();
        html.Append("<ul class=\"cards\">")
            .Append(Inv, $"<li><a href=\"/agents\"><b>{agents.Count}</b> agents</a> in {runtimes.Count} runtimes, {agents.Count(a => a.State == AgentState.Paused)} paused</li>")
            .Append(Inv, $"<li><a href=\"/locks\"><b>{runtimes.Sum(r => r.Value.Locks.GetWaiters().Count)}</b> claims waiting</a>, {runtimes.Sum(r => r.Value.Locks.GetLeases().Count)} leases held</li>")
            .Append(Inv, $"<li><a href=\"/loops\"><b>{feed.Loops.Count(l => !l.Finished)}</b> loops running</a>, {feed.Loops.Count(l => l.Finished)} finished</li>")
            .Append(Inv, $"<li><a href=\"/dags\"><b>{feed.Orchestrators.Count}</b> DAGs</a></li>")
            .Append(Inv, $"<li><a href=\"/runs\"><b>{feed.Runs.Count}</b> recorded runs</a></li></ul>");
    }

    private static void Agents(StringBuilder html, ConsoleFeed feed)
    {
        var rows = feed.Runtimes.SelectMany(r => ConsoleSnapshots.Agents(r.Key, r.Value)).Select(a =>
        {
            var id = $"{a.Runtime}/{a.Id}";
            var ended = a.State is "Completed" or "Failed" or "Terminated";
            var actions = ended ? "" :
                $"<button data-action=\"/api/runtimes/{Page.E(a.Runtime)}/agents/{Page.E(a.Id)}/pause\" data-id=\"pause-{Page.E(id)}\"{(a.State == "Paused" ? " disabled" : "")}>Pause</button> "
                + $"<button data-action=\"/api/runtimes/{Page.E(a.Runtime)}/agents/{Page.E(a.Id)}/resume\" data-id=\"resume-{Page.E(id)}\"{(a.State == "Paused" ? "" : " disabled")}>Resume</button> "
                + $"<button data-action=\"/api/runtimes/{Page.E(a.Runtime)}/agents/{Page.E(a.Id)}/terminate\" data-confirm=\"Terminate {Page.E(a.Id)}?\" data-id=\"terminate-{Page.E(id)}\">Terminate</button>";
            return new[]
            {
                Page.E(a.Runtime), Page.E(a.Id),
                $"<span class=\"state state-{a.State.ToLowerInvariant()}\" data-agent=\"{Page.E(id)}\">{Page.E(a.State)}</span>{(a.FailureReason is null ? "" : " <small>" + Page.E(a.FailureReason) + "</small>")}",
                a.Changes == 0 ? "0" : $"<a href=\"/changes/{Page.E(a.Runtime)}/{Page.E(a.Id)}\">{a.Changes} changes</a>",
                actions,
            };
        });
        Page.Table(html, "agents", ["Runtime", "Agent", "State", "Change set", "Actions"], rows, "No runtime is attached.");
        html.Append("<p id=\"action-result\" class=\"muted\" role=\"status\"></p>");
    }

    private static void Locks(StringBuilder html, ConsoleFeed feed)
    {
        if (feed.Runtimes.Count == 0)
        {
            html.Append("<p class=\"muted\">No runtime is attached.</p>");
        }

        foreach (var (id, runtime) in feed.Runtimes)
        {
            var locks = ConsoleSnapshots.Locks(id, runtime);
            html.Append("<section class=\"runtime\" data-runtime=\"").Append(Page.E(id)).Append("\"><h2>").Append(Page.E(id)).Append("</h2><h3>Holders</h3>");
            Page.Table(html, "leases-" + Page.E(id), ["Lease", "Holder", "Work units", "Fencing token", "Expires"],
                locks.Leases.Select(l => new[] { l.LeaseId.ToString(Inv), Page.E(l.Holder), Page.E(string.Join(", ", l.Claims)), l.FencingToken.ToString(Inv), Page.E(l.ExpiresAt.ToString("HH:mm:ss", Inv)) }),
                "No lease is held.");
            html.Append("<h3>Queue (first in, first granted)</h3>");
            Page.Table(html, "waiters-" + Page.E(id), ["#", "Waiting agent", "Work units", "Request", "Since"],
                locks.Waiters.Select(w => new[] { w.Position.ToString(Inv), $"<span class=\"waiter\">{Page.E(w.Holder)}</span>", Page.E(string.Join(", ", w.Claims)), w.RequestId.ToString(Inv), Page.E(w.EnqueuedAt.ToString("HH:mm:ss", Inv)) }),
                "Nobody is waiting.");
            html.Append("</section>");
        }
    }

    private static void LoopList(StringBuilder html, ConsoleFeed feed) =>
        Page.Table(html, "loops", ["Loop", "Workload", "Metric", "Stage", "Candidates", "Cost", "Outcome"],
            feed.Loops.Reverse().Select(l => new[]
            {
                $"<a href=\"/loops/{Page.E(l.Id)}\">{Page.E(l.Id)}</a>", Page.E(l.Workload), Page.E(l.Metric),
                Page.E(l.Stages.LastOrDefault(s => s.Status == LoopStageStatus.Running)?.Name ?? (l.Stages.Count > 0 ? l.Stages[^1].Name : null) ?? "-"),
                l.Candidates.Count.ToString(Inv), l.TotalCost.ToString("0.####", Inv), Page.E(l.Outcome ?? "running"),
            }),
            "No optimisation loop has reported.");

    private static void Loop(StringBuilder html, OptimizationLoopView loop)
    {
        html.Append(Inv, $"<p>Workload <b>{Page.E(loop.Workload)}</b>, metric <b>{Page.E(loop.Metric)}</b> ({(loop.HigherIsBetter ? "higher" : "lower")} is better). ")
            .Append("<span id=\"loop-outcome\">").Append(Page.E(loop.Outcome ?? "Running.")).Append("</span></p><h2>Stages</h2><ol class=\"stages\" id=\"stages\">");
        foreach (var s in loop.Stages)
        {
            html.Append(Inv, $"<li class=\"stage stage-{s.Status.ToString().ToLowerInvariant()}\" data-stage=\"{Page.E(s.Name)}\"><b>{Page.E(s.Name)}</b> <span class=\"status\">{s.Status}</span> {Page.E(s.Detail)}</li>");
        }

        html.Append("</ol><h2>Candidates side by side</h2>");
        Charts.SideBySide(html, loop);
        Page.Table(html, "candidates", ["Candidate", "Policy", "Status", "Baseline", "Value", "Ratio", "Verdict", "Reason"],
            loop.Candidates.Select(c => new[]
            {
                $"<span data-candidate=\"{Page.E(c.Label)}\">{Page.E(c.Label)}</span>", Page.E(c.Policy), Page.E(c.Status), c.Baseline?.ToString("G4", Inv) ?? "-", c.Value?.ToString("G4", Inv) ?? "-",
                c.Ratio?.ToString("P1", Inv) ?? "-", Page.E(c.Verdict ?? "-"), Page.E(c.Reason ?? ""),
            }),
            "No candidate planned yet.");
        html.Append("<h2>Verifier reports</h2>");
        if (loop.VerifierReports.Count == 0)
        {
            html.Append("<p class=\"muted\">No verifier report yet.</p>");
        }

        foreach (var r in loop.VerifierReports)
        {
            html.Append(Inv, $"<details class=\"verifier\" data-verifier=\"{Page.E(r.Candidate)}\"{(r.Passed ? "" : " open")}><summary>{Page.E(r.Candidate)}: <b class=\"{(r.Passed ? "ok" : "bad")}\">{(r.Passed ? "passed" : "rejected")}</b></summary><ul>");
            foreach (var s in r.Stages)
            {
                html.Append(Inv, $"<li class=\"{(s.Passed ? "ok" : "bad")}\"><b>{Page.E(s.Stage)}</b>: {Page.E(s.Detail)}</li>");
            }

            html.Append("</ul></details>");
        }

        html.Append("<h2>Cost</h2>");
        Charts.Cost(html, loop);
        html.Append(Inv, $"<p id=\"total-cost\">Total: {loop.TotalCost:0.####} over {loop.Cost.Sum(c => c.ModelCalls)} model calls.</p>");
    }

    private static void Dags(StringBuilder html, ConsoleFeed feed)
    {
        if (feed.Orchestrators.Count == 0)
        {
            html.Append("<p class=\"muted\">No orchestrator is attached.</p>");
        }

        foreach (var (id, orchestrator) in feed.Orchestrators)
        {
            var dag = ConsoleSnapshots.Dag(id, orchestrator);
            html.Append(Inv, $"<section data-dag=\"{Page.E(id)}\"><h2>{Page.E(id)}{(dag.Dag is null ? "" : " · " + Page.E(dag.Dag))}</h2><p>Critical path {dag.CriticalPathSeconds:F0} s (red) · tick {dag.Ticks} · {dag.Tasks.Count(t => t.State is "Completed" or "Archived")}/{dag.Tasks.Count} done</p>");
            Charts.Dag(html, dag);
            html.Append("<h3>Budget</h3>");
            Charts.Budget(html, dag);
            html.Append("</section>");
        }
    }

    private static void Runs(StringBuilder html, ConsoleFeed feed)
    {
        var live = feed.Runtimes.Where(r => feed.Runs.All(x => x.Id != r.Key)).Select(r => new RunSummaryDto(r.Key, r.Value.EventLog.ReadAll().Count, true, false));
        Page.Table(html, "runs", ["Run", "Events", "State", "Replay"],
            feed.Runs.Select(ConsoleSnapshots.Summary).Concat(live).Select(r => new[]
            {
                $"<a href=\"/runs/{Page.E(r.Id)}\">{Page.E(r.Id)}</a>", r.Events.ToString(Inv), r.Live ? "live" : "recorded",
                r.Diverged ? "<b class=\"bad\">diverged</b>" : "-",
            }),
            "No run recorded.");
    }

    private static void Replay(StringBuilder html, RecordedRun run, int requested)
    {
        var dto = ConsoleSnapshots.Step(run, requested);
        var step = dto.Step;
        string Link(int s, string text, string id) =>
            s < 0 || s > dto.Total || s == step ? $"<span class=\"disabled\" id=\"{id}\">{text}</span>" : $"<a id=\"{id}\" href=\"/runs/{Page.E(run.Id)}?step={s}\">{text}</a>";
        html.Append("<nav class=\"stepper\">").Append(Link(0, "« start", "step-first")).Append(' ').Append(Link(step - 1, "◀ previous", "step-prev")).Append(' ')
            .Append(Inv, $"<span id=\"step\">step {step} of {dto.Total}</span> ").Append(Link(step + 1, "next ▶", "step-next")).Append(' ').Append(Link(dto.Total, "end »", "step-last"));
        if (dto.DivergenceStep is { } d)
        {
            html.Append(' ').Append(Link(d, "⚠ divergence", "step-divergence"));
        }

        html.Append("</nav>");
        if (dto.Divergence is { } divergence)
        {
            html.Append("<p class=\"").Append(dto.Diverged ? "bad" : "muted").Append("\" id=\"divergence\">").Append(Page.E(divergence)).Append("</p>");
        }

        html.Append("<div class=\"columns\"><div><h2>Event</h2>");
        if (dto.Current is { } e)
        {
            html.Append(Inv, $"<dl id=\"current-event\"><dt>#</dt><dd>{e.Sequence}</dd><dt>time</dt><dd>{Page.E(e.Timestamp.ToString("HH:mm:ss.fff", Inv))}</dd><dt>kind</dt><dd id=\"current-kind\">{Page.E(e.Kind)}</dd><dt>agent</dt><dd>{Page.E(e.AgentId ?? "-")}</dd><dt>subject</dt><dd>{Page.E(e.Subject)}</dd><dt>output</dt><dd><pre>{Page.E(e.Output ?? "")}</pre></dd></dl>");
        }
        else
        {
            html.Append("<p class=\"muted\" id=\"current-event\">Before the first event.</p>");
        }

        html.Append("<h2>Agents</h2>");
        Page.Table(html, "replay-agents", ["Agent", "State"], dto.Agents.Select(a => new[] { Page.E(a.Key), $"<span class=\"state state-{Page.E(a.Value.ToLowerInvariant())}\">{Page.E(a.Value)}</span>" }), "No agent yet.");
        html.Append("<h2>Holders</h2>");
        Page.Table(html, "replay-leases", ["Lease", "Holder", "Work units"], dto.Leases.Select(l => new[] { l.LeaseId.ToString(Inv), Page.E(l.Holder), Page.E(l.Claims) }), "No lease held.");
        html.Append("<h2>Queue</h2>");
        Page.Table(html, "replay-waiters", ["#", "Waiting", "Work units"], dto.Waiters.Select((w, i) => new[] { (i + 1).ToString(Inv), Page.E(w.Holder), Page.E(w.Claims) }), "Nobody waiting.");
        html.Append("</div><div><h2>Timeline</h2><ol class=\"timeline\" id=\"timeline\">");
        var divergenceStep = dto.DivergenceStep;
        var from = Math.Max(0, step - 15);
        var to = Math.Min(run.Events.Count, from + 40);
        for (var i = from; i < to; i++)
        {
            var ev = run.Events[i];
            var cls = (i + 1 == step ? "current " : "") + (i + 1 == divergenceStep ? "diverged " : "") + (i + 1 > step ? "future" : "past");
            html.Append(Inv, $"<li value=\"{i + 1}\" class=\"{cls}\"><a href=\"/runs/{Page.E(run.Id)}?step={i + 1}\">{Page.E(ev.Kind)}</a> {Page.E(ev.AgentId ?? "")} <small>{Page.E(ev.Subject.Length > 60 ? ev.Subject[..60] + "…" : ev.Subject)}</small></li>");
        }

        html.Append("</ol></div></div>");
    }

    private static void Changes(StringBuilder html, ChangeSetDto changes)
    {
        html.Append(Inv, $"<p>Runtime {Page.E(changes.Runtime)} · {changes.Changes.Count} changes · {Page.E(changes.Status)}</p>");
        foreach (var c in changes.Changes)
        {
            html.Append(Inv, $"<h2>{Page.E(c.Path)} <small>token {c.FencingToken}</small></h2><pre class=\"diff\">");
            foreach (var line in c.Diff.Split('\n'))
            {
                var cls = line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) ? "file"
                    : line.StartsWith('+') ? "add" : line.StartsWith('-') ? "del" : line.StartsWith("@@", StringComparison.Ordinal) ? "hunk" : "ctx";
                html.Append("<span class=\"").Append(cls).Append("\">").Append(Page.E(line)).Append("</span>\n");
            }

            html.Append("</pre>");
        }
    }

    private static void Audit(StringBuilder html, ConsoleAuditLog audit) =>
        Page.Table(html, "audit", ["Time", "Action", "Target", "Outcome", "Caller", "Reason", "Detail"],
            audit.Recent.Reverse().Select(a => new[]
            {
                Page.E(a.Time.ToString("HH:mm:ss", Inv)), Page.E(a.Action), Page.E(a.Target), Page.E(a.Outcome), Page.E($"{a.Transport} {a.Remote} {a.BearerSha256}"), Page.E(a.Reason ?? ""), Page.E(a.Detail),
            }),
            "No action taken yet.");

    // One "changed" event per burst of changes (at most five a second); a comment every 15 s keeps proxies from closing it.
    private static async Task EventsAsync(HttpContext context, ConsoleFeed feed, LiveViewers viewers)
    {
        if (!viewers.TryEnter())
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("Too many live pages are open; close one and reload.\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        try
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            var ct = context.RequestAborted;
            var seen = feed.Version;
            await context.Response.WriteAsync(string.Create(Inv, $"retry: 2000\nevent: hello\ndata: {seen}\n\n"), ct).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
            while (!ct.IsCancellationRequested)
            {
                using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(ct);
                heartbeat.CancelAfter(TimeSpan.FromSeconds(15));
                try
                {
                    seen = await feed.WaitForChangeAsync(seen, heartbeat.Token).ConfigureAwait(false);
                    await Task.Delay(200, ct).ConfigureAwait(false);
                    seen = feed.Version;
                    await context.Response.WriteAsync(string.Create(Inv, $"event: changed\ndata: {seen}\n\n"), ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await context.Response.WriteAsync(": ping\n\n", ct).ConfigureAwait(false);
                }

                await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
        finally
        {
            viewers.Leave();
        }
    }

    private static IResult Login(HttpContext context, string? problem)
    {
        Page.Secure(context.Response);
        var html = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Log in · SchedCP console</title><link rel=\"stylesheet\" href=\"/static/console.css\"></head><body><main class=\"login\"><h1>SchedCP console</h1>");
        html.Append("<p>Paste the bearer token the console printed at start (the same token as the MCP server's, <code>").Append(ConsoleBearerToken.TokenVariable).Append("</code>).</p>");
        if (problem is not null)
        {
            html.Append("<p class=\"bad\" id=\"login-problem\">").Append(Page.E(problem)).Append("</p>");
        }

        html.Append("<form method=\"post\" action=\"/login\"><input type=\"password\" name=\"token\" id=\"token\" autocomplete=\"off\" maxlength=\"4096\" autofocus> <button type=\"submit\" id=\"login\">Log in</button></form></main></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", statusCode: problem is null ? 200 : 401);
    }

    private static async Task<IResult> LoginAsync(HttpContext context, LoopbackEndpointGuard guard)
    {
        // Only the page's own url-encoded form, small; anything else is answered with the form again.
        if (context.Request.ContentType is not { } type || !type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || context.Request.ContentLength is null or > 8192)
        {
            return Login(context, "Send the form from this page.");
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { ValueCountLimit = 4, KeyLengthLimit = 32, ValueLengthLimit = 4096 }, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or DecoderFallbackException)
        {
            return Login(context, "The form could not be read; send it from this page.");
        }

        if (!guard.IsToken(form["token"].ToString().Trim()))
        {
            return Login(context, "That is not the console's token.");
        }

        context.Response.Cookies.Append(LoopbackEndpointGuard.CookieName, guard.CookieValue, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true });
        return Results.Redirect("/", permanent: false);
    }

    private static IResult Static(string name, string type)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("SchedCP.Console." + name)!;
        using var reader = new StreamReader(stream);
        return Results.Text(reader.ReadToEnd(), type);
    }
}

/// <summary>Counts the open event streams so their number stays bounded.</summary>
internal sealed class LiveViewers(int max)
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _count) <= max)
        {
            return true;
        }

        Interlocked.Decrement(ref _count);
        return false;
    }

    public void Leave() => Interlocked.Decrement(ref _count);
}
