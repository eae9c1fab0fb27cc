using SchedCP.Testing;

namespace SchedCP.Cli.Tests;

/// <summary><c>schedcp run</c>, <c>deploy</c> and <c>rollback</c> as a user runs them: through the control plane's deployment service.</summary>
public sealed class DeployCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("schedcp-cli-deploy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Journal => Path.Combine(_dir, "data", "schedcp", "deployments.jsonl");

    [Theory]
    [InlineData("run")]
    [InlineData("deploy")]
    public async Task Run_and_deploy_without_a_token_are_refused_with_what_to_do(string verb)
    {
        var result = await Schedcp.RunAsync(_dir, verb, "fifo");

        Assert.Equal(7, result.ExitCode);
        Assert.Contains("refused (Missing)", result.Err, StringComparison.Ordinal);
        Assert.Contains("--token", result.Err, StringComparison.Ordinal);
        Assert.Contains("--unsafe-no-token", result.Err, StringComparison.Ordinal);

        var json = await Schedcp.RunAsync(_dir, verb, "fifo", "--json");
        Assert.Equal(7, json.ExitCode);
        using var refusal = System.Text.Json.JsonDocument.Parse(json.Out);
        Assert.Equal("refused", refusal.RootElement.GetProperty("status").GetString());
        Assert.Contains("--token", refusal.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task Deploy_with_a_malformed_token_is_refused_by_the_service_and_journaled()
    {
        var result = await Schedcp.RunAsync(_dir, "deploy", "vtime", "--token", "not-a-token", "--db", Path.Combine(_dir, "repo.db"));

        Assert.Equal(7, result.ExitCode);
        Assert.Contains("Refused: The deployment token is not a compact JWS", result.Err, StringComparison.Ordinal);
        Assert.Contains(await File.ReadAllLinesAsync(Journal), l => l.Contains("Refused", StringComparison.Ordinal) && l.Contains("asked by cli", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rollback_with_no_deployment_recorded_goes_to_eevdf_and_journals_it()
    {
        var result = await Schedcp.RunAsync(_dir, "rollback", "--db", Path.Combine(_dir, "repo.db"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No deployment is recorded", result.Out, StringComparison.Ordinal);
        Assert.Contains("now running EEVDF", result.Out, StringComparison.Ordinal);
        Assert.Contains(await File.ReadAllLinesAsync(Journal), l => l.Contains("rollback requested by cli", StringComparison.Ordinal));
    }
}
