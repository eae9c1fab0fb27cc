using System.Text.Json;

namespace SchedCP.ControlPlane.Deployment;

/// <summary>
/// The known-good history (last promoted first, at most <see cref="Depth"/>) in a JSON file (default <c>$XDG_DATA_HOME/schedcp/known-good.json</c>, else
/// <c>~/.local/share/schedcp/known-good.json</c>). Written to a temporary file and renamed over the old one, so a crash
/// leaves the previous record or the new one, never half of either.
/// </summary>
/// <param name="path">The file.</param>
public sealed class JsonFileKnownGoodStore(string path) : IKnownGoodStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>How many promoted schedulers are kept for successive rollbacks.</summary>
    public const int Depth = 16;

    /// <summary>The file.</summary>
    public string Path { get; } = path ?? throw new ArgumentNullException(nameof(path));

    /// <summary>The default file under the user's data folder.</summary>
    public static string DefaultPath
    {
        get
        {
            var data = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            if (string.IsNullOrEmpty(data))
            {
                data = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            }

            return System.IO.Path.Combine(data, "schedcp", "known-good.json");
        }
    }

    /// <inheritdoc />
    public async ValueTask<KnownGoodRecord?> ReadAsync(CancellationToken cancellationToken = default) =>
        (await LoadAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    /// <inheritdoc />
    public async ValueTask WriteAsync(KnownGoodRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var history = await LoadAsync(cancellationToken).ConfigureAwait(false);
        await SaveAsync([record, .. history.Take(Depth - 1)], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<KnownGoodRecord?> RetireAsync(CancellationToken cancellationToken = default)
    {
        var history = await LoadAsync(cancellationToken).ConfigureAwait(false);
        var rest = history.Skip(1).ToList();
        await SaveAsync(rest, cancellationToken).ConfigureAwait(false);
        return rest.FirstOrDefault();
    }

    private async ValueTask<List<KnownGoodRecord>> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        try
        {
            var bytes = await File.ReadAllBytesAsync(Path, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize<List<KnownGoodRecord>>(bytes, Json) ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Path} is not a known-good history ({e.Message}); it was edited by hand — fix it or delete it (rollback then goes to EEVDF).", e);
        }
    }

    private ValueTask SaveAsync(List<KnownGoodRecord> history, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var full = System.IO.Path.GetFullPath(Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, history, Json);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, full, overwrite: true);
        return ValueTask.CompletedTask;
    }
}
