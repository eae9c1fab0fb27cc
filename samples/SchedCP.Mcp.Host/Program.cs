// The SchedCP MCP server as a standalone host: stdio by default, `--http [URL]` for streamable HTTP on loopback.
using SchedCP.Mcp.Hosting;

return await SchedCPMcpLauncher.RunAsync(args);
