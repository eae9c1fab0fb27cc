using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SchedCP.Verifier.Tokens;

namespace SchedCP.Verifier.Tests.Tokens;

/// <summary>The token as a standard: compact ES256 JWS, low-S, canonical base64url, pinned header, required claims.</summary>
public class DeploymentTokenStandardTests
{
    private static readonly BigInteger N = BigInteger.Parse("115792089210356248762697446949407573529996955224135760342422259061068512044369", System.Globalization.CultureInfo.InvariantCulture);
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private readonly MachineHostIdentity _host = new("host-a");
    private readonly Dictionary<string, string> _params = new() { ["slice_ns"] = "5000000" };

    private string Issue() => new DeploymentTokenIssuer(_key, _host, _time).Issue("fifo", new string('a', 64), null, _params, "static:pass kernel-verifier:pass");

    private DeploymentTokenValidator Validator() => new(_key, _host, _time);

    private string Sign(object header, object claims)
    {
        var signingInput = Jws.Encode(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Jws.Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        return signingInput + "." + Jws.Encode(Jws.SignLowS(_key, Encoding.UTF8.GetBytes(signingInput)));
    }

    private Dictionary<string, object?> Header() => new() { ["alg"] = "ES256", ["typ"] = "schedcp-deploy+jwt", ["kid"] = DeploymentToken.KeyIdOf(_key) };

    private Dictionary<string, object?> Claims()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        return new()
        {
            ["jti"] = "0123456789abcdef", ["iss"] = "schedcp-verifier", ["host"] = "host-a", ["pol"] = "fifo", ["obj"] = new string('a', 64), ["src"] = "",
            ["prm"] = new Dictionary<string, string> { ["slice_ns"] = "5000000" }, ["vrd"] = "static:pass", ["iat"] = now, ["nbf"] = now, ["exp"] = now + 3600,
        };
    }

    [Fact]
    public void Token_is_a_compact_es256_jws_with_typ_kid_and_jti()
    {
        var parts = Issue().Split('.');
        Assert.Equal(3, parts.Length);
        using var header = JsonDocument.Parse(Jws.Decode(parts[0]));
        Assert.Equal("ES256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal("schedcp-deploy+jwt", header.RootElement.GetProperty("typ").GetString());
        Assert.Equal(DeploymentToken.KeyIdOf(_key), header.RootElement.GetProperty("kid").GetString());
        using var claims = JsonDocument.Parse(Jws.Decode(parts[1]));
        foreach (var claim in new[] { "jti", "iss", "host", "pol", "obj", "src", "prm", "vrd", "iat", "nbf", "exp" })
        {
            Assert.True(claims.RootElement.TryGetProperty(claim, out _), claim);
        }

        // A standard verifier accepts it: the signature is plain IEEE P1363 ES256 over header.claims.
        Assert.True(_key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Jws.Decode(parts[2])!, HashAlgorithmName.SHA256));
    }

