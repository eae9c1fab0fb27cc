using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using SchedCP.Testing;
using static SchedCP.Mcp.Tests.StdioServerTests;

namespace SchedCP.Mcp.Tests;

/// <summary>Sandbox tests boot real sched_ext guests: one at a time on the machine's two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SandboxGroup
{
    public const string Name = "sandbox";
}

/// <summary>
/// The tools that need a kernel or the compiler, through the real server process over stdio: new sources compiled and
/// checked by the verifier, and run, verify, deploy and rollback acting in a sched_ext guest when the host has none.
/// </summary>
[Collection(SandboxGroup.Name)]
public sealed class KernelToolsTests
{
    private static Task<CallToolResult> Call(McpClient client, string tool, Dictionary<string, object?> args) =>
        client.CallToolAsync(tool, args).AsTask();

    private static JsonElement Json(CallToolResult result) => JsonDocument.Parse(Structured(result)).RootElement;

    [BpfSourcesFact]
    public async Task A_new_source_is_compiled_and_checked_and_stored_only_when_it_passes()
    {
        using var server = new ServerProcess();
        await using var client = await server.ConnectStdioAsync("--target", "host");

        var noOps = Json(await Call(client, "create_and_verify_scheduler", new() { ["name"] = "no_ops", ["source"] = "int x;", ["description"] = "not a scheduler" }));
        Assert.False(noOps.GetProperty("passed").GetBoolean());
        Assert.Contains("struct_ops", noOps.GetProperty("findings").ToString(), StringComparison.Ordinal);

        var broken = Json(await Call(client, "create_and_verify_scheduler", new() { ["name"] = "broken", ["source"] = "#include <scx/common.bpf.h>\nint f( {", ["description"] = "syntax error" }));
        Assert.False(broken.GetProperty("passed").GetBoolean());
        Assert.Contains("compile: FAILED", broken.GetProperty("findings").ToString(), StringComparison.Ordinal);
        Assert.True((await Call(client, "get_policy", new() { ["name"] = "broken" })).IsError, "a failed source must not be stored");

        var source = await File.ReadAllTextAsync(BuildOutputs.Source("bpf/schedulers/fifo.bpf.c"));
        var good = Json(await Call(client, "create_and_verify_scheduler", new() { ["name"] = "my_fifo", ["source"] = source, ["description"] = "a FIFO submitted by a client" }));
        Assert.True(good.GetProperty("passed").GetBoolean(), good.ToString());
        Assert.Contains("stored as my_fifo", good.GetProperty("findings").ToString(), StringComparison.Ordinal);
        Assert.Contains("my_fifo", Structured(await Call(client, "get_policy", new() { ["name"] = "my_fifo" })), StringComparison.Ordinal);

        var again = await Call(client, "create_and_verify_scheduler", new() { ["name"] = "my_fifo", ["source"] = source, ["description"] = "again" });
        Assert.True(again.IsError);
        Assert.Contains("exists already", Text(again), StringComparison.Ordinal);
    }

    [SandboxFact]
    [Trait("Category", "Sandbox")]
    public async Task A_revised_and_a_composed_scheduler_run_in_the_sandbox_the_revision_side_by_side_with_eevdf()
    {
        using var server = new ServerProcess();
        await using var client = await server.ConnectStdioAsync();

        var revised = Json(await Call(client, "submit_patch", new() { ["parent"] = "vtime", ["diff"] = SharedToolsTests.VtimeShortLag, ["name"] = "vtime_short_lag" }));
        var composed = Json(await Call(client, "compose_scheduler", new() { ["name"] = "gen_ljf_sandbox", ["primitives"] = new[] { "dsq_global", "order_ljf", "idle_default", "slice_fixed" } }));
        var compared = await Call(client, "compare_with_eevdf", new() { ["policy"] = "vtime_short_lag", ["workload"] = "longtail", ["repeats"] = 2 });
        var trial = await Call(client, "run_trial", new() { ["policy"] = "gen_ljf_sandbox", ["seconds"] = 2 });

        Assert.True(revised.GetProperty("check").GetProperty("passed").GetBoolean(), revised.ToString());
        Assert.True(composed.GetProperty("check").GetProperty("passed").GetBoolean(), composed.ToString());
        Assert.True(Json(compared).GetProperty("verdict").GetString() is "Better" or "Worse" or "Equal", Structured(compared));
        Assert.True(Json(trial).GetProperty("succeeded").GetBoolean(), Structured(trial));
    }

