using System.Diagnostics;
using System.Text.Json;
using SchedCP.Testing;

namespace SchedCP.Mcp.Tests;

/// <summary>The official TypeScript MCP SDK's client (ts-client/client.mjs) against the server over stdio and HTTP.</summary>
public sealed class TypeScriptClientTests
{
    private static readonly string[] Succeeding =
    [
        "list_schedulers", "search_policies", "get_policy", "verify", "workload", "record_baseline", "workload_add_history",
        "workload_get_history", "get_feedback", "analyze_workload", "system_monitor_start", "system_monitor_stop",
        "create_and_verify_scheduler", "get_execution_status", "list_primitives",
    ];

    internal static async Task<JsonDocument> RunClientAsync(string[] args, bool kernelFlow = false, string? bearerToken = null)
    {
        var dir = Path.Combine(BuildOutputs.RepositoryRoot(), "tests", "SchedCP.Mcp.Tests", "ts-client");
        Assert.True(Directory.Exists(Path.Combine(dir, "node_modules", "@modelcontextprotocol", "sdk")), $"run {dir}/install.sh (./build.sh setup does)");
        var info = new ProcessStartInfo("node") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        if (bearerToken is not null)
        {
            info.Environment["SCHEDCP_MCP_TOKEN"] = bearerToken;
        }

        if (kernelFlow)
        {
            info.Environment["SCHEDCP_KERNEL_FLOW"] = "1";
        }

        info.ArgumentList.Add("client.mjs");
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(kernelFlow ? 900 : 120));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"node client.mjs exited {process.ExitCode}: {await stderr}");
        return JsonDocument.Parse(await stdout);
    }

    private static void AssertSawEverything(JsonDocument doc)
    {
        var root = doc.RootElement;
        Assert.Equal(22, root.GetProperty("tools").GetArrayLength());
        Assert.All(root.GetProperty("tools").EnumerateArray(), t => Assert.True(t.GetProperty("hasOutputSchema").GetBoolean()));
        Assert.Equal(2, root.GetProperty("resources").GetArrayLength());
        Assert.Equal(2, root.GetProperty("prompts").GetArrayLength());
        var calls = root.GetProperty("calls");
        foreach (var name in Succeeding)
        {
            Assert.False(calls.GetProperty(name).GetProperty("isError").GetBoolean(), name + ": " + calls.GetProperty(name).GetProperty("text"));
        }

        Assert.Contains("'name' must be", calls.GetProperty("get_policy_bad_name").GetProperty("text").GetString(), StringComparison.Ordinal);
        // The agents' shared tools answer a second SDK too, with the same argument checks.
        Assert.True(calls.GetProperty("compose_scheduler_bad_primitive").GetProperty("isError").GetBoolean());
        Assert.Contains("no_such_primitive", calls.GetProperty("compose_scheduler_bad_primitive").GetProperty("text").GetString(), StringComparison.Ordinal);
        // --target host on a machine without sched_ext: deploy is refused for the host before any token is looked at.
        Assert.True(calls.GetProperty("deploy").GetProperty("isError").GetBoolean());
        Assert.Contains("sched_ext", calls.GetProperty("deploy").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("no execution", calls.GetProperty("stop_scheduler").GetProperty("text").GetString(), StringComparison.Ordinal);
        foreach (var kernelTool in new[] { "run_scheduler", "rollback" })
        {
            Assert.True(calls.GetProperty(kernelTool).GetProperty("isError").GetBoolean(), kernelTool);
        }
    }

    // create_and_verify_scheduler compiles with the sandbox toolchain's headers; kernel tools are pinned to this host,
    // where they must refuse (KernelToolsTests covers them in the sandbox).
    [BpfSourcesFact]
    public async Task TypeScript_sdk_client_calls_every_tool_over_stdio()
    {
        using var server = new ServerProcess();
        using var doc = await RunClientAsync(["stdio", "dotnet", .. server.Arguments("--target", "host")]);
        AssertSawEverything(doc);
    }

    [BpfSourcesFact]
    public async Task TypeScript_sdk_client_calls_every_tool_over_http()
    {
        using var server = new ServerProcess();
        var (process, endpoint) = await HttpServerTests.StartHttpAsync(server, "--target", "host");
        try
        {
            using var doc = await RunClientAsync(["http", endpoint.ToString()], bearerToken: server.BearerToken);
            AssertSawEverything(doc);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}

/// <summary>The TypeScript client against the kernel tools acting in a sched_ext guest (one guest at a time).</summary>
[Collection(SandboxGroup.Name)]
[Trait("Category", "Sandbox")]
public sealed class TypeScriptClientSandboxTests
{
    [SandboxFact]
    public async Task TypeScript_sdk_client_drives_the_kernel_tools_in_the_sandbox()
    {
        using var server = new ServerProcess();
        var keyPath = server.WriteSigningKey();

        using var doc = await TypeScriptClientTests.RunClientAsync(["stdio", "dotnet", .. server.Arguments("--target", "sandbox", "--signing-key", keyPath)], kernelFlow: true);
        var kernel = doc.RootElement.GetProperty("kernel");
        foreach (var step in new[] { "verify", "run", "stop", "deploy", "rollback" })
        {
            Assert.False(kernel.GetProperty(step).GetProperty("isError").GetBoolean(), step + ": " + kernel.GetProperty(step).GetProperty("text"));
        }

        Assert.True(kernel.GetProperty("verify").GetProperty("structured").GetProperty("passed").GetBoolean());
        Assert.Equal("completed", kernel.GetProperty("run").GetProperty("structured").GetProperty("state").GetString());
        // The token was accepted and the deployment ran as a canary in the guest playing the host; whether vtime passes
        // depends on its KPI against EEVDF in that guest, so either verdict of a real canary is an answer here.
        var deployed = kernel.GetProperty("deploy").GetProperty("structured").GetProperty("message").GetString();
        Assert.Matches("(passed|failed) its canary", deployed);
        Assert.DoesNotContain("token refused", deployed, StringComparison.Ordinal);
    }
}
