using System.Text;
using System.Text.Json;
using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Claims.Storage;

/// <summary>Claims as one JSON column: [["file","exclusive","src/a.cs"], …], readable in any SQL shell.</summary>
internal static class ClaimText
{
    public static string Write(IReadOnlyList<Claim> claims)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var claim in claims)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(claim.Unit.Kind.ToString().ToLowerInvariant());
                writer.WriteStringValue(claim.Mode.ToString().ToLowerInvariant());
                writer.WriteStringValue(claim.Unit.Name);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static Claim[] Read(string text)
    {
        using var document = JsonDocument.Parse(text);
        var claims = new Claim[document.RootElement.GetArrayLength()];
        var i = 0;
        foreach (var element in document.RootElement.EnumerateArray())
        {
            var kind = Enum.Parse<WorkUnitKind>(element[0].GetString()!, ignoreCase: true);
            var mode = Enum.Parse<ClaimMode>(element[1].GetString()!, ignoreCase: true);
            var unit = WorkUnit.Create(kind, element[2].GetString()).GetValueOrThrow();
            claims[i++] = new Claim(unit, mode);
        }

        return claims;
    }

    public static DateTimeOffset Time(long utcTicks) => new(utcTicks, TimeSpan.Zero);

}
