using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SchedCP.Agents.Runtime.Records;

/// <summary>
/// Checks the untrusted text that becomes a record (names, paths, content) before any store sees it: names are
/// bounded and free of control characters, all text is well-formed Unicode (a database would silently replace a
/// lone surrogate, so what is read back would differ from what was written).
/// </summary>
internal static class RecordInput
{
    /// <summary>The longest id or name (agent ids, artifact producers, subjects, media types), in UTF-16 chars.</summary>
    internal const int MaxNameChars = 1024;

    /// <summary>How records are written: enums by name, so a stored record reads the same after members are added.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General) { Converters = { new JsonStringEnumConverter() } };

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Null when <paramref name="value"/> is a usable name; otherwise the failure, naming <paramref name="field"/>.</summary>
    internal static RuntimeError? CheckName(string field, string? value, bool allowEmpty = false)
    {
        if (value is null || (!allowEmpty && string.IsNullOrWhiteSpace(value)))
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, $"{field} is empty: give it a name.");
        }

        if (value.Length > MaxNameChars)
        {
            return new RuntimeError(RuntimeErrorCode.LimitExceeded, $"{field} is {value.Length} characters long; at most {MaxNameChars} are kept.");
        }

        if (value.Any(char.IsControl))
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, $"{field} contains a control character: names are one line of printable text.");
        }

        return CheckText(field, value, int.MaxValue);
    }

    /// <summary>Null when <paramref name="value"/> is well-formed text of at most <paramref name="maxChars"/> chars; otherwise the failure.</summary>
    internal static RuntimeError? CheckText(string field, string value, int maxChars)
    {
        if (value.Length > maxChars)
        {
            return new RuntimeError(RuntimeErrorCode.LimitExceeded, $"{field} is {value.Length} characters long; at most {maxChars} are kept (AgentRuntimeOptions.MaxArtifactChars).");
        }

        try
        {
            _ = Strict.GetByteCount(value);
            return null;
        }
        catch (EncoderFallbackException)
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, $"{field} is not well-formed Unicode text (it has a lone surrogate).");
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> with the failure's message (for callers whose input is a bug when wrong).</summary>
    internal static void ThrowIfFailed(RuntimeError? check, string parameter)
    {
        if (check is { } failed)
        {
            throw new ArgumentException(failed.ToString(), parameter);
        }
    }
}
