using System.Net;
using System.Net.Sockets;
using ModelContextProtocol.Client;
using SchedCP.Testing;

namespace SchedCP.Mcp.Tests;

/// <summary>Starts the built SchedCP MCP host as a real process, with a fresh database and audit log per test.</summary>
internal sealed class ServerProcess : IDisposable
{
    public ServerProcess()
    {
        Directory.CreateDirectory(WorkDir);
    }

    public string WorkDir { get; } = Path.Combine(Path.GetTempPath(), "schedcp-mcp-" + Guid.NewGuid().ToString("N")[..8]);

    public string AuditPath => Path.Combine(WorkDir, "audit.jsonl");

    public static string HostDll
    {
        get
        {
            var root = BuildOutputs.RepositoryRoot();
            var config = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
            var path = Path.Combine(root, "samples", "SchedCP.Mcp.Host", "bin", config, "net10.0", "SchedCP.Mcp.Host.dll");
            Assert.True(File.Exists(path), $"{path} is missing: build tests/SchedCP.Mcp.Tests (it builds the host).");
            return path;
        }
    }

    /// <summary>Writes a fresh verifier signing key (PKCS#8 PEM) into the work folder, for <c>--signing-key</c>.</summary>
    /// <returns>The key file's path.</returns>
    public string WriteSigningKey()
    {
        var path = Path.Combine(WorkDir, "verifier-key.pem");
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    /// <summary>The bearer token the HTTP tests start the server with (<c>--auth-token-file</c>).</summary>
    public string BearerToken { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    /// <summary>Writes <see cref="BearerToken"/> to an owner-only file for <c>--auth-token-file</c>.</summary>
    /// <returns>The file's path.</returns>
    public string WriteAuthTokenFile()
    {
        var path = Path.Combine(WorkDir, "mcp-token");
        File.WriteAllText(path, BearerToken + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    /// <summary>An HTTP client transport that sends <see cref="BearerToken"/>.</summary>
    /// <param name="endpoint">The server's endpoint.</param>
    /// <returns>The transport.</returns>
    public HttpClientTransport HttpTransport(Uri endpoint) =>
        new(new HttpClientTransportOptions
        {
            Endpoint = endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + BearerToken },
        });

    public IList<string> Arguments(params string[] extra) =>
        [HostDll, "--db", Path.Combine(WorkDir, "repo.db"), "--audit", AuditPath, .. extra];

    public Task<McpClient> ConnectStdioAsync(params string[] extra) =>
        McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "schedcp",
            Command = "dotnet",
            Arguments = Arguments(extra),
            WorkingDirectory = WorkDir,
            EnvironmentVariables = new Dictionary<string, string?> { ["XDG_DATA_HOME"] = Path.Combine(WorkDir, "data") },
        }));

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(WorkDir, recursive: true);
        }
        catch (IOException)
        {
            // A server still shutting down may hold the database for a moment; the temp folder is harmless.
        }
    }
}
