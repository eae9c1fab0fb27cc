using SchedCP.Mcp.Hosting;

/// <summary><c>schedcp mcp [--read-only] [--http [URL]] [--db PATH] [--audit PATH] [--trusted-key PEM]</c>: the SchedCP MCP server.</summary>
internal static class McpCommand
{
    public static Task<int> RunAsync(string[] args) => SchedCPMcpLauncher.RunAsync(args.Skip(1).ToArray());
}
