using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SchedCP.Agents;

/// <summary>
/// Reads the JSON object a model was asked for out of its reply (bare, or in a fenced block, with prose around it),
/// and says precisely what was wrong when it cannot, so the message can go back to the model.
/// </summary>
internal static class AgentJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static bool TryRead<T>(string? reply, [NotNullWhen(true)] out T? value, [NotNullWhen(false)] out string? problem)
        where T : class
    {
        value = null;
        if (string.IsNullOrWhiteSpace(reply))
        {
            problem = "The reply was empty; answer with one JSON object.";
            return false;
        }

        var start = reply.IndexOf('{', StringComparison.Ordinal);
        var end = reply.LastIndexOf('}');
        if (start < 0 || end <= start)
        {
            problem = "The reply held no JSON object; answer with exactly one JSON object as described.";
            return false;
        }

        try
        {
            value = JsonSerializer.Deserialize<T>(reply[start..(end + 1)], Options);
        }
        catch (JsonException e)
        {
            problem = $"The JSON could not be read: {e.Message} Answer again with one valid JSON object.";
            return false;
        }

        if (value is null)
        {
            problem = "The JSON was null; answer with one JSON object.";
            return false;
        }

        problem = null;
        return true;
    }
}
