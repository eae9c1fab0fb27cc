// Writes batches of runs, each in its own transaction, and prints a batch's run ids only after its commit returned.
// The crash test kills this process at an arbitrary moment and then checks that every printed id is in the database.
using System.Globalization;
using SchedCP.Repository;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: SchedCP.Repository.CrashWriter <database-path>");
    return 2;
}

var store = new SqlitePolicyStore(new PolicyRepositoryOptions { DatabasePath = args[0] });
await store.InitializeAsync();
var profile = await store.UpsertProfileAsync(WorkloadProfile.Create("crash test", new Dictionary<string, string> { ["kind"] = "crash" }, DateTimeOffset.UnixEpoch));
var padding = new string('x', 2048);
var stdout = Console.Out;
for (var batch = 0; ; batch++)
{
    var runs = Enumerable.Range(0, 16).Select(i => new RunRecord(
        string.Create(CultureInfo.InvariantCulture, $"run-{batch}-{i}"),
        profile.Fingerprint,
        "scx_rusty",
        new Dictionary<string, string> { ["padding"] = padding },
        string.Create(CultureInfo.InvariantCulture, $"session-{batch}"),
        i,
        false,
        new RunMetrics(MakespanSeconds: 1 + i),
        DateTimeOffset.UnixEpoch)).ToList();
    await store.AddRunsAsync(runs);
    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"committed {batch}"));
    stdout.Flush();
}
