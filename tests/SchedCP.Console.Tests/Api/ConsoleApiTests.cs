using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Console.Feed;

namespace SchedCP.Console.Tests.Api;

/// <summary>The HTTP API over a real runtime: holders and FIFO queues, audited lifecycle actions, bounded inputs, OpenAPI.</summary>
public sealed class ConsoleApiTests
{
    [Fact]
    public async Task The_locks_endpoint_lists_the_holder_and_the_waiters_in_the_order_they_queued()
    {
        await using var server = await ConsoleServer.StartAsync();
        await using var scenario = new ContendedRuntime(withWorker: false);
        server.Feed.AttachRuntime("rt", scenario.Runtime);
        scenario.Start();
        await Eventually.TrueAsync(() => scenario.Runtime.Locks.GetWaiters().Count == 3, "three waiters queue");
        using var client = server.Client();

        using var doc = JsonDocument.Parse(await client.GetStringAsync("api/runtimes/rt/locks"));

        var lease = Assert.Single(doc.RootElement.GetProperty("leases").EnumerateArray());
        Assert.Equal("holder", lease.GetProperty("holder").GetString());
        var waiters = doc.RootElement.GetProperty("waiters").EnumerateArray().Select(w => (w.GetProperty("position").GetInt32(), w.GetProperty("holder").GetString())).ToList();
        Assert.Equal([(1, "waiter-1"), (2, "waiter-2"), (3, "waiter-3")], waiters);
    }

    [Fact]
    public async Task Pause_and_resume_through_the_api_take_effect_and_each_call_is_audited_with_the_caller()
    {
        var auditFile = Path.Combine(Path.GetTempPath(), $"schedcp-console-audit-{Guid.NewGuid():N}.jsonl");
        await using var server = await ConsoleServer.StartAsync(o => o.AuditLogPath = auditFile);
        await using var scenario = new ContendedRuntime();
        server.Feed.AttachRuntime("rt", scenario.Runtime);
        scenario.Start();
        using var client = server.Client();

        using var pause = await client.PostAsync("api/runtimes/rt/agents/worker/pause", new StringContent("{\"reason\":\"inspect it\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        await Eventually.TrueAsync(() => State(scenario, "worker") == AgentState.Paused, "the worker is paused");
        using var resume = await client.PostAsync("api/runtimes/rt/agents/worker/resume", null);
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        await Eventually.TrueAsync(() => State(scenario, "worker") != AgentState.Paused, "the worker runs again");

        var entries = server.Audit.Recent;
        Assert.Equal(["pause", "resume"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(("rt/worker", "accepted", "http"), (e.Target, e.Outcome, e.Transport)));
        Assert.Equal("inspect it", entries[0].Reason);
        Assert.Matches("^[0-9a-f]{16}$", entries[0].BearerSha256!);
        await server.DisposeAsync();
        var lines = await File.ReadAllLinesAsync(auditFile);
        Assert.Equal(2, lines.Length);
        Assert.DoesNotContain(ConsoleServer.Token, string.Join('\n', lines), StringComparison.Ordinal);
        File.Delete(auditFile);
    }

    [Fact]
    public async Task A_read_only_console_refuses_lifecycle_actions_and_audits_the_refusal()
    {
        await using var server = await ConsoleServer.StartAsync(o => o.ReadOnly = true);
        await using var scenario = new ContendedRuntime();
        server.Feed.AttachRuntime("rt", scenario.Runtime);
        using var client = server.Client();

        using var response = await client.PostAsync("api/runtimes/rt/agents/worker/terminate", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var entry = Assert.Single(server.Audit.Recent);
        Assert.Equal(("terminate", "refused"), (entry.Action, entry.Outcome));
    }

    [Theory]
    [InlineData("api/runtimes/rt/agents/no-such-agent/pause", "", HttpStatusCode.NotFound)]
    [InlineData("api/runtimes/nope/agents/worker/pause", "", HttpStatusCode.NotFound)]
    [InlineData("api/runtimes/rt/agents/worker/explode", "", HttpStatusCode.NotFound)]
    [InlineData("api/runtimes/rt/agents/..%2F..%2Fetc/pause", "", HttpStatusCode.BadRequest)]
    [InlineData("api/runtimes/rt/agents/worker/pause", "{\"reason\":5}", HttpStatusCode.BadRequest)]
    [InlineData("api/runtimes/rt/agents/worker/pause", "{\"other\":\"x\"}", HttpStatusCode.BadRequest)]
    [InlineData("api/runtimes/rt/agents/worker/pause", "[1,2]", HttpStatusCode.BadRequest)]
    [InlineData("api/runtimes/rt/agents/worker/pause", "{\"reason\":", HttpStatusCode.BadRequest)]
    [InlineData("api/runtimes/rt/agents/worker/pause", "{\"reason\":{\"a\":{\"b\":{\"c\":{\"d\":1}}}}}", HttpStatusCode.BadRequest)]
    public async Task Bad_ids_actions_and_bodies_get_a_typed_refusal(string path, string body, HttpStatusCode expected)
    {
        await using var server = await ConsoleServer.StartAsync();
        await using var scenario = new ContendedRuntime();
        server.Feed.AttachRuntime("rt", scenario.Runtime);
        using var client = server.Client();

        using var response = await client.PostAsync(path, body.Length == 0 ? null : new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(expected, response.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413_before_it_is_parsed()
    {
        await using var server = await ConsoleServer.StartAsync(o => o.MaxRequestBodyBytes = 1024);
        using var client = server.Client();

        using var response = await client.PostAsync("api/runtimes/rt/agents/worker/pause", new StringContent("{\"reason\":\"" + new string('x', 5000) + "\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task The_loop_endpoint_returns_what_the_loop_published()
    {
        await using var server = await ConsoleServer.StartAsync();
        server.Feed.LoopStarted("longtail-1", "longtail", "makespan_ms", higherIsBetter: false);
        server.Feed.CandidateChanged("longtail-1", new CandidateView("fifo", "scx_fifo", "measured", 200, 150, "better", "25 % shorter"));
        using var client = server.Client();

        using var doc = JsonDocument.Parse(await client.GetStringAsync("api/loops/longtail-1"));

        var candidate = Assert.Single(doc.RootElement.GetProperty("candidates").EnumerateArray());
        Assert.Equal(0.75, candidate.GetProperty("ratio").GetDouble(), 3);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("api/loops/other")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("api/runs/r/replay?step=-1")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_lifecycle_action_and_the_replay()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var client = server.Client();

        using var doc = JsonDocument.Parse(await client.GetStringAsync("openapi/console.json"));

        var paths = doc.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/runtimes/{runtime}/agents/{agent}/{action}", out var act));
        Assert.Equal("ActOnAgent", act.GetProperty("post").GetProperty("operationId").GetString());
        Assert.True(paths.TryGetProperty("/api/runs/{run}/replay", out _));
        Assert.False(paths.TryGetProperty("/agents", out _));
        Assert.Equal("SchedCP operator console", doc.RootElement.GetProperty("info").GetProperty("title").GetString());
    }

    private static AgentState? State(ContendedRuntime scenario, string agent) => scenario.Runtime.Agents.FirstOrDefault(a => a.Id == agent)?.State;
}
