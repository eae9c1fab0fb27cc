using System.Net;
using Microsoft.Extensions.Time.Testing;
using SchedCP.Kernel.Analysis;

namespace SchedCP.Kernel.Tests.Analysis;

public sealed class KpiMonitorTests
{
    private static readonly KpiThreshold P99 = new("p99_us", KpiDirection.LowerIsBetter, 1000, 200);

    [Fact]
    public async Task Drop_fires_once_and_recovery_needs_the_hysteresis_margin()
    {
        var time = new FakeTimeProvider();
        using var monitor = new KpiMonitor(time);
        var alerts = new List<KpiAlert>();
        monitor.Register(P99, alerts.Add);

        foreach (var v in new[] { 900.0, 1200, 1300, 950, 1100, 850, 799, 1001 })
        {
            await monitor.ObserveAsync("p99_us", v);
        }

        Assert.Equal([KpiAlertKind.Degraded, KpiAlertKind.Recovered, KpiAlertKind.Degraded], alerts.Select(a => a.Kind));
        Assert.Equal([1200, 799, 1001], alerts.Select(a => a.Value));
    }

    [Fact]
    public async Task Sustain_time_is_measured_on_the_time_provider()
    {
        var time = new FakeTimeProvider();
        using var monitor = new KpiMonitor(time);
        var alerts = new List<KpiAlert>();
        monitor.Register(P99 with { SustainFor = TimeSpan.FromSeconds(10) }, alerts.Add);

        await monitor.ObserveAsync("p99_us", 1500);
        time.Advance(TimeSpan.FromSeconds(5));
        await monitor.ObserveAsync("p99_us", 1500);
        Assert.Empty(alerts);

        time.Advance(TimeSpan.FromSeconds(5));
        await monitor.ObserveAsync("p99_us", 1500);
        Assert.Single(alerts);
        Assert.Equal(time.GetUtcNow(), alerts[0].At);
    }

    [Fact]
    public async Task Higher_is_better_kpis_alert_when_they_fall()
    {
        using var monitor = new KpiMonitor(new FakeTimeProvider());
        var alerts = new List<KpiAlert>();
        monitor.Register(new KpiThreshold("requests_per_second", KpiDirection.HigherIsBetter, 1000, 100), alerts.Add);

        await monitor.ObserveAsync("requests_per_second", 1500);
        await monitor.ObserveAsync("requests_per_second", 900);
        await monitor.ObserveAsync("requests_per_second", 1050);
        await monitor.ObserveAsync("requests_per_second", 1100);

        Assert.Equal([KpiAlertKind.Degraded, KpiAlertKind.Recovered], alerts.Select(a => a.Kind));
    }

    [Fact]
    public void Polling_follows_the_time_provider_and_stops_when_disposed()
    {
        var time = new FakeTimeProvider();
        using var monitor = new KpiMonitor(time);
        var alerts = new List<KpiAlert>();
        monitor.Register(P99, alerts.Add);
        var values = new Queue<double>([500, 1500, 1600, 500]);
        var polls = 0;
        var poll = monitor.Start(_ => { polls++; return ValueTask.FromResult<IReadOnlyDictionary<string, double>>(new Dictionary<string, double> { ["p99_us"] = values.Dequeue() }); }, TimeSpan.FromSeconds(1));

        time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(0, polls);
        for (var i = 0; i < 4; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(4, polls);
        Assert.Equal([KpiAlertKind.Degraded, KpiAlertKind.Recovered], alerts.Select(a => a.Kind));
        poll.Dispose();
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(4, polls);
    }

    [Fact]
    public async Task Failing_sink_does_not_stop_other_sinks()
    {
        using var monitor = new KpiMonitor(new FakeTimeProvider());
        var delivered = 0;
        monitor.Register(P99, new DelegateKpiAlertSink((_, _) => throw new InvalidOperationException("sink down")));
        monitor.Register(P99, _ => delivered++);

        var raised = await monitor.ObserveAsync("p99_us", 5000);

        Assert.Equal(2, raised.Count);
        Assert.Equal(1, delivered);
    }

    [Theory]
    [InlineData("http://10.0.0.1/hook")]
    [InlineData("http://localhost:8080/hook")]
    [InlineData("http://example.com/hook")]
    [InlineData("ftp://127.0.0.1/hook")]
    [InlineData("http://user:pw@127.0.0.1/hook")]
    [InlineData("http://0.0.0.0/hook")]
    public void Webhook_outside_loopback_ip_is_refused(string address)
    {
        using var http = new HttpClient();
        Assert.False(LoopbackWebhookKpiAlertSink.TryCreate(new Uri(address), http, out _, out var failure));
        Assert.Equal(MonitorFailureKind.WebhookNotLoopback, failure.Kind);
    }

    [Fact]
    public async Task Webhook_on_loopback_receives_the_alert_as_json()
    {
        var handler = new RecordingHandler();
        using var http = new HttpClient(handler);
        Assert.True(LoopbackWebhookKpiAlertSink.TryCreate(new Uri("http://127.0.0.1:9/alerts"), http, out var sink, out _));
        Assert.True(LoopbackWebhookKpiAlertSink.IsLoopback(new Uri("http://[::1]:9/")));
        using var monitor = new KpiMonitor(new FakeTimeProvider());
        monitor.Register(P99, sink);

        await monitor.ObserveAsync("p99_us", 4242);

        Assert.Equal(HttpMethod.Post, handler.Method);
        Assert.Equal("http://127.0.0.1:9/alerts", handler.Uri?.ToString());
        Assert.Contains("\"kpi\":\"p99_us\"", handler.Body, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"Degraded\"", handler.Body, StringComparison.Ordinal);
        Assert.Contains("4242", handler.Body, StringComparison.Ordinal);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public HttpMethod? Method { get; private set; }

        public Uri? Uri { get; private set; }

        public string Body { get; private set; } = "";

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Method = request.Method;
            Uri = request.RequestUri;
            Body = await request.Content!.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.NoContent);
        }
    }
}
