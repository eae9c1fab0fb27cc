using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Tests.WorkUnits;

public sealed class WorkUnitTests
{
    [Theory]
    [InlineData("file:src/./a.cs", "file:src/a.cs")]
    [InlineData("dir:src//lib/", "dir:src/lib")]
    [InlineData("dir:.", "dir:")]
    [InlineData("process:test", "process:test")]
    public void Equivalent_spellings_normalise_to_one_unit(string text, string expected) =>
        Assert.Equal(expected, WorkUnit.Parse(text).GetValueOrThrow().ToString());

    [Theory]
    [InlineData("file:../etc/passwd", "..")]
    [InlineData("file:/etc/passwd", "absolute")]
    [InlineData("socket:x", "prefix")]
    [InlineData("process:rm -rf", "invalid")]
    [InlineData("file:", "needs a path")]
    public void Malformed_units_are_refused_with_a_reason(string text, string reason)
    {
        var result = WorkUnit.Parse(text);

        Assert.Equal(RuntimeErrorCode.InvalidInput, result.Failure?.Kind);
        Assert.Contains(reason, result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Directory_overlaps_its_subtree_only()
    {
        var src = WorkUnit.Directory("src");

        Assert.True(src.Overlaps(WorkUnit.File("src/a/b.cs")));
        Assert.False(src.Overlaps(WorkUnit.File("srcx/a.cs")));
        Assert.False(src.Overlaps(WorkUnit.Process("src")));
        Assert.True(WorkUnit.Directory("").Overlaps(WorkUnit.File("x")));
    }
}
