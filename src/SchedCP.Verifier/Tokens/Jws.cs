using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SchedCP.Verifier.Tokens;

/// <summary>The strict pieces of compact JWS that deployment tokens need: canonical base64url and low-S ES256.</summary>
internal static class Jws
{
    // The order of the P-256 group (FIPS 186-4, D.1.2.3) and its half: an ES256 signature with s above the half is the
    // mirror image (r, n - s) of a valid one, so only s <= n/2 is issued or accepted.
    private static readonly BigInteger N = BigInteger.Parse("115792089210356248762697446949407573529996955224135760342422259061068512044369", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly BigInteger HalfN = N >> 1;

    public static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Decodes canonical unpadded base64url: only <c>[A-Za-z0-9_-]</c>, no padding, zero trailing bits.</summary>
    public static byte[]? Decode(string text)
    {
        if (text.Length == 0 || text.Length % 4 == 1)
        {
            return null;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                return null;
            }
        }

        var s = text.Replace('-', '+').Replace('_', '/');
        s += (s.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(s);
        }
        catch (FormatException)
        {
            return null;
        }

        // Non-zero unused bits in the last character decode to the same bytes: re-encoding tells them apart.
        return string.Equals(Encode(bytes), text, StringComparison.Ordinal) ? bytes : null;
    }

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>Signs <paramref name="signingInput"/> with ES256 and returns r || s with s in the lower half.</summary>
    public static byte[] SignLowS(ECDsa key, byte[] signingInput)
    {
        var signature = key.SignData(signingInput, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var s = new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        if (s > HalfN)
        {
            var low = (N - s).ToByteArray(isUnsigned: true, isBigEndian: true);
            Array.Clear(signature, 32, 32);
            low.CopyTo(signature, 64 - low.Length);
        }

        return signature;
    }

    /// <summary>True when a 64-byte r || s has 0 &lt; r &lt; n and 0 &lt; s &lt;= n/2.</summary>
    public static bool IsCanonicalSignature(byte[] signature)
    {
        if (signature.Length != 64)
        {
            return false;
        }

        var r = new BigInteger(signature.AsSpan(0, 32), isUnsigned: true, isBigEndian: true);
        var s = new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        return r > 0 && r < N && s > 0 && s <= HalfN;
    }

    /// <summary>Parses a JSON object whose property names are all distinct; null for anything else.</summary>
    public static JsonDocument? ParseObject(byte[] json)
    {
        // Invalid UTF-8 would surface later as an exception when a name or value is read: refuse it here.
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            return null;
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException)
        {
            return null;
        }

        if (doc.RootElement.ValueKind != JsonValueKind.Object || HasDuplicates(doc.RootElement))
        {
            doc.Dispose();
            return null;
        }

        return doc;
    }

    private static bool HasDuplicates(JsonElement obj)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            if (!seen.Add(p.Name) || (p.Value.ValueKind == JsonValueKind.Object && HasDuplicates(p.Value)))
            {
                return true;
            }
        }

        return false;
    }
}
