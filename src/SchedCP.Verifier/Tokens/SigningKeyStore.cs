using System.Security.Cryptography;

namespace SchedCP.Verifier.Tokens;

/// <summary>A signing key read or created by <see cref="SigningKeyStore"/>, or why there is none.</summary>
/// <param name="Key">The P-256 private key, or null when refused.</param>
/// <param name="Path">The key file.</param>
/// <param name="Created">True when this call created the file.</param>
/// <param name="Problem">Why the key cannot be used, or null.</param>
/// <param name="Remedy">What to do about it, or null.</param>
public sealed record SigningKeyOutcome(ECDsa? Key, string Path, bool Created, string? Problem, string? Remedy)
{
    /// <summary>True when <see cref="Key"/> is set.</summary>
    public bool Succeeded => Key is not null;
}

/// <summary>
/// The verifier's persistent signing key: a PKCS#8 PEM file under the user's data folder
/// (<c>$XDG_DATA_HOME/schedcp/signing-key.pem</c>, else <c>~/.local/share/schedcp/signing-key.pem</c>), created on first
/// use with mode 0600 in a 0700 folder. A file that is not a regular file (e.g. a symbolic link) or that its group or
/// others can read is refused. Tokens outlive the process that issues them, so they are never signed with a throw-away key.
/// </summary>
public static class SigningKeyStore
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The default key file for this user.</summary>
    public static string DefaultPath
    {
        get
        {
            var data = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg && System.IO.Path.IsPathRooted(xdg)
                ? xdg
                : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            return System.IO.Path.Combine(data, "schedcp", "signing-key.pem");
        }
    }

    /// <summary>Reads the key at <paramref name="path"/> (default <see cref="DefaultPath"/>), creating it when absent.</summary>
    /// <param name="path">The key file; null for <see cref="DefaultPath"/>.</param>
    /// <returns>The key, or why it was refused.</returns>
    public static SigningKeyOutcome LoadOrCreate(string? path = null)
    {
        path = System.IO.Path.GetFullPath(path ?? DefaultPath);
        if (!File.Exists(path) && !Directory.Exists(path) && new FileInfo(path).LinkTarget is null)
        {
            var created = Create(path);
            if (created is not null)
            {
                return created;
            }
        }

        return Load(path);
    }

    /// <summary>Reads an existing key file, refusing one that is not a regular file or is readable by group or others.</summary>
    /// <param name="path">The key file.</param>
    /// <returns>The key, or why it was refused.</returns>
    public static SigningKeyOutcome Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || !info.Exists)
        {
            return Refused(path, $"The signing key {path} is {(info.LinkTarget is not null ? "a symbolic link" : "missing or not a regular file")}.", $"Replace it with a regular PEM file owned by you with mode 0600, or delete it to have a new key created.");
        }

        if (!OperatingSystem.IsWindows() && (info.UnixFileMode & GroupOrOther) != 0)
        {
            return Refused(path, $"The signing key {path} can be read or written by group or others (mode {Convert.ToString((int)info.UnixFileMode, 8)}).", $"Run 'chmod 600 {path}'; if others may have read it, delete it so a new key is made and re-verify pending candidates.");
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            if (key.KeySize != 256 || key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                key.Dispose();
                return Refused(path, $"The signing key {path} is not a P-256 key.", "Use an ECDSA P-256 private key in PKCS#8 PEM ('openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256').");
            }

            return new SigningKeyOutcome(key, path, false, null, null);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException or IOException or UnauthorizedAccessException)
        {
            key.Dispose();
            return Refused(path, $"The signing key {path} cannot be read as a PEM private key: {e.Message}", "Point to an ECDSA P-256 private key in PKCS#8 PEM, or delete the file to have a new key created.");
        }
    }

    private static SigningKeyOutcome? Create(string path)
    {
        var folder = System.IO.Path.GetDirectoryName(path)!;
        try
        {
            if (!Directory.Exists(folder))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(folder);
                }
                else
                {
                    Directory.CreateDirectory(folder, OwnerOnlyFolder);
                }
            }

            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnlyFile;
            }

            using (var stream = new FileStream(path, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(key.ExportPkcs8PrivateKeyPem());
            }

            return new SigningKeyOutcome(key, path, true, null, null);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: read theirs.
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Refused(path, $"The signing key {path} cannot be created: {e.Message}", "Make the folder writable by you, or pass --signing-key with an existing key file.");
        }
    }

    private static SigningKeyOutcome Refused(string path, string problem, string remedy) => new(null, path, false, problem, remedy);
}
