using System.Text;
using Microsoft.Extensions.Time.Testing;
using Vedette.Identity;

namespace Vedette.Tests.Identity;

public sealed class TotpTests
{
    /// <summary>RFC 6238 appendix B's SHA-1 secret.</summary>
    private static readonly byte[] RfcSecret = Encoding.ASCII.GetBytes("12345678901234567890");

    private static FakeTimeProvider At(long unixSeconds) => new(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));

    [Theory]
    [InlineData(59, "94287082")]
    [InlineData(1111111109, "07081804")]
    [InlineData(1111111111, "14050471")]
    [InlineData(1234567890, "89005924")]
    [InlineData(2000000000, "69279037")]
    [InlineData(20000000000, "65353130")]
    public void Codes_match_the_rfc_6238_test_vectors(long unixSeconds, string expected)
    {
        var totp = new Totp(At(unixSeconds), digits: 8);

        Assert.Equal(expected, totp.Compute(RfcSecret, totp.CurrentStep));
        Assert.Equal(TotpOutcome.Accepted, totp.Verify(RfcSecret, expected, lastAcceptedStep: null).Outcome);
    }

    [Fact]
    public void Six_digit_codes_are_the_last_six_digits_of_the_rfc_values()
    {
        var totp = new Totp(At(59));

        Assert.Equal("287082", totp.Compute(RfcSecret, totp.CurrentStep));
        Assert.Equal(new TotpCheck(TotpOutcome.Accepted, 1), totp.Verify(RfcSecret, "287082", null));
        Assert.Equal(TotpOutcome.Invalid, totp.Verify(RfcSecret, "94287082", null).Outcome);
    }

    [Fact]
    public void A_code_is_accepted_one_step_either_side_of_now_but_not_two()
    {
        var time = At(1_000_000_020);
        var totp = new Totp(time);
        var secret = Totp.GenerateSecret();
        var now = totp.CurrentStep;

        Assert.Equal(new TotpCheck(TotpOutcome.Accepted, now - 1), totp.Verify(secret, totp.Compute(secret, now - 1), null));
        Assert.Equal(new TotpCheck(TotpOutcome.Accepted, now + 1), totp.Verify(secret, totp.Compute(secret, now + 1), null));
        Assert.Equal(TotpOutcome.Invalid, totp.Verify(secret, totp.Compute(secret, now - 2), null).Outcome);
        Assert.Equal(TotpOutcome.Invalid, totp.Verify(secret, totp.Compute(secret, now + 2), null).Outcome);
    }

    [Fact]
    public void A_code_used_once_is_refused_again_within_its_step_and_after()
    {
        var time = At(1_700_000_000);
        var totp = new Totp(time);
        var secret = Totp.GenerateSecret();
        var code = totp.Compute(secret, totp.CurrentStep);

        var first = totp.Verify(secret, code, lastAcceptedStep: null);
        Assert.Equal(TotpOutcome.Accepted, first.Outcome);
        Assert.Equal(new TotpCheck(TotpOutcome.Replayed, first.Step), totp.Verify(secret, code, lastAcceptedStep: first.Step));

        // Half a minute later the same code is the previous step's: still within tolerance, still refused.
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(TotpOutcome.Replayed, totp.Verify(secret, code, first.Step).Outcome);
        // An older step's code after a newer one was used is refused too.
        var next = totp.Compute(secret, totp.CurrentStep);
        var accepted = totp.Verify(secret, next, first.Step);
        Assert.Equal(TotpOutcome.Accepted, accepted.Outcome);
        Assert.Equal(TotpOutcome.Replayed, totp.Verify(secret, code, accepted.Step).Outcome);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    public void Malformed_codes_are_invalid(string? code)
    {
        var totp = new Totp(At(59));

        Assert.Equal(TotpOutcome.Invalid, totp.Verify(RfcSecret, code, null).Outcome);
    }

    [Fact]
    public void Spaces_typed_in_the_middle_of_a_code_are_forgiven()
    {
        var totp = new Totp(At(59));

        Assert.Equal(TotpOutcome.Accepted, totp.Verify(RfcSecret, "287 082", null).Outcome);
    }

    [Fact]
    public void Secrets_are_160_random_bits_and_the_uri_is_what_authenticator_apps_read()
    {
        var totp = new Totp(At(59));
        var secret = Totp.GenerateSecret();

        Assert.Equal(20, secret.Length);
        Assert.NotEqual(secret, Totp.GenerateSecret());
        Assert.Equal("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Totp.ToBase32(RfcSecret));
        Assert.Equal(
            "otpauth://totp/Vedette:ana%40corp.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Vedette&algorithm=SHA1&digits=6&period=30",
            totp.ProvisioningUri(RfcSecret, "Vedette", "ana@corp.example"));
    }
}
