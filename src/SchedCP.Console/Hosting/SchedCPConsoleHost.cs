using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SchedCP.Agents.Runtime.Replay;
using SchedCP.Console.Feed;
using SchedCP.Console.Security;

namespace SchedCP.Console.Hosting;

/// <summary>
/// Runs the console as its own small web server on a loopback endpoint: what <c>schedcp console</c> does, and what a
/// host that already runs agents does to show them (attach runtimes and loops to <see cref="Feed"/>).
/// </summary>
public sealed class SchedCPConsoleHost : IAsyncDisposable
{
    /// <summary>The largest event log <see cref="AddEventLog"/> reads.</summary>
    public const long MaxEventLogBytes = 256L * 1024 * 1024;

    private readonly WebApplication _app;

    private SchedCPConsoleHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where the console listens, e.g. <c>http://127.0.0.1:3002/</c>.</summary>
    public Uri Address { get; }

    /// <summary>What the console shows: attach runtimes and orchestrators, publish loops, add recorded runs.</summary>
    public ConsoleFeed Feed => _app.Services.GetRequiredService<ConsoleFeed>();

    /// <summary>
    /// Shows optimisation runs on this console: register it with the loop's services
    /// (<c>services.AddSingleton&lt;IOptimizationProgress&gt;(console.LoopProgress)</c>) and each run's stages, candidates,
    /// verifier reports, cost and agent runtime appear on the loop, agents and locks pages.
    /// </summary>
    public ConsoleLoopProgress LoopProgress => _app.Services.GetRequiredService<ConsoleLoopProgress>();

    /// <summary>Starts the console on <paramref name="endpoint"/>, which must be loopback (port 0 lets the kernel choose).</summary>
    /// <param name="endpoint">The loopback endpoint, e.g. from <see cref="LoopbackEndpoint.Parse"/>.</param>
    /// <param name="configure">Sets the options; the bearer token is required.</param>
    /// <param name="logging">Adds log providers; default none (the caller prints what matters).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running console.</returns>
    public static async Task<SchedCPConsoleHost> StartAsync(IPEndPoint endpoint, Action<SchedCPConsoleOptions> configure, Action<ILoggingBuilder>? logging = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(configure);
        if (!IPAddress.IsLoopback(endpoint.Address) || endpoint.Address.IsIPv4MappedToIPv6)
        {
            throw new ArgumentException($"{endpoint} is not a loopback address: the console listens on 127.0.0.0/8 or [::1] only; put a TLS reverse proxy in front to reach it from elsewhere.", nameof(endpoint));
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(endpoint);
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            k.Limits.MaxRequestLineSize = 8 * 1024;
            k.Limits.MaxRequestBodySize = 64 * 1024;
        });
        builder.Services.AddSchedCPConsole(configure);
        var app = builder.Build();
        app.MapSchedCPConsole();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A port in use must not leave a half-built server behind for the caller that retries on another.
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SchedCPConsoleHost(app, new Uri(bound.TrimEnd('/') + "/"));
    }

    /// <summary>Adds a recorded run from a runtime's JSON-lines event log (its replay page steps through it).</summary>
    /// <param name="id">The id the console shows.</param>
    /// <param name="path">The event log, e.g. <c>WORKSPACE/.schedcp-runtime/events.jsonl</c>.</param>
    /// <returns>Null when added, otherwise what is wrong with the file.</returns>
    public string? AddEventLog(string id, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return $"{path}: no such file.";
        }

        if (info.Length > MaxEventLogBytes)
        {
            return $"{path}: larger than {MaxEventLogBytes / (1024 * 1024)} MiB; the console reads logs up to that size.";
        }

        var loaded = JsonLinesEventLog.Load(path);
        if (!loaded.Succeeded)
        {
            return $"{path}: {loaded.Failure.Message}";
        }

        Feed.AddRecordedRun(id, loaded.Value);
        return null;
    }

    /// <summary>Waits until the host is asked to stop (Ctrl+C, SIGTERM) or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task.</returns>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
