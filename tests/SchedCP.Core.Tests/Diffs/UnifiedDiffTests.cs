using SchedCP.Core.Diffs;

namespace SchedCP.Core.Tests.Diffs;

public sealed class UnifiedDiffTests
{
    private const string Original = "a\nb\nc\nd\ne\nf\n";

    [Fact]
    public void A_created_diff_applies_exactly_and_turns_before_into_after()
    {
        const string After = "a\nB\nc\nd\ne\nf\ng\n";
        var diff = UnifiedDiff.Create("x.c", Original, After);

        var applied = UnifiedDiff.Apply(Original, diff, DiffMatching.Exact);

        Assert.Equal(After, applied.GetValueOrThrow().Text);
        Assert.Equal("1 hunk(s), +2 -1 lines", UnifiedDiff.Describe(diff));
    }

    [Fact]
    public void Exact_matching_refuses_a_hunk_whose_header_is_off_that_nearby_matching_applies()
    {
        const string Diff = "@@ -1,3 +1,3 @@\n c\n-d\n+D\n e\n";

        var exact = UnifiedDiff.Apply(Original, Diff, DiffMatching.Exact);
        var nearby = UnifiedDiff.Apply(Original, Diff, DiffMatching.Nearby);

        Assert.Equal(DiffFailureKind.BaseMismatch, exact.Failure?.Kind);
        Assert.Contains("Hunk 1: line 1 should be 'c' but is 'a'", exact.Failure!.Message, StringComparison.Ordinal);
        Assert.Equal("a\nb\nc\nD\ne\nf\n", nearby.GetValueOrThrow().Text);
    }

    [Fact]
    public void A_new_file_diff_applies_to_no_text_and_is_refused_on_a_file_that_has_lines()
    {
        var diff = UnifiedDiff.Create("new.c", null, "int x;\n");

        Assert.StartsWith("--- /dev/null", diff, StringComparison.Ordinal);
        Assert.Equal("int x;\n", UnifiedDiff.Apply("", diff).GetValueOrThrow().Text);
        var refused = UnifiedDiff.Apply(Original, diff);
        Assert.Equal(DiffFailureKind.WrongFile, refused.Failure?.Kind);
        Assert.Contains("already has 6 lines", refused.Failure!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\nb", "a\nb\n")]
    [InlineData("a\nb\n", "a\nb")]
    [InlineData("a\nb", "a\nc")]
    public void The_final_newline_follows_the_no_newline_markers(string before, string after)
    {
        var diff = UnifiedDiff.Create("f", before, after);

        Assert.Contains("\\ No newline at end of file", diff, StringComparison.Ordinal);
        Assert.Equal(after, UnifiedDiff.Apply(before, diff).GetValueOrThrow().Text);
    }

    [Fact]
    public void A_diff_that_deletes_its_file_or_touches_two_is_refused_as_the_wrong_file()
    {
        var deletes = UnifiedDiff.Apply(Original, "--- a/x.c\n+++ /dev/null\n@@ -1,6 +0,0 @@\n-a\n");
        var two = UnifiedDiff.Apply(Original, "--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+A\n--- a/y.c\n+++ b/y.c\n@@ -1 +1 @@\n-a\n+A\n");

        Assert.Equal(DiffFailureKind.WrongFile, deletes.Failure?.Kind);
        Assert.Equal(DiffFailureKind.WrongFile, two.Failure?.Kind);
        Assert.Contains("more than one file", two.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_diff_longer_than_the_limit_is_refused_before_it_is_read()
    {
        var huge = "@@ -1 +1 @@\n-a\n+" + new string('x', UnifiedDiff.MaxLength) + "\n";

        var refused = UnifiedDiff.Apply(Original, huge);

        Assert.Equal(DiffFailureKind.Malformed, refused.Failure?.Kind);
        Assert.Contains("more than 200000", refused.Failure!.Message, StringComparison.Ordinal);
    }

    // Seeded fuzz: byte-level mutations of valid diffs, applied both ways, end in a text or a typed failure, never an exception.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Mutated_diffs_end_in_a_text_or_a_typed_failure(int seed)
    {
        var random = new Random(seed);
        var alphabet = "@-+ \\\n,0123456789abc/.".ToCharArray();
        var diff = UnifiedDiff.Create("x.c", Original, "a\nB\nc\nd\nE\nf\ng\n");
        for (var i = 0; i < 2000; i++)
        {
            var chars = diff.ToCharArray().ToList();
            for (var m = random.Next(1, 6); m > 0; m--)
            {
                var at = random.Next(chars.Count + 1);
                switch (random.Next(3))
                {
                    case 0 when at < chars.Count: chars.RemoveAt(at); break;
                    case 1: chars.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    default: if (at < chars.Count) { chars[at] = alphabet[random.Next(alphabet.Length)]; } break;
                }
            }

            var mutant = new string([.. chars]);
            foreach (var matching in new[] { DiffMatching.Exact, DiffMatching.Nearby })
            {
                var outcome = UnifiedDiff.Apply(Original, mutant, matching);
                Assert.True(outcome.Succeeded || outcome.Failure!.Message.Length > 0, mutant);
                Assert.True(!outcome.Succeeded || outcome.Value!.Text.Length < Original.Length + mutant.Length, mutant);
            }
        }
    }
}
