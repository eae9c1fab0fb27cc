// Usage: ClaimWorker <database> <worker-id> <units> <ttl-ms> <hold-ms> <stop-file>
//    or: ClaimWorker records <workspace> <database> (see RecordWriter)
// <database> is a SQLite file, or "postgresql:" followed by an Npgsql connection string.
// Claims one of <units> process units at a time (exclusive), holds it <hold-ms> (a hold longer than the TTL is a
// holder that stalls) and releases it, until <stop-file> exists. One line per event on stdout, times in UTC ticks
// of the lock table's clock:
//   GRANT <unit> <token> <lease-id> <granted-at> <expires-at>
//   RELEASE <unit> <token> <end> released|expired
using System.Globalization;
using SchedCP.Agents.Runtime.Claims;
using SchedCP.Agents.Runtime.Claims.Storage;
using SchedCP.Agents.Runtime.WorkUnits;

if (args[0] == "records")
{
    await RecordWriter.RunAsync(args[1], args[2]).ConfigureAwait(false);
    return;
}

var database = args[0];
var workerId = args[1];
var units = Enumerable.Range(0, int.Parse(args[2], CultureInfo.InvariantCulture)).Select(i => WorkUnit.Process("unit-" + i)).ToArray();
var ttl = TimeSpan.FromMilliseconds(int.Parse(args[3], CultureInfo.InvariantCulture));
var hold = TimeSpan.FromMilliseconds(int.Parse(args[4], CultureInfo.InvariantCulture));
var stopFile = args[5];

using var store = database.StartsWith("postgresql:", StringComparison.Ordinal)
    ? WorkUnitLockStore.PostgreSql(database["postgresql:".Length..])
    : WorkUnitLockStore.Sqlite(database);
var table = new WorkUnitLockTable(TimeProvider.System, store);
var random = new Random(workerId.GetHashCode(StringComparison.Ordinal));
Console.Out.Flush();
Console.WriteLine("READY");

while (!File.Exists(stopFile))
{
    var unit = units[random.Next(units.Length)];
    var ticket = table.Request(workerId, [Claim.Exclusive(unit)], ttl).GetValueOrThrow();
    var granted = await ticket.Grant.WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
    if (!granted.Succeeded)
    {
        Console.WriteLine($"REFUSED {unit.Name} {granted.Failure}");
        continue;
    }

    var lease = granted.Value;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"GRANT {unit.Name} {lease.FencingToken} {lease.LeaseId} {lease.GrantedAt.UtcTicks} {lease.ExpiresAt.UtcTicks}"));
    await Task.Delay(hold).ConfigureAwait(false);

    // The end is read before the release, so the reported interval never outlasts the lease.
    var end = TimeProvider.System.GetUtcNow();
    var released = table.Release(lease.LeaseId, workerId);
    var reportedEnd = released.Succeeded ? end : lease.ExpiresAt;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"RELEASE {unit.Name} {lease.FencingToken} {reportedEnd.UtcTicks} {(released.Succeeded ? "released" : "expired")}"));
}

table.ReleaseAll(workerId);
Console.WriteLine("STOPPED");
