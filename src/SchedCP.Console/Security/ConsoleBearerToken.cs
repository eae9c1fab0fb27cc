using System.Security.Cryptography;

namespace SchedCP.Console.Security;

/// <summary>
/// Where the console's bearer token comes from, by the rules of the MCP HTTP server so one token serves both: a file
/// readable by its owner only, else the <see cref="TokenVariable"/> environment variable, else a fresh random token the
/// caller prints once.
/// </summary>
/// <param name="Token">The token, or null when <see cref="Problem"/> says why there is none.</param>
/// <param name="Generated">True when the token was made up here (print it, so the operator can log in).</param>
/// <param name="Problem">What is wrong with the configured token and how to fix it.</param>
public sealed record ConsoleBearerToken(string? Token, bool Generated, string? Problem)
{
    /// <summary>The environment variable the MCP HTTP server reads its token from; the console reads the same one.</summary>
    public const string TokenVariable = "SCHEDCP_MCP_TOKEN";

    /// <summary>The shortest token accepted.</summary>
    public const int MinimumLength = 16;

    /// <summary>Resolves the token from <paramref name="file"/>, the environment, or a fresh random value.</summary>
    /// <param name="file">A token file (mode 0600), or null.</param>
    /// <param name="environment">Reads an environment variable; default <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <returns>The token or the problem.</returns>
    public static ConsoleBearerToken Resolve(string? file, Func<string, string?>? environment = null)
    {
        if (file is not null)
        {
            var info = new FileInfo(file);
            if (!info.Exists || info.LinkTarget is not null)
            {
                return new(null, false, $"--auth-token-file {file}: not a regular file. Write the token to a file with mode 0600.");
            }

            if (!OperatingSystem.IsWindows() && (info.UnixFileMode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                return new(null, false, $"--auth-token-file {file}: readable or writable by group or others. Run 'chmod 600 {file}'.");
            }

            if (info.Length > 4096)
            {
                return new(null, false, $"--auth-token-file {file}: larger than 4 KiB; it should hold one token.");
            }

            var text = File.ReadAllText(file).Trim();
            return text.Length >= MinimumLength
                ? new(text, false, null)
                : new(null, false, $"--auth-token-file {file}: the token must be at least {MinimumLength} characters. Generate one with 'head -c 32 /dev/urandom | base64'.");
        }

        if ((environment ?? Environment.GetEnvironmentVariable)(TokenVariable) is { Length: > 0 } env)
        {
            return env.Trim().Length >= MinimumLength ? new(env.Trim(), false, null) : new(null, false, $"{TokenVariable}: the token must be at least {MinimumLength} characters.");
        }

        return new(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'), true, null);
    }
}
