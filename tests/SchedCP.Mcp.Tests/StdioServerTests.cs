using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using SchedCP.Kernel.Capabilities;

namespace SchedCP.Mcp.Tests;

public sealed class StdioServerTests
{
    private static readonly string[] ExpectedTools =
    [
        "analyze_workload", "compare_with_eevdf", "compose_scheduler", "create_and_verify_scheduler", "deploy", "get_execution_status", "get_feedback", "get_policy",
        "list_primitives", "list_schedulers", "record_baseline", "record_feedback", "rollback", "run_scheduler", "run_trial", "search_policies", "stop_scheduler",
        "submit_patch", "system_monitor", "verify", "verify_source", "workload",
    ];

    internal static string Text(CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    internal static string Structured(CallToolResult result)
    {
        Assert.False(result.IsError == true, "tool failed: " + Text(result));
        Assert.NotNull(result.StructuredContent);
        return JsonSerializer.Serialize(result.StructuredContent);
    }

    private static Task<CallToolResult> Call(McpClient client, string tool, Dictionary<string, object?>? args = null) =>
        client.CallToolAsync(tool, args ?? []).AsTask();

    [Fact]
    public async Task Lists_every_tool_with_an_output_schema()
    {
        using var server = new ServerProcess();
        await using var client = await server.ConnectStdioAsync();
        var tools = await client.ListToolsAsync();
        Assert.Equal(ExpectedTools, tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(tools, t => Assert.NotNull(t.ProtocolTool.OutputSchema));
        Assert.All(tools, t => Assert.False(string.IsNullOrWhiteSpace(t.Description)));
    }

    [Fact]
    public async Task Repository_tools_answer_short_by_default_and_long_on_request()
    {
        using var server = new ServerProcess();
        await using var client = await server.ConnectStdioAsync();

        var list = Structured(await Call(client, "list_schedulers", new() { ["limit"] = 3 }));
        using var listDoc = JsonDocument.Parse(list);
        Assert.Equal(3, listDoc.RootElement.GetProperty("items").GetArrayLength());
        Assert.True(listDoc.RootElement.GetProperty("total").GetInt32() > 3);
        var first = listDoc.RootElement.GetProperty("items")[0].GetProperty("name").GetString()!;

        var search = Structured(await Call(client, "search_policies", new() { ["query"] = "latency sensitive interactive desktop" }));
        Assert.Contains("\"name\"", search, StringComparison.Ordinal);

        var brief = Structured(await Call(client, "get_policy", new() { ["name"] = first }));
        var full = Structured(await Call(client, "get_policy", new() { ["name"] = first, ["detail"] = true }));
        Assert.True(full.Length >= brief.Length);
        Assert.True(brief.Length < 16 * 1024, $"get_policy answered {brief.Length} characters unasked");

        var verified = Structured(await Call(client, "verify", new() { ["name"] = first, ["stage"] = "parameters" }));
        Assert.Contains("\"passed\":true", verified, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workload_history_baseline_and_feedback_round_trip_through_the_repository()
    {
        using var server = new ServerProcess();
        await using var client = await server.ConnectStdioAsync();

        var created = Structured(await Call(client, "workload", new() { ["action"] = "create", ["description"] = "parallel compile of a C project, 8 jobs" }));
        using var doc = JsonDocument.Parse(created);
        var fingerprint = doc.RootElement.GetProperty("workloads")[0].GetProperty("fingerprint").GetString()!;

        Assert.Contains(fingerprint, Structured(await Call(client, "workload", new() { ["action"] = "list" })), StringComparison.Ordinal);
        Structured(await Call(client, "record_baseline", new() { ["fingerprint"] = fingerprint, ["makespanSeconds"] = 10.0 }));
        Structured(await Call(client, "workload", new() { ["action"] = "add_history", ["fingerprint"] = fingerprint, ["policy"] = "scx_rusty", ["makespanSeconds"] = 8.0 }));
        var history = Structured(await Call(client, "workload", new() { ["action"] = "get_history", ["fingerprint"] = fingerprint }));
        Assert.Contains("scx_rusty", history, StringComparison.Ordinal);
        Assert.Contains("eevdf", history, StringComparison.Ordinal);

        var feedback = await Call(client, "get_feedback", new() { ["fingerprint"] = fingerprint });
        Assert.True(feedback.IsError != true ? Structured(feedback).Contains("rankings", StringComparison.Ordinal) : Text(feedback).Contains("get_feedback", StringComparison.Ordinal), Text(feedback));

        // One decision line before each mutation and one outcome line after it, joined by the call id.
        var audit = await File.ReadAllLinesAsync(server.AuditPath);
        var decisions = audit.Where(l => !l.Contains("\"Decision\":\"outcome\"", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, decisions.Length);
        Assert.All(decisions, line => Assert.Contains("\"Decision\":\"admitted\"", line, StringComparison.Ordinal));
        Assert.All(decisions, line => Assert.Contains("\"Transport\":\"stdio\"", line, StringComparison.Ordinal));
        Assert.Equal(3, audit.Count(l => l.Contains("\"Outcome\":\"ok\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Monitor_and_analysis_run_on_this_host()
    {
        using var server = new ServerProcess();
        await using var client = await server.ConnectStdioAsync();

        Assert.Contains("monitor started", Structured(await Call(client, "system_monitor", new() { ["action"] = "start" })), StringComparison.Ordinal);
        Assert.Contains("summary", Structured(await Call(client, "system_monitor", new() { ["action"] = "stop" })), StringComparison.Ordinal);
        Assert.Contains("\"tier\":1", Structured(await Call(client, "analyze_workload", new() { ["tier"] = 1 })), StringComparison.Ordinal);
        Assert.Contains("\"total\":0", Structured(await Call(client, "get_execution_status")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kernel_tools_refuse_with_advice_on_a_host_without_sched_ext()
    {
        using var server = new ServerProcess();
        await using var client = await server.ConnectStdioAsync("--target", "host");
        var canRun = new CapabilityProbe().Probe().CanRunSchedulers;

        var stop = await Call(client, "stop_scheduler", new() { ["executionId"] = "nosuch" });
        Assert.True(stop.IsError);
        Assert.Contains("no execution 'nosuch'", Text(stop), StringComparison.Ordinal);

        if (canRun)
        {
            // A sched_ext host would really attach the scheduler; the refusal below is what every other host must give.
            return;
        }

        foreach (var (tool, args) in new (string, Dictionary<string, object?>)[] { ("run_scheduler", new() { ["name"] = "scx_simple" }), ("deploy", new() { ["name"] = "scx_simple", ["token"] = "not-a-token" }), ("rollback", []) })
        {
            var result = await Call(client, tool, args);
            Assert.True(result.IsError, tool);
            Assert.Contains("needs a sched_ext host", Text(result), StringComparison.Ordinal);
        }
    }

    [SchedCP.Testing.SandboxFact]
    public async Task Deploy_through_the_server_refuses_a_malformed_token_before_anything_runs_and_journals_it()
    {
        using var server = new ServerProcess();
        // The control plane's known-good history and journal go under the server's data folder, not the user's.
        await using var client = await server.ConnectStdioAsync("--target", "sandbox");

        var malformed = await Call(client, "deploy", new() { ["name"] = "vtime", ["token"] = "not-a-token" });

        Assert.True(malformed.IsError);
        Assert.Contains("token refused (Malformed)", Text(malformed), StringComparison.Ordinal);
        Assert.Contains("Pass the token exactly as issued", Text(malformed), StringComparison.Ordinal);
        var journal = await File.ReadAllLinesAsync(Path.Combine(server.WorkDir, "data", "schedcp", "deployments.jsonl"));
        Assert.Contains(journal, l => l.Contains("Refused", StringComparison.Ordinal) && l.Contains("vtime", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_arguments_get_errors_that_name_the_argument_and_the_fix()
    {
        using var server = new ServerProcess();
        await using var client = await server.ConnectStdioAsync();

        var traversal = await Call(client, "get_policy", new() { ["name"] = "../../etc/passwd" });
        Assert.True(traversal.IsError);
        Assert.Contains("'name' must be 1-64 characters", Text(traversal), StringComparison.Ordinal);

        var limit = await Call(client, "list_schedulers", new() { ["limit"] = 100000 });
        Assert.True(limit.IsError);
        Assert.Contains("'limit' must be between 1 and 50", Text(limit), StringComparison.Ordinal);

        var param = await Call(client, "run_scheduler", new() { ["name"] = "scx_simple", ["parameters"] = new Dictionary<string, string> { ["no_such_parameter"] = "1; rm -rf /" } });
        Assert.True(param.IsError);
        Assert.Contains("get_policy", Text(param), StringComparison.Ordinal);
        Assert.False(File.Exists(server.AuditPath), "a refused argument must not reach the audit log as an admitted mutation");
    }

    [Fact]
    public async Task Read_only_mode_refuses_mutations_and_audits_the_refusal()
    {
        using var server = new ServerProcess();
        await using var client = await server.ConnectStdioAsync("--read-only");

        var refused = await Call(client, "workload", new() { ["action"] = "create", ["description"] = "anything" });
        Assert.True(refused.IsError);
        Assert.Contains("read-only", Text(refused), StringComparison.Ordinal);
        Structured(await Call(client, "search_policies", new() { ["query"] = "throughput" }));

        var audit = await File.ReadAllLinesAsync(server.AuditPath);
        Assert.Equal(2, audit.Length);
        Assert.Contains("refused: read-only", audit[0], StringComparison.Ordinal);
        Assert.Contains("\"Outcome\":\"error:", audit[1], StringComparison.Ordinal);
        Assert.DoesNotContain(audit, l => l.Contains("admitted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resources_and_prompts_are_listed_and_readable()
    {
        using var server = new ServerProcess();
        await using var client = await server.ConnectStdioAsync();

        var resources = await client.ListResourcesAsync();
        Assert.Equal(["schedcp://capabilities", "schedcp://state"], resources.Select(r => r.Uri).Order(StringComparer.Ordinal));
        var state = await client.ReadResourceAsync("schedcp://state");
        Assert.Contains("executions 0", Assert.IsType<TextResourceContents>(Assert.Single(state.Contents)).Text, StringComparison.Ordinal);

        var prompts = await client.ListPromptsAsync();
        Assert.Equal(["optimize_workload", "write_scheduler"], prompts.Select(p => p.Name).Order(StringComparer.Ordinal));
        var prompt = await client.GetPromptAsync("optimize_workload", new Dictionary<string, object?> { ["workload"] = "video encoding" });
        Assert.Contains("search_policies", JsonSerializer.Serialize(prompt.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_deploy_is_audited_as_refused_with_its_outcome_never_as_admitted()
    {
        using var server = new ServerProcess();
        await using var client = await server.ConnectStdioAsync();

        // The deployment service checks the token before anything runs, on a sched_ext host or in the guest playing one.
        var refused = await Call(client, "deploy", new() { ["name"] = "fifo", ["token"] = "eyJhbGciOiJub25lIn0.e30.AAAA" });
        Assert.True(refused.IsError);
        Assert.Contains("token refused", Text(refused), StringComparison.Ordinal);

        var audit = await File.ReadAllLinesAsync(server.AuditPath);
        Assert.Equal(2, audit.Length);
        Assert.Contains("\"Decision\":\"refused: token", audit[0], StringComparison.Ordinal);
        Assert.Contains("\"ArgumentsSha256\":\"", audit[0], StringComparison.Ordinal);
        Assert.Contains("\"Outcome\":\"error:", audit[1], StringComparison.Ordinal);
        Assert.DoesNotContain(audit, l => l.Contains("admitted", StringComparison.Ordinal));
    }
}
