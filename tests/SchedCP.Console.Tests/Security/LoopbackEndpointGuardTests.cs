using System.Net;
using System.Net.Http.Headers;
using SchedCP.Console.Security;

namespace SchedCP.Console.Tests.Security;

/// <summary>The console refuses what the MCP HTTP server refuses: a foreign Host or Origin, a missing or wrong token.</summary>
public sealed class LoopbackEndpointGuardTests
{
    [Fact]
    public async Task A_request_without_the_token_is_refused_with_401_and_a_bearer_challenge()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var client = server.Client(authorized: false);

        using var response = await client.GetAsync("api/runtimes");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_and_the_right_one_admitted()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var client = server.Client(authorized: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ConsoleServer.Token + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/runtimes")).StatusCode);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ConsoleServer.Token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/runtimes")).StatusCode);
    }

    [Fact]
    public async Task A_host_header_naming_another_host_is_refused_even_with_the_token()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/runtimes");
        request.Headers.Host = $"attacker.example:{server.Address.Port}";

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("not this loopback endpoint", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_foreign_origin_is_refused_and_an_allowed_one_admitted()
    {
        await using var server = await ConsoleServer.StartAsync(o => o.AllowedOrigins.Add("http://localhost:5173"));
        using var client = server.Client();
        using var foreign = new HttpRequestMessage(HttpMethod.Get, "api/runtimes");
        foreign.Headers.Add("Origin", "http://evil.example");
        using var allowed = new HttpRequestMessage(HttpMethod.Get, "api/runtimes");
        allowed.Headers.Add("Origin", "http://localhost:5173");

        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(foreign)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(allowed)).StatusCode);
    }

    [Fact]
    public async Task A_page_without_a_login_redirects_to_the_login_form_and_the_login_sets_an_httponly_strict_cookie()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var client = new HttpClient(handler) { BaseAddress = server.Address };
        using var page = new HttpRequestMessage(HttpMethod.Get, "agents");
        page.Headers.Accept.ParseAdd("text/html");
        using var redirect = await client.SendAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/login", redirect.Headers.Location?.OriginalString);

        using var wrong = await client.PostAsync("login", new FormUrlEncodedContent([new("token", "not-the-token-at-all")]));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        using var login = await client.PostAsync("login", new FormUrlEncodedContent([new("token", ConsoleServer.Token)]));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(ConsoleServer.Token, cookie, StringComparison.Ordinal);

        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "agents");
        withCookie.Headers.Add("Cookie", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(withCookie)).StatusCode);
    }

    [Fact]
    public async Task A_change_sent_with_the_cookie_but_without_the_console_header_is_refused_as_cross_site()
    {
        await using var server = await ConsoleServer.StartAsync();
        var guard = new LoopbackEndpointGuard(() => [], ConsoleServer.Token, []);
        using var client = server.Client(authorized: false);
        using var post = new HttpRequestMessage(HttpMethod.Post, "api/runtimes/r/agents/a/pause");
        post.Headers.Add("Cookie", $"{LoopbackEndpointGuard.CookieName}={guard.CookieValue}");

        using var response = await client.SendAsync(post);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(LoopbackEndpointGuard.ActionHeader, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_console_bound_to_every_interface_refuses_to_serve()
    {
        await using var server = await ConsoleServer.StartAsync(bind: IPAddress.Any);
        using var client = server.Client();

        using var response = await client.GetAsync("api/runtimes");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("not a loopback address", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:3002", true)]
    [InlineData("http://[::1]:3002", true)]
    [InlineData("http://127.0.0.2:80", true)]
    [InlineData("http://localhost:3002", false)]
    [InlineData("http://0.0.0.0:3002", false)]
    [InlineData("http://10.0.0.1:3002", false)]
    [InlineData("https://127.0.0.1:3002", false)]
    [InlineData("http://127.0.0.1:3002/console", false)]
    [InlineData("http://[::ffff:127.0.0.1]:3002", false)]
    [InlineData("http://user@127.0.0.1:3002", false)]
    public void Only_a_loopback_address_literal_is_an_endpoint(string url, bool accepted) =>
        Assert.Equal(accepted, LoopbackEndpoint.Parse(url) is not null);

    [Fact]
    public void The_token_comes_from_the_same_variable_as_the_mcp_servers_and_a_short_one_is_refused()
    {
        Assert.Equal("SCHEDCP_MCP_TOKEN", ConsoleBearerToken.TokenVariable);
        Assert.Equal("0123456789abcdefXYZ", ConsoleBearerToken.Resolve(null, _ => " 0123456789abcdefXYZ ").Token);
        Assert.NotNull(ConsoleBearerToken.Resolve(null, _ => "short").Problem);
        var generated = ConsoleBearerToken.Resolve(null, _ => null);
        Assert.True(generated.Generated);
        Assert.True(generated.Token!.Length >= 40);
    }
}
