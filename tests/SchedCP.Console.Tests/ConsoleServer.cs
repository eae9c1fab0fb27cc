using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SchedCP.Console;
using SchedCP.Console.Audit;
using SchedCP.Console.Feed;

namespace SchedCP.Console.Tests;

/// <summary>A real console on a loopback port chosen by the kernel, with a fresh token and feed.</summary>
public sealed class ConsoleServer : IAsyncDisposable
{
    public const string Token = "test-token-0123456789abcdef";

    private readonly WebApplication _app;
    private int _disposed;

    private ConsoleServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public ConsoleFeed Feed => _app.Services.GetRequiredService<ConsoleFeed>();

    public ConsoleAuditLog Audit => _app.Services.GetRequiredService<ConsoleAuditLog>();

    public static async Task<ConsoleServer> StartAsync(Action<SchedCPConsoleOptions>? configure = null, IPAddress? bind = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(bind ?? IPAddress.Loopback, 0));
        builder.Services.AddSchedCPConsole(o =>
        {
            o.BearerToken = Token;
            configure?.Invoke(o);
        });
        var app = builder.Build();
        app.MapSchedCPConsole();
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(bound).Port;
        return new ConsoleServer(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>A client that presents the bearer token (or not).</summary>
    public HttpClient Client(bool authorized = true)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(20) };
        if (authorized)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
