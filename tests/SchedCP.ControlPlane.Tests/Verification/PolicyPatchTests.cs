using SchedCP.ControlPlane.Verification;
using SchedCP.Core.Diffs;

namespace SchedCP.ControlPlane.Tests.Verification;

public sealed class PolicyPatchTests
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

        var applied = PolicyPatch.Apply(Original, Diff);

        Assert.True(applied.Applied, applied.Problem);
        Assert.Equal("a\nb\nc\nD\ne\nf\n", applied.Text);
        Assert.Equal("1 hunk(s), +1 -1 lines", UnifiedDiff.Describe(Diff));
    }

    [Fact]
    public void Two_hunks_apply_in_order_and_lines_are_added()
    {
        const string Diff = "@@ -1,2 +1,3 @@\n a\n+a2\n b\n@@ -5,2 +6,2 @@\n e\n-f\n+F\n";

        var applied = PolicyPatch.Apply(Original, Diff);

        Assert.Equal("a\na2\nb\nc\nd\ne\nF\n", applied.Text);
        Assert.Equal(2, applied.HunksApplied);
    }

    [Fact]
    public void A_hunk_whose_context_is_not_in_the_source_is_refused_with_the_line_and_what_to_do()
    {
        var applied = PolicyPatch.Apply(Original, "@@ -2,2 +2,2 @@\n b\n-x\n+y\n");

        Assert.False(applied.Applied);
        Assert.Contains("Hunk 1", applied.Problem, StringComparison.Ordinal);
        Assert.Contains("at line 3 of the source the diff expects 'x' but the source has 'c'", applied.Problem, StringComparison.Ordinal);
        Assert.Contains("get_policy", applied.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--- a/../../etc/passwd\n+++ b/../../etc/passwd\n")]
    [InlineData("diff --git a/../../etc/passwd b/../../etc/passwd\n")]
    [InlineData("--- /dev/null\n+++ b/x.c\n")]
    public void A_diff_naming_a_path_that_climbs_out_or_no_file_is_refused(string header)
    {
        var applied = PolicyPatch.Apply(Original, header + "@@ -3,1 +3,1 @@\n-c\n+C\n");

        Assert.False(applied.Applied);
        Assert.Contains("the policy's own source", applied.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_diff_of_two_files_is_refused_but_a_git_header_and_its_file_lines_are_one_file()
    {
        const string Git = "diff --git a/x.c b/x.c\nindex 1..2 100644\n--- a/x.c\n+++ b/x.c\n@@ -3,1 +3,1 @@\n-c\n+C\n";

        var one = PolicyPatch.Apply(Original, Git);
        var two = PolicyPatch.Apply(Original, Git + Git.Replace("x.c", "y.c", StringComparison.Ordinal));

        Assert.True(one.Applied, one.Problem);
        Assert.False(two.Applied);
        Assert.Contains("more than one file", two.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_u_headers_with_timestamps_and_absolute_paths_apply()
    {
        var applied = PolicyPatch.Apply(Original, "--- /tmp/vtime.c\t2026-01-01 00:00:00.0 +0000\n+++ /tmp/new.c\t2026-01-01 00:00:01.0 +0000\n@@ -3,1 +3,1 @@\n-c\n+C\n");

        Assert.Equal("a\nb\nC\nd\ne\nf\n", applied.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("just prose, no hunks")]
    [InlineData("@@ -1,1 +1,1 @@\n a\n")]
    [InlineData("@@ bad header @@\n-a\n")]
    public void A_diff_that_says_nothing_applicable_is_refused(string diff)
    {
        var applied = PolicyPatch.Apply(Original, diff);

        Assert.False(applied.Applied);
        Assert.False(string.IsNullOrWhiteSpace(applied.Problem));
    }
}
