using System.Security.Cryptography;
using System.Text;

namespace SchedCP.Repository;

/// <summary>SHA-256 content hashes as lower-case hex, the form stored with every artifact.</summary>
public static class ContentHash
{
    /// <summary>Hashes the UTF-8 bytes of <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>64 lower-case hex digits.</returns>
    public static string Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Of(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Hashes <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The content.</param>
    /// <returns>64 lower-case hex digits.</returns>
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Whether <paramref name="value"/> looks like a hash produced by <see cref="Of(string)"/>.</summary>
    /// <param name="value">The candidate.</param>
    /// <returns><see langword="true"/> for 64 lower-case hex digits.</returns>
    public static bool IsWellFormed(string? value) =>
        value is { Length: 64 } && value.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
