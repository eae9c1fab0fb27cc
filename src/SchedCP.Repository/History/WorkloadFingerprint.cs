using System.Globalization;
using System.Text;

namespace SchedCP.Repository;

/// <summary>
/// Stable fingerprints of workload characteristics: keys and values are trimmed, lower-cased and whitespace-collapsed,
/// numbers are written in invariant form, and pairs are sorted before hashing, so order, case and spacing do not matter.
/// </summary>
public static class WorkloadFingerprint
{
    /// <summary>Normalises characteristics the way the fingerprint sees them.</summary>
    /// <param name="characteristics">Name to value.</param>
    /// <returns>A sorted dictionary of normalised pairs.</returns>
    public static IReadOnlyDictionary<string, string> Normalize(IReadOnlyDictionary<string, string> characteristics)
    {
        ArgumentNullException.ThrowIfNull(characteristics);
        var normalized = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in characteristics)
        {
            var k = Collapse(key);
            if (k.Length == 0)
            {
                continue;
            }

            var v = Collapse(value ?? "");
            if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            {
                v = number.ToString("R", CultureInfo.InvariantCulture);
            }

            normalized[k] = v;
        }

        return normalized;
    }

    /// <summary>Computes the fingerprint: <c>wl-</c> followed by the first 32 hex digits of the SHA-256 of the normalised pairs.</summary>
    /// <param name="characteristics">Name to value.</param>
    /// <returns>The fingerprint.</returns>
    public static string Compute(IReadOnlyDictionary<string, string> characteristics)
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in Normalize(characteristics))
        {
            sb.Append(k).Append('=').Append(v).Append('\n');
        }

        return "wl-" + ContentHash.Of(sb.ToString())[..32];
    }

    private static string Collapse(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToLowerInvariant();
}
