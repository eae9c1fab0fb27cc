using System.Text.Json;
using System.Text.Json.Serialization;

namespace SchedCP.Console.Api;

/// <summary>The console's JSON settings: camelCase, enums as strings, shallow documents only.</summary>
internal static class ConsoleJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        MaxDepth = 16,
    };
}
