namespace SchedCP.Agents.Tests.Revision;

public sealed class UnifiedDiffTests
{
    private const string Original = "a\nb\nc\nd\ne\nf\n";

    [Fact]
    public void A_hunk_applies_where_its_context_matches_even_when_its_header_is_miscounted()
    {
        const string Diff = """
            --- a/x.c
            +++ b/x.c
            @@ -1,3 +1,3 @@
             c
            -d
            +D
             e
            """;

        var applied = UnifiedDiff.Apply(Original, Diff);

        Assert.True(applied.Applied, applied.Problem);
        Assert.Equal("a\nb\nc\nD\ne\nf\n", applied.Text);
        Assert.Equal("1 hunk(s), +1 -1 lines", UnifiedDiff.Describe(Diff));
    }

    [Fact]
    public void Two_hunks_apply_in_order_and_lines_are_added()
    {
        const string Diff = "@@ -1,2 +1,3 @@\n a\n+a2\n b\n@@ -5,2 +6,2 @@\n e\n-f\n+F\n";

        var applied = UnifiedDiff.Apply(Original, Diff);

        Assert.Equal("a\na2\nb\nc\nd\ne\nF\n", applied.Text);
        Assert.Equal(2, applied.HunksApplied);
    }

    [Fact]
    public void A_hunk_whose_context_is_not_in_the_source_is_refused_with_the_line_and_what_to_do()
    {
        var applied = UnifiedDiff.Apply(Original, "@@ -2,2 +2,2 @@\n b\n-x\n+y\n");

        Assert.False(applied.Applied);
        Assert.Contains("Hunk 1", applied.Problem, StringComparison.Ordinal);
        Assert.Contains("'b'", applied.Problem, StringComparison.Ordinal);
        Assert.Contains("get_policy", applied.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("just prose, no hunks")]
    [InlineData("@@ -1,1 +1,1 @@\n a\n")]
    [InlineData("@@ bad header @@\n-a\n")]
    public void A_diff_that_says_nothing_applicable_is_refused(string diff)
    {
        var applied = UnifiedDiff.Apply(Original, diff);

        Assert.False(applied.Applied);
        Assert.False(string.IsNullOrWhiteSpace(applied.Problem));
    }
}
