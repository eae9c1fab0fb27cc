using SchedCP.Verifier.Tokens;

namespace SchedCP.Verifier.Tests.Tokens;

/// <summary>The persistent signing key: created once, owner-only, refused when exposed.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SigningKeyStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"schedcp-keys-{Guid.NewGuid():N}");

    private string KeyPath => Path.Combine(_dir, "schedcp", "signing-key.pem");

    [Fact]
    public void First_use_creates_an_owner_only_key_and_later_uses_read_the_same_key()
    {
        var first = SigningKeyStore.LoadOrCreate(KeyPath);
        Assert.True(first.Succeeded, first.Problem);
        Assert.True(first.Created);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(KeyPath)!));

        var again = SigningKeyStore.LoadOrCreate(KeyPath);
        Assert.True(again.Succeeded, again.Problem);
        Assert.False(again.Created);
        Assert.Equal(DeploymentToken.KeyIdOf(first.Key!), DeploymentToken.KeyIdOf(again.Key!));
    }

    [Fact]
    public void A_group_or_world_readable_key_is_refused_with_a_remedy()
    {
        Assert.True(SigningKeyStore.LoadOrCreate(KeyPath).Succeeded);
        File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var refused = SigningKeyStore.LoadOrCreate(KeyPath);
        Assert.False(refused.Succeeded);
        Assert.Contains("chmod 600", refused.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void A_symbolic_link_is_refused()
    {
        var real = Path.Combine(_dir, "real.pem");
        Assert.True(SigningKeyStore.LoadOrCreate(real).Succeeded);
        var link = Path.Combine(_dir, "link.pem");
        File.CreateSymbolicLink(link, real);
        var refused = SigningKeyStore.LoadOrCreate(link);
        Assert.False(refused.Succeeded);
        Assert.Contains("symbolic link", refused.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_path_follows_xdg_data_home()
    {
        var before = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        try
        {
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", "/tmp/xdg-data");
            Assert.Equal("/tmp/xdg-data/schedcp/signing-key.pem", SigningKeyStore.DefaultPath);
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", before);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
