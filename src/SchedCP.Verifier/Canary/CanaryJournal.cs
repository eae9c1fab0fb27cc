using System.Text.Json;
using System.Text.Json.Serialization;

namespace SchedCP.Verifier.Canary;

/// <summary>A canary's phases.</summary>
public enum CanaryPhase
{
    /// <summary>The deployer refused the token: nothing was deployed.</summary>
    Refused,

    /// <summary>The known-good scheduler (or EEVDF) runs and the baseline KPI is measured.</summary>
    Baseline,

    /// <summary>The candidate is attached and watched.</summary>
    Canary,

    /// <summary>The candidate passed probation and is the new known-good scheduler.</summary>
    Promoted,

    /// <summary>The breaker tripped and the host went back to the known-good scheduler or EEVDF.</summary>
    RolledBack,
}

/// <summary>One transition of a canary.</summary>
/// <param name="At">When it was recorded (host clock).</param>
/// <param name="Deployment">The deployment's id (the token id when there is one).</param>
/// <param name="Candidate">The candidate's policy name.</param>
/// <param name="Phase">The phase entered.</param>
/// <param name="Running">What ran after the transition: a scheduler's ops name or <c>EEVDF</c>.</param>
/// <param name="Reason">Why.</param>
/// <param name="GuestUptime">The guest's uptime at the transition, in seconds, when it came from the guest.</param>
public sealed record CanaryTransition(DateTimeOffset At, string Deployment, string Candidate, CanaryPhase Phase, string Running, string Reason, double? GuestUptime = null);

/// <summary>Where canary transitions are recorded.</summary>
public interface ICanaryJournal
{
    /// <summary>Appends a transition.</summary>
    /// <param name="transition">The transition.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask AppendAsync(CanaryTransition transition, CancellationToken cancellationToken = default);

    /// <summary>Reads every transition, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<CanaryTransition>> ReadAllAsync(CancellationToken cancellationToken = default);
}

/// <summary>A journal in a JSON-lines file: one transition per line, appended and flushed each time.</summary>
/// <param name="path">The file; its folder is created when missing.</param>
public sealed class JsonLinesCanaryJournal(string path) : ICanaryJournal
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly Lock _gate = new();

    /// <summary>The file.</summary>
    public string Path { get; } = path ?? throw new ArgumentNullException(nameof(path));

    /// <inheritdoc />
    public ValueTask AppendAsync(CanaryTransition transition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transition);
        cancellationToken.ThrowIfCancellationRequested();
        var line = JsonSerializer.Serialize(transition, Json) + "\n";
        lock (_gate)
        {
            if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path)) is { } dir)
            {
                Directory.CreateDirectory(dir);
            }

            File.AppendAllText(Path, line);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<CanaryTransition>> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        var lines = await File.ReadAllLinesAsync(Path, cancellationToken).ConfigureAwait(false);
        var list = new List<CanaryTransition>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            try
            {
                list.Add(JsonSerializer.Deserialize<CanaryTransition>(lines[i], Json) ?? throw new JsonException("null"));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{Path}:{i + 1} is not a canary transition ({e.Message}); the journal was edited or truncated mid-line — remove or fix that line.", e);
            }
        }

        return list;
    }
}