    [SandboxFact]
    [Trait("Category", "Sandbox")]
    public async Task Run_verify_deploy_and_rollback_act_in_a_sched_ext_guest_when_the_host_has_none()
    {
        using var server = new ServerProcess();
        var keyPath = server.WriteSigningKey();

        await using var client = await server.ConnectStdioAsync("--target", "sandbox", "--signing-key", keyPath);
        var state = await client.ReadResourceAsync("schedcp://state");
        Assert.Contains("kernel tools act on: sandbox", Assert.IsType<TextResourceContents>(Assert.Single(state.Contents)).Text, StringComparison.Ordinal);

        // The kernel verifier loads vtime's object in a guest; the pass comes with a token for this host and object.
        var verified = Json(await Call(client, "verify", new() { ["name"] = "vtime", ["stage"] = "kernel" }));
        Assert.True(verified.GetProperty("passed").GetBoolean(), verified.ToString());
        Assert.Contains("kernel-verifier: passed", verified.GetProperty("findings").ToString(), StringComparison.Ordinal);
        var token = verified.GetProperty("token").GetString();
        Assert.False(string.IsNullOrEmpty(token));

        var run = Json(await Call(client, "run_scheduler", new() { ["name"] = "vtime", ["seconds"] = 2 }));
        Assert.Equal("completed", run.GetProperty("state").GetString());
        Assert.Equal("sandbox", run.GetProperty("where").GetString());
        Assert.Contains("attached as schedcp_vtime", run.GetProperty("message").GetString(), StringComparison.Ordinal);
        var stopped = Json(await Call(client, "stop_scheduler", new() { ["executionId"] = run.GetProperty("executionId").GetString() }));
        Assert.StartsWith("already completed", stopped.GetProperty("message").GetString(), StringComparison.Ordinal);

        // A token binds policy and parameters: the same token for other parameters or another policy is refused.
        var otherPolicy = await Call(client, "deploy", new() { ["name"] = "fifo", ["token"] = token });
        Assert.True(otherPolicy.IsError);
        Assert.Contains("token refused", Text(otherPolicy), StringComparison.Ordinal);

        // The deployment is a real canary in the guest that plays the host, judged on its KPI against EEVDF in that
        // guest: vtime either passes and becomes the known-good scheduler, or is rolled back to EEVDF; both say so.
        var deployed = Json(await Call(client, "deploy", new() { ["name"] = "vtime", ["token"] = token }));
        var message = deployed.GetProperty("message").GetString();
        if (deployed.GetProperty("state").GetString() == "completed")
        {
            Assert.Contains("passed its canary", message, StringComparison.Ordinal);
            Assert.Contains("Now running: schedcp_vtime", message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal("rolled back", deployed.GetProperty("state").GetString());
            Assert.Contains("failed its canary", message, StringComparison.Ordinal);
            Assert.Contains("Now running: EEVDF", message, StringComparison.Ordinal);
        }

        // Single use: the token that deployed is spent, and a replay is refused and audited as refused.
        var replay = await Call(client, "deploy", new() { ["name"] = "vtime", ["token"] = token });
        Assert.True(replay.IsError);
        Assert.Contains("(Spent)", Text(replay), StringComparison.Ordinal);

        // Rolling back the only deployment leaves no earlier known-good scheduler: EEVDF.
        var rollback = Json(await Call(client, "rollback", []));
        Assert.Equal("rolled back", rollback.GetProperty("state").GetString());
        Assert.Equal("EEVDF", rollback.GetProperty("policy").GetString());

        var executions = Json(await Call(client, "get_execution_status", []));
        Assert.Equal(2, executions.GetProperty("total").GetInt32());
        var audit = await File.ReadAllLinesAsync(server.AuditPath);
        Assert.Contains(audit, l => l.Contains("\"deploy\"", StringComparison.Ordinal) && l.Contains("tokenId", StringComparison.Ordinal) && l.Contains("admitted", StringComparison.Ordinal));
        Assert.Contains(audit, l => l.Contains("\"deploy\"", StringComparison.Ordinal) && l.Contains("refused: token Spent", StringComparison.Ordinal));
    }
}
