using SchedCP.Kernel.Analysis;

namespace SchedCP.Kernel.Tests.Analysis;

public sealed class WorkloadFileAccessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("schedcp-files-").FullName;

    public WorkloadFileAccessTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "root", "src"));
        File.WriteAllText(Path.Combine(_dir, "root", "Makefile"), "all:\n\tcc -O2 main.c\n");
        File.WriteAllText(Path.Combine(_dir, "secret"), "outside");
        File.CreateSymbolicLink(Path.Combine(_dir, "root", "escape"), Path.Combine(_dir, "secret"));
        File.CreateSymbolicLink(Path.Combine(_dir, "root", "src", "up"), "../..");
        File.CreateSymbolicLink(Path.Combine(_dir, "root", "inside"), "Makefile");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Reads_a_file_under_the_root_and_follows_links_that_stay_inside()
    {
        var access = new WorkloadFileAccess(Path.Combine(_dir, "root"));

        Assert.True(access.TryRead("Makefile", out var text, out _));
        Assert.Contains("cc -O2", text.Text, StringComparison.Ordinal);
        Assert.True(access.TryRead("inside", out _, out _));
        Assert.True(access.TryList("", out var entries, out _));
        Assert.Contains("src/", entries);
    }

    [Theory]
    [InlineData("../secret")]
    [InlineData("/etc/passwd")]
    [InlineData("escape")]
    [InlineData("src/up/secret")]
    [InlineData("src/../../secret")]
    public void Paths_that_leave_the_root_are_refused_links_included(string path)
    {
        var access = new WorkloadFileAccess(Path.Combine(_dir, "root"));

        Assert.False(access.TryRead(path, out _, out var failure));
        Assert.Equal(FileAccessFailureKind.OutsideRoot, failure.Kind);
    }

    [Fact]
    public void Missing_files_are_typed_and_long_files_are_capped()
    {
        var access = new WorkloadFileAccess(Path.Combine(_dir, "root"), maxBytes: 5);

        Assert.False(access.TryRead("nope", out _, out var failure));
        Assert.Equal(FileAccessFailureKind.NotFound, failure.Kind);
        Assert.True(access.TryRead("Makefile", out var text, out _));
        Assert.True(text.Truncated);
        Assert.Equal(5, text.Text.Length);
    }
}
