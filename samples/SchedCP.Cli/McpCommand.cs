using SchedCP.Mcp.Hosting;

/// <summary>
/// <c>schedcp mcp [--read-only] [--http [URL]] [--auth-token-file PATH] [--allow-origin ORIGIN] [--db PATH] [--audit PATH]
/// [--trusted-key PEM] [--signing-key PEM]</c>: the SchedCP MCP server. Over HTTP it listens on a loopback address only,
/// checks Host and Origin and requires a bearer token (see docs/security.md).
/// </summary>
internal static class McpCommand
{
    public static Task<int> RunAsync(string[] args) => SchedCPMcpLauncher.RunAsync(args.Skip(1).ToArray());
}
