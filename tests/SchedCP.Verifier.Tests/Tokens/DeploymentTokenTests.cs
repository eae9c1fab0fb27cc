using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using SchedCP.Verifier.Tokens;

namespace SchedCP.Verifier.Tests.Tokens;

public class DeploymentTokenTests
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private readonly MachineHostIdentity _host = new("host-a");
    private readonly Dictionary<string, string> _params = new() { ["slice_ns"] = "5000000" };

    private string Issue(ECDsa? key = null, string? host = null) =>
        new DeploymentTokenIssuer(key ?? _key, _host, _time).Issue("fifo", new string('a', 64), null, _params, "static:pass kernel-verifier:pass", host);

    private DeploymentTokenValidator Validator() => new(_key, _host, _time);

    [Fact]
    public void Valid_token_is_accepted_for_its_policy_content_and_parameters()
    {
        var v = Validator().Validate(Issue(), "fifo", new string('a', 64), _params);
        Assert.True(v.IsValid, v.Reason);
        Assert.Equal("host-a", v.Token!.HostId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Missing_token_is_refused(string? token) => Assert.Equal(TokenRefusal.Missing, Validator().Validate(token).Refusal);

    [Fact]
    public void Garbage_is_refused_as_malformed() => Assert.Equal(TokenRefusal.Malformed, Validator().Validate("not-a-token").Refusal);

    [Fact]
    public void Expired_token_is_refused()
    {
        var token = Issue();
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(TokenRefusal.Expired, Validator().Validate(token).Refusal);
    }

    [Fact]
    public void Tampered_payload_is_refused()
    {
        var token = Issue();
        var parts = token.Split('.');
        var json = System.Text.Encoding.UTF8.GetString(Jws.Decode(parts[1])!).Replace("5000000", "1", StringComparison.Ordinal);
        var forged = parts[0] + "." + Jws.Encode(System.Text.Encoding.UTF8.GetBytes(json)) + "." + parts[2];
        Assert.Equal(TokenRefusal.Tampered, Validator().Validate(forged).Refusal);
    }

    [Fact]
    public void Token_signed_by_another_key_is_refused_as_foreign()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(TokenRefusal.ForeignKey, Validator().Validate(Issue(other)).Refusal);
    }

    [Fact]
    public void Token_for_another_host_is_refused() =>
        Assert.Equal(TokenRefusal.ForeignHost, Validator().Validate(Issue(host: "host-b")).Refusal);

    [Fact]
    public void Token_for_other_content_or_parameters_is_refused()
    {
        var token = Issue();
        Assert.Equal(TokenRefusal.ContentMismatch, Validator().Validate(token, "fifo", new string('b', 64)).Refusal);
        Assert.Equal(TokenRefusal.ContentMismatch, Validator().Validate(token, "vtime").Refusal);
        Assert.Equal(TokenRefusal.ContentMismatch, Validator().Validate(token, "fifo", null, new Dictionary<string, string> { ["slice_ns"] = "1" }).Refusal);
    }
}
