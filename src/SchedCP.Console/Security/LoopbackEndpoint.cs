using System.Net;
using System.Net.Sockets;

namespace SchedCP.Console.Security;

/// <summary>
/// The loopback address a console (or the MCP HTTP server) listens on: <c>http</c>, an address literal in 127.0.0.0/8
/// or <c>::1</c>, a port, and nothing else. Host names and IPv4-mapped IPv6 addresses are refused, so the console is
/// never reachable from another machine without a TLS reverse proxy someone chose to put in front.
/// </summary>
public static class LoopbackEndpoint
{
    /// <summary>The address used when none is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:3002";

    /// <summary>Parses <paramref name="url"/>; null when it is not a loopback <c>http://ADDRESS:PORT</c> with no path, query, fragment or user info.</summary>
    /// <param name="url">The URL.</param>
    /// <returns>The endpoint, or null.</returns>
    public static IPEndPoint? Parse(string? url)
    {
        if (url is null || url.Length > 256 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "http" || uri.UserInfo.Length > 0
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.AbsolutePath != "/")
        {
            return null;
        }

        return IPAddress.TryParse(uri.DnsSafeHost, out var address) && !address.IsIPv4MappedToIPv6 && IPAddress.IsLoopback(address) && uri.Port is > 0 and < 65536
            ? new IPEndPoint(address, uri.Port)
            : null;
    }

    /// <summary>The host as it appears in a URL and a Host header: <c>127.0.0.1</c> or <c>[::1]</c>.</summary>
    /// <param name="address">The address.</param>
    /// <returns>The URL form.</returns>
    public static string UrlHost(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
    }
}