    [Fact]
    public void Signature_with_s_replaced_by_n_minus_s_is_refused_as_non_canonical()
    {
        var parts = Issue().Split('.');
        var signature = Jws.Decode(parts[2])!;
        var s = new BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
        var high = (N - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        var mirrored = signature[..32].Concat(new byte[32 - high.Length]).Concat(high).ToArray();
        // The mirrored signature is mathematically valid ECDSA: only the low-S rule refuses it.
        Assert.True(_key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), mirrored, HashAlgorithmName.SHA256));
        var v = Validator().Validate(parts[0] + "." + parts[1] + "." + Jws.Encode(mirrored));
        Assert.Equal(TokenRefusal.NonCanonicalSignature, v.Refusal);
    }

    [Fact]
    public void Issuer_only_issues_low_s_signatures()
    {
        for (var i = 0; i < 64; i++)
        {
            var signature = Jws.Decode(Issue().Split('.')[2])!;
            Assert.True(Jws.IsCanonicalSignature(signature), $"token {i} has a high s");
        }
    }

    [Fact]
    public void Non_zero_trailing_bits_are_refused()
    {
        var token = Issue();
        var parts = token.Split('.');
        // 64 bytes take 86 characters: the last carries 2 data bits and 4 unused bits, which must be zero.
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var last = Alphabet.IndexOf(parts[2][^1], StringComparison.Ordinal);
        var sameBytes = parts[2][..^1] + Alphabet[last | 1];
        Assert.Equal(Convert.ToHexString(Jws.Decode(parts[2])!), Convert.ToHexString(Convert.FromBase64String(sameBytes.Replace('-', '+').Replace('_', '/') + "==")));
        Assert.Equal(TokenRefusal.Malformed, Validator().Validate(parts[0] + "." + parts[1] + "." + sameBytes).Refusal);
    }

    [Fact]
    public void Padding_is_refused()
    {
        var parts = Issue().Split('.');
        Assert.Equal(TokenRefusal.Malformed, Validator().Validate(parts[0] + "." + parts[1] + "." + parts[2] + "==").Refusal);
        Assert.Equal(TokenRefusal.Malformed, Validator().Validate(parts[0] + "=." + parts[1] + "." + parts[2]).Refusal);
    }

    [Fact]
    public void Standard_base64_alphabet_is_refused()
    {
        // Issue until a token has a '-' or '_' somewhere, then spell it the standard base64 way.
        for (var i = 0; i < 200; i++)
        {
            var token = Issue();
            if (token.IndexOfAny(['-', '_']) >= 0)
            {
                var plus = token.Replace('-', '+').Replace('_', '/');
                Assert.True(Validator().Validate(token).IsValid);
                Assert.Equal(TokenRefusal.Malformed, Validator().Validate(plus).Refusal);
                return;
            }
        }

        Assert.Fail("no token with '-' or '_' in 200 tries");
    }

    [Fact]
    public void Signed_claims_with_null_parameters_are_refused_without_an_exception()
    {
        var claims = Claims();
        claims["prm"] = null;
        var v = Validator().Validate(Sign(Header(), claims), "fifo", new string('a', 64), _params);
        Assert.Equal(TokenRefusal.Malformed, v.Refusal);
    }

    [Theory]
    [InlineData("jti")]
    [InlineData("iss")]
    [InlineData("host")]
    [InlineData("pol")]
    [InlineData("obj")]
    [InlineData("src")]
    [InlineData("prm")]
    [InlineData("vrd")]
    [InlineData("iat")]
    [InlineData("nbf")]
    [InlineData("exp")]
    public void Every_claim_is_required_and_may_not_be_null(string claim)
    {
        var missing = Claims();
        missing.Remove(claim);
        Assert.Equal(TokenRefusal.Malformed, Validator().Validate(Sign(Header(), missing)).Refusal);
        var nulled = Claims();
        nulled[claim] = null;
        Assert.Equal(TokenRefusal.Malformed, Validator().Validate(Sign(Header(), nulled)).Refusal);
    }

    [Fact]
    public void A_hand_built_token_with_every_claim_is_accepted() =>
        Assert.True(Validator().Validate(Sign(Header(), Claims()), "fifo", new string('a', 64), _params).IsValid);

    [Fact]
    public void Parameter_value_that_is_not_a_string_is_refused()
    {
        var claims = Claims();
        claims["prm"] = new Dictionary<string, object?> { ["slice_ns"] = null };
        Assert.Equal(TokenRefusal.Malformed, Validator().Validate(Sign(Header(), claims)).Refusal);
    }

    [Theory]
    [InlineData("none", "schedcp-deploy+jwt")]
    [InlineData("HS256", "schedcp-deploy+jwt")]
    [InlineData("ES384", "schedcp-deploy+jwt")]
    [InlineData("ES256", "JWT")]
    public void Header_must_pin_es256_and_the_deployment_type(string alg, string typ)
    {
        var header = Header();
        header["alg"] = alg;
        header["typ"] = typ;
        Assert.Equal(TokenRefusal.WrongAlgorithm, Validator().Validate(Sign(header, Claims())).Refusal);
    }

    [Fact]
    public void Signed_claims_that_are_not_valid_utf8_are_refused_without_an_exception()
    {
        var header = Jws.Encode(JsonSerializer.SerializeToUtf8Bytes(Header()));
        byte[] claims = [.. "{\""u8, 0xC3, 0x28, .. "\":1}"u8];
        var input = header + "." + Jws.Encode(claims);
        var token = input + "." + Jws.Encode(Jws.SignLowS(_key, Encoding.ASCII.GetBytes(input)));
        Assert.Equal(TokenRefusal.Malformed, Validator().Validate(token).Refusal);
    }

    [Fact]
    public void Duplicate_claim_names_are_refused()
    {
        var header = Jws.Encode(JsonSerializer.SerializeToUtf8Bytes(Header()));
        var json = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(Claims())).Replace("\"pol\":\"fifo\"", "\"pol\":\"fifo\",\"pol\":\"other\"", StringComparison.Ordinal);
        var input = header + "." + Jws.Encode(Encoding.UTF8.GetBytes(json));
        var token = input + "." + Jws.Encode(Jws.SignLowS(_key, Encoding.ASCII.GetBytes(input)));
        Assert.Equal(TokenRefusal.Malformed, Validator().Validate(token).Refusal);
    }

    [Fact]
    public void Not_before_in_the_future_is_refused_and_becomes_valid_on_time()
    {
        var claims = Claims();
        claims["nbf"] = _time.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds();
        var token = Sign(Header(), claims);
        Assert.Equal(TokenRefusal.NotYetValid, Validator().Validate(token).Refusal);
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.True(Validator().Validate(token).IsValid);
    }

    [Fact]
    public void Expiry_is_checked_with_the_injected_clock()
    {
        var token = Issue();
        _time.Advance(TimeSpan.FromMinutes(60));
        Assert.True(Validator().Validate(token).IsValid);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(TokenRefusal.Expired, Validator().Validate(token).Refusal);
    }

    [Fact]
    public void Seeded_fuzz_of_the_parser_never_throws_and_never_validates()
    {
        var random = new Random(20261205);
        var valid = Issue();
        var validator = Validator();
        const string Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=.{}\":, \0é";
        for (var i = 0; i < 5000; i++)
        {
            var candidate = (i % 5) switch
            {
                0 => new string(Enumerable.Range(0, random.Next(0, 400)).Select(_ => Chars[random.Next(Chars.Length)]).ToArray()),
                1 => Flip(valid, random),
                2 => valid[..random.Next(valid.Length)],
                3 => valid.Insert(random.Next(valid.Length), Chars[random.Next(Chars.Length)].ToString()),
                _ => string.Join('.', valid.Split('.').OrderBy(_ => random.Next())),
            };
            if (candidate == valid)
            {
                continue;
            }

            var v = validator.Validate(candidate, "fifo", new string('a', 64), _params);
            Assert.False(v.IsValid, $"mutation {i} validated: {candidate}");
        }
    }

    private static string Flip(string s, Random random)
    {
        var chars = s.ToCharArray();
        var at = random.Next(chars.Length);
        chars[at] = (char)(chars[at] ^ (1 << random.Next(7)));
        return new string(chars);
    }
}
