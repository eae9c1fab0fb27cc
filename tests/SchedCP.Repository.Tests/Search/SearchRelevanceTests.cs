using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace SchedCP.Repository.Tests.Search;

public class SearchRelevanceTests(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record LabelledQuery(string Query, string[] Relevant);

    [Fact]
    public async Task Precision_at_3_over_the_labelled_queries_is_at_least_0_8()
    {
        var labelled = JsonSerializer.Deserialize<LabelledQuery[]>(
            await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Search", "labelled-queries.json")),
            Json)!;
        using var db = new TemporaryDatabase();
        var repository = db.Repository();

        var total = 0.0;
        foreach (var q in labelled)
        {
            Assert.True(q.Relevant.Length >= 3, $"'{q.Query}' needs at least 3 relevant policies for P@3 to reach 1");
            var top = await repository.SearchAsync(new PolicySearchQuery(q.Query) { Limit = 3 });
            var hits = top.Count(s => q.Relevant.Contains(s.Name));
            total += hits / 3.0;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{hits}/3  {q.Query} -> {string.Join(", ", top.Select(t => t.Name))}"));
        }

        var precision = total / labelled.Length;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"precision@3 = {precision:0.000} over {labelled.Length} queries"));
        Assert.True(precision >= 0.8, $"precision@3 = {precision:0.000}");
    }
}
