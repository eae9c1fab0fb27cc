using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Json;

namespace SchedCP.Kernel.Analysis;

/// <summary>
/// Delivers alerts as a JSON POST to a webhook on this machine. Only literal loopback IP addresses (127.0.0.0/8, ::1)
/// are accepted, never host names, so an alert cannot leave the machine even if name resolution is tampered with.
/// </summary>
internal sealed class LoopbackWebhookKpiAlertSink : IKpiAlertSink
{
    private readonly HttpClient _http;
    private readonly Uri _address;

    private LoopbackWebhookKpiAlertSink(HttpClient http, Uri address)
    {
        _http = http;
        _address = address;
    }

    /// <summary>The webhook's address.</summary>
    public Uri Address => _address;

    /// <summary>Creates a sink, or refuses an address that is not http(s) on a loopback IP.</summary>
    /// <param name="address">The webhook, e.g. <c>http://127.0.0.1:8080/alerts</c>.</param>
    /// <param name="http">The client to post with (its handler decides redirects; keep them off).</param>
    /// <param name="sink">The sink.</param>
    /// <param name="failure">Why it was refused.</param>
    public static bool TryCreate(Uri address, HttpClient http, [NotNullWhen(true)] out LoopbackWebhookKpiAlertSink? sink, [NotNullWhen(false)] out MonitorFailure? failure)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(http);
        sink = null;
        if (!IsLoopback(address))
        {
            failure = new MonitorFailure(MonitorFailureKind.WebhookNotLoopback,
                $"'{address}' is not an http(s) address on a loopback IP; alerts are only posted to this machine.",
                "Use http://127.0.0.1:<port>/<path> (or [::1]) and forward from there if the alert must go further.");
            return false;
        }

        failure = null;
        sink = new LoopbackWebhookKpiAlertSink(http, address);
        return true;
    }

    /// <summary>True for an absolute http(s) URI whose host is a literal loopback IP address.</summary>
    /// <param name="address">The address.</param>
    public static bool IsLoopback(Uri address) =>
        address is { IsAbsoluteUri: true } && (address.Scheme == Uri.UriSchemeHttp || address.Scheme == Uri.UriSchemeHttps)
        && address.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
        && IPAddress.TryParse(address.IdnHost.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)
        && string.IsNullOrEmpty(address.UserInfo);

    /// <inheritdoc />
    public async ValueTask DeliverAsync(KpiAlert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var body = new
        {
            kind = alert.Kind.ToString(),
            kpi = alert.Kpi,
            value = alert.Value,
            threshold = alert.Threshold.Threshold,
            direction = alert.Threshold.Direction.ToString(),
            at = alert.At,
        };
        using var response = await _http.PostAsJsonAsync(_address, body, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }
}
