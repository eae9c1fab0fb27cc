using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using SchedCP.Testing;
using static SchedCP.Mcp.Tests.StdioServerTests;

namespace SchedCP.Mcp.Tests;

/// <summary>
/// The agents' control-plane tools served over MCP: a real client over stdio revises vtime with a unified diff and
/// generates a scheduler from primitives through the same functions the model calls, behind the server's gate.
/// </summary>
public sealed class SharedToolsTests
{
    internal const string VtimeShortLag = """
        @@ -24,3 +24,3 @@
         const volatile u64 slice_ns = 5000000;
        -const volatile u64 max_lag_ns = 20000000;
        +const volatile u64 max_lag_ns = 2000000;
         const volatile bool wake_local = false;
        """;

    private static Task<CallToolResult> Call(McpClient client, string tool, Dictionary<string, object?> args) =>
        client.CallToolAsync(tool, args).AsTask();

    private static JsonElement Json(CallToolResult result) => JsonDocument.Parse(Structured(result)).RootElement;

    [Fact]
    public async Task The_shared_tools_have_the_agents_names_schemas_and_descriptions()
    {
        using var server = new ServerProcess();
        await using var client = await server.ConnectStdioAsync();

        var tools = (await client.ListToolsAsync()).ToDictionary(t => t.Name);

        foreach (var name in new[] { "list_primitives", "compose_scheduler", "verify_source", "submit_patch", "run_trial", "compare_with_eevdf", "record_feedback" })
        {
            Assert.True(tools.ContainsKey(name), name);
        }

        var patch = tools["submit_patch"].ProtocolTool;
        Assert.Contains("unified diff", patch.Description, StringComparison.Ordinal);
        Assert.Equal(["diff", "name", "parent"], patch.InputSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal));
        Assert.True(tools["list_primitives"].ProtocolTool.Annotations?.ReadOnlyHint);
        Assert.False(tools["submit_patch"].ProtocolTool.Annotations?.ReadOnlyHint);
    }

    [BpfSourcesFact]
    public async Task A_client_revises_vtime_by_diff_and_composes_a_scheduler_and_both_are_stored()
    {
        using var server = new ServerProcess();
        await using var client = await server.ConnectStdioAsync("--target", "host");

        var badDiff = await Call(client, "submit_patch", new() { ["parent"] = "vtime", ["diff"] = "@@ -1,1 +1,1 @@\n not in vtime\n-x\n+y\n", ["name"] = "vtime_bad" });
        var revised = Json(await Call(client, "submit_patch", new() { ["parent"] = "vtime", ["diff"] = VtimeShortLag, ["name"] = "vtime_short_lag" }));
        var composed = Json(await Call(client, "compose_scheduler", new() { ["name"] = "gen_ljf_mcp", ["primitives"] = new[] { "dsq_global", "order_ljf", "idle_default", "slice_fixed" } }));
        var stored = Structured(await Call(client, "get_policy", new() { ["name"] = "vtime_short_lag", ["detail"] = true }));
        var parent = Json(await Call(client, "get_policy", new() { ["name"] = "vtime", ["detail"] = true }));

        Assert.True(badDiff.IsError);
        Assert.Contains("submit_patch: ", Text(badDiff), StringComparison.Ordinal);
        Assert.Contains("does not apply", Text(badDiff), StringComparison.Ordinal);
        Assert.True(revised.GetProperty("check").GetProperty("passed").GetBoolean(), revised.ToString());
        Assert.Equal("vtime", revised.GetProperty("parent").GetString());
        Assert.True(composed.GetProperty("check").GetProperty("passed").GetBoolean(), composed.ToString());
        Assert.Contains("revision of vtime", stored, StringComparison.Ordinal);
        Assert.Contains("max_lag_ns = 2000000;", stored, StringComparison.Ordinal);
        // get_policy is the agents' own: a catalog policy's detail carries the source submit_patch diffs against.
        Assert.Contains("const volatile u64 max_lag_ns = 20000000;", parent.GetProperty("source").GetString(), StringComparison.Ordinal);
        var audit = await File.ReadAllLinesAsync(server.AuditPath);
        Assert.Contains(audit, l => l.Contains("\"submit_patch\"", StringComparison.Ordinal) && l.Contains("admitted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_read_only_server_refuses_the_shared_tools_that_change_anything()
    {
        using var server = new ServerProcess();
        await using var client = await server.ConnectStdioAsync("--read-only");

        var refused = await Call(client, "compose_scheduler", new() { ["name"] = "gen_x", ["primitives"] = new[] { "dsq_global", "order_fifo", "idle_default", "slice_fixed" } });
        var primitives = Json(await Call(client, "list_primitives", []));

        Assert.True(refused.IsError);
        Assert.Contains("read-only", Text(refused), StringComparison.Ordinal);
        Assert.True(primitives.GetProperty("items").GetArrayLength() >= 10, primitives.ToString());
    }
}
