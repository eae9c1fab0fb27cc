using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SchedCP.Repository.Tests.Storage;

public sealed class DatabaseFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("schedcp-dbfile-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_directory_is_refused_with_a_file_to_use_instead()
    {
        var error = DatabaseFile.Check(_dir).Failure!;
        Assert.Equal(RepositoryErrorCode.InvalidDatabase, error.Kind);
        Assert.Contains("is a directory", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_dir, "repository.db"), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/dev/null")]
    public void A_device_is_refused(string path) =>
        Assert.Contains("not a regular file", DatabaseFile.Check(path).Failure!.Message, StringComparison.Ordinal);

    [Fact]
    public void A_file_that_is_not_sqlite_is_refused_and_left_as_it_was()
    {
        var path = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(path, "my notes, not a database");
        Assert.Contains("not a SQLite database", DatabaseFile.Check(path).Failure!.Message, StringComparison.Ordinal);
        Assert.Equal("my notes, not a database", File.ReadAllText(path));
    }

    [Fact]
    public void A_path_in_a_missing_folder_is_refused_and_no_folder_is_created()
    {
        var path = Path.Combine(_dir, "missing", "dir", "x.db");
        Assert.Contains("does not exist", DatabaseFile.Check(path).Failure!.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "missing")));
    }

    [Fact]
    public async Task A_new_path_an_empty_file_and_an_existing_repository_are_accepted()
    {
        var path = Path.Combine(_dir, "repository.db");
        Assert.True(DatabaseFile.Check(path).Succeeded);
        await new SqlitePolicyStore(new PolicyRepositoryOptions { DatabasePath = path }).InitializeAsync();
        Assert.True(DatabaseFile.Check(path).Succeeded);
        var empty = Path.Combine(_dir, "empty.db");
        File.WriteAllBytes(empty, []);
        Assert.True(DatabaseFile.Check(empty).Succeeded);
    }

    [Fact]
    public async Task The_store_refuses_a_foreign_file_before_sqlite_opens_it()
    {
        var path = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(path, "my notes, not a database");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new SqlitePolicyStore(new PolicyRepositoryOptions { DatabasePath = path }).InitializeAsync());
        Assert.Contains("not a SQLite database", e.Message, StringComparison.Ordinal);
        Assert.Equal("my notes, not a database", File.ReadAllText(path));
    }

    [Fact]
    public void Options_naming_a_directory_fail_validation_through_dependency_injection()
    {
        using var services = new ServiceCollection().AddSchedCPRepository(o => o.DatabasePath = _dir).Services.BuildServiceProvider();
        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PolicyRepositoryOptions>>().Value);
    }
}
