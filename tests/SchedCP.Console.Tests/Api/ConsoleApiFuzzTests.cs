using System.Net;
using System.Text;
using Xunit.Abstractions;

namespace SchedCP.Console.Tests.Api;

/// <summary>
/// Seeded fuzzing of the console's untrusted HTTP inputs: random and damaged ids, actions, step values and bodies
/// (truncated, deeply nested, oversized, not JSON, wrong content type) against every route, with a runtime attached so
/// valid-looking requests reach the runtime. Every answer is a typed 2xx/3xx/4xx, never a 5xx, and the console still
/// serves afterwards.
/// </summary>
public sealed class ConsoleApiFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261206;
    private const int Requests = 1_500;

    private static readonly string[] Routes =
    [
        "api/runtimes", "api/runtimes/{id}/locks", "api/runtimes/{id}/agents/{id}/changes", "api/runtimes/{id}/agents/{id}/{action}",
        "api/loops", "api/loops/{id}", "api/dags", "api/dags/{id}", "api/runs", "api/runs/{id}/replay", "api/audit",
        "", "agents", "locks", "loops", "loops/{id}", "dags", "runs", "runs/{id}", "changes/{id}/{id}", "audit", "login", "openapi/console.json",
    ];

    private static readonly string[] Ids =
        ["rt", "worker", "holder", "waiter-1", "recorded", "loop-1", "a", "A.b:c-d_e", "", " ", "..", "%2e%2e", "a%2Fb", "a b", "ü", "名前", "<script>", "'\"", "%00", "-lead", new string('x', 64), new string('y', 65), new string('z', 3000)];

    private static readonly string[] ActionNames = ["pause", "resume", "terminate", "PAUSE", "kill", "", "pause%00", "resume/..", new string('p', 200)];

    private static readonly string[] StepValues = ["0", "1", "7", "1000000", "1000001", "-1", "+3", "1e3", "0x10", "", "abc", "99999999999999999999", "3&step=4", "%00"];

    private static readonly string[] Bodies =
    [
        "", "{}", "{\"reason\":\"ok\"}", "{\"reason\":null}", "{\"reason\":\"" + new string('r', 501) + "\"}", "{\"reason\":\"x\",\"reason\":\"y\"}",
        "{\"reason\":[1]}", "{\"reason\":\"\\ud800\"}", "{\"a\":1}", "[]", "null", "\"str\"", "{", "}", "{\"reason\":\"x\"", "\u0000\u0001\u0002", "<xml/>",
        new string('[', 2000) + new string(']', 2000), "{\"reason\":" + new string('{', 100) + new string('}', 100) + "}", new string('a', 10_000),
    ];

    private static readonly string[] ContentTypes = ["application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""];

    [Fact]
    public async Task Random_and_damaged_requests_get_typed_answers_and_never_a_server_error()
    {
        await using var server = await ConsoleServer.StartAsync();
        await using var scenario = new ContendedRuntime();
        server.Feed.AttachRuntime("rt", scenario.Runtime);
        server.Feed.LoopStarted("loop-1", "longtail", "makespan_ms", false);
        var (recorded, _) = await RecordedScenario.RecordAsync();
        server.Feed.AddRecordedRun("recorded", recorded.Events);
        scenario.Start();
        using var client = server.Client();
        var random = new Random(Seed);
        var statuses = new SortedDictionary<int, int>();
        for (var i = 0; i < Requests; i++)
        {
            var path = Fill(Routes[random.Next(Routes.Length)], random);
            if (random.Next(3) == 0)
            {
                path += "?step=" + StepValues[random.Next(StepValues.Length)] + (random.Next(4) == 0 ? "&fragment=1" : "");
            }

            var method = random.Next(10) switch { < 5 => HttpMethod.Get, < 9 => HttpMethod.Post, _ => random.Next(2) == 0 ? HttpMethod.Put : HttpMethod.Delete };
            using var request = new HttpRequestMessage(method, path);
            if (method != HttpMethod.Get)
            {
                var body = Mutate(Bodies[random.Next(Bodies.Length)], random);
                var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                var type = ContentTypes[random.Next(ContentTypes.Length)];
                if (type.Length > 0)
                {
                    content.Headers.TryAddWithoutValidation("Content-Type", type);
                }

                request.Content = content;
            }

            if (random.Next(20) == 0)
            {
                request.Headers.TryAddWithoutValidation("Origin", random.Next(2) == 0 ? "null" : "http://evil.example");
            }

            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status < 500, $"request {i}: {method} {Shorten(path)} answered {status}: {Shorten(await response.Content.ReadAsStringAsync())}");
        }

        output.WriteLine(string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/runtimes/rt/locks")).StatusCode);
        Assert.True(statuses.Keys.Any(k => k is >= 200 and < 300) && statuses.ContainsKey(400) && statuses.ContainsKey(404));
    }

    private static string Fill(string route, Random random)
    {
        var text = new StringBuilder(route);
        while (text.ToString().IndexOf("{id}", StringComparison.Ordinal) is var at and >= 0)
        {
            var id = Ids[random.Next(Ids.Length)];
            text.Remove(at, 4).Insert(at, random.Next(5) == 0 ? id : Uri.EscapeDataString(id));
        }

        return text.Replace("{action}", ActionNames[random.Next(ActionNames.Length)]).ToString();
    }

    private static string Mutate(string body, Random random)
    {
        if (body.Length == 0 || random.Next(3) != 0)
        {
            return body;
        }

        var chars = body.ToCharArray();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            chars[random.Next(chars.Length)] = (char)random.Next(0, 0x2FF);
        }

        var mutated = new string(chars);
        return random.Next(2) == 0 ? mutated[..random.Next(mutated.Length + 1)] : mutated;
    }

    private static string Shorten(string s) => s.Length <= 200 ? s : s[..200] + "...";
}
