using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OtpNet;

namespace Vedette.Identity;

public enum TotpOutcome
{
    /// <summary>Not a code for this secret within one step of now.</summary>
    Invalid,

    /// <summary>A right code, but for a time step already used: a replayed (shoulder-surfed, phished) code.</summary>
    Replayed,

    Accepted,
}

/// <summary>A TOTP check; <see cref="Step"/> is the time step the code belongs to, to be stored as the last one used.</summary>
public readonly record struct TotpCheck(TotpOutcome Outcome, long Step);

/// <summary>
/// Time-based one-time passwords (RFC 6238) as authenticator apps make them: HMAC-SHA1, 30-second steps, 6 digits,
/// 160-bit secrets (RFC 4226's recommended length). Codes of the previous and next step are accepted too (clock drift),
/// but a step is accepted once: the caller stores the accepted step (<see cref="IIdentityStore.TryAcceptTotpStepAsync"/>,
/// which refuses a step not after the stored one, atomically) so the same code cannot be used twice.
/// </summary>
public sealed class Totp(TimeProvider time, int digits = Totp.DefaultDigits)
{
    public const int SecretBytes = 20;
    public const int StepSeconds = 30;
    public const int DefaultDigits = 6;

    /// <summary>Steps either side of now that are still accepted.</summary>
    public const int Tolerance = 1;

    public int Digits { get; } = digits is >= 6 and <= 8 ? digits : throw new ArgumentOutOfRangeException(nameof(digits), digits, "TOTP codes have 6 to 8 digits");

    public static byte[] GenerateSecret() => RandomNumberGenerator.GetBytes(SecretBytes);

    /// <summary>The secret as people type it into an authenticator: RFC 4648 base32 without padding.</summary>
    public static string ToBase32(byte[] secret) => Base32Encoding.ToString(secret).TrimEnd('=');

    /// <summary>The otpauth:// URI a QR code carries (Google Authenticator's key-URI format).</summary>
    public string ProvisioningUri(byte[] secret, string issuer, string account)
    {
        var label = Uri.EscapeDataString(issuer) + ":" + Uri.EscapeDataString(account);
        return string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{label}?secret={ToBase32(secret)}&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits={Digits}&period={StepSeconds}");
    }

    /// <summary>The current time step (Unix seconds / 30).</summary>
    public long CurrentStep => time.GetUtcNow().ToUnixTimeSeconds() / StepSeconds;

    /// <summary>The code for a time step; for enrolment screens and tests.</summary>
    public string Compute(byte[] secret, long step) =>
        new OtpNet.Totp(secret, StepSeconds, OtpHashMode.Sha1, Digits).ComputeTotp(DateTime.UnixEpoch.AddSeconds(step * StepSeconds));

    /// <summary>
    /// Checks a code typed by the user against the steps around now; <paramref name="lastAcceptedStep"/> is the step
    /// stored at the last accepted code (null if none), and no step up to it is accepted again.
    /// </summary>
    public TotpCheck Verify(byte[] secret, string? code, long? lastAcceptedStep)
    {
        var typed = Normalize(code);
        if (typed is null)
        {
            return new TotpCheck(TotpOutcome.Invalid, 0);
        }
        var now = CurrentStep;
        var matched = -1L;
        // Every candidate is computed and compared in constant time, so timing does not tell which step matched.
        for (var step = now - Tolerance; step <= now + Tolerance; step++)
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(secret, step)), Encoding.ASCII.GetBytes(typed)) && matched < 0)
            {
                matched = step;
            }
        }
        if (matched < 0)
        {
            return new TotpCheck(TotpOutcome.Invalid, 0);
        }
        return lastAcceptedStep is { } last && matched <= last
            ? new TotpCheck(TotpOutcome.Replayed, matched)
            : new TotpCheck(TotpOutcome.Accepted, matched);
    }

    private string? Normalize(string? code)
    {
        if (code is null)
        {
            return null;
        }
        var digitsOnly = code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return digitsOnly.Length == Digits && digitsOnly.All(char.IsAsciiDigit) ? digitsOnly : null;
    }
}
