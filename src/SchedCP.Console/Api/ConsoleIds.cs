using System.Buffers;

namespace SchedCP.Console.Api;

/// <summary>The one rule for ids that reach the console from outside: 1 to 64 of letters, digits and <c>._:-</c>, starting with a letter or digit.</summary>
public static class ConsoleIds
{
    /// <summary>The longest id.</summary>
    public const int MaxLength = 64;

    private static readonly SearchValues<char> Allowed = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-");

    /// <summary>Whether <paramref name="id"/> is a valid id.</summary>
    /// <param name="id">The candidate id.</param>
    /// <returns>True when valid.</returns>
    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength } && char.IsAsciiLetterOrDigit(id[0]) && !id.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>Throws when a host passes an invalid id (a bug in the host, not untrusted input).</summary>
    /// <param name="id">The id.</param>
    /// <param name="name">The parameter's name.</param>
    public static void ThrowIfInvalid(string id, string name)
    {
        if (!IsValid(id))
        {
            throw new ArgumentException($"'{(id?.Length > 80 ? id[..80] : id)}' is not a console id: use 1 to {MaxLength} letters, digits and ._:- starting with a letter or digit.", name);
        }
    }
}
