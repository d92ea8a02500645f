using System.Text;
using Geralt;

namespace Vedette.Identity;

/// <summary>Argon2id cost: time (passes over memory) and memory in KiB. Parallelism is always 1 (libsodium's).</summary>
public sealed record Argon2Parameters(int Iterations, int MemoryKiB)
{
    /// <summary>OWASP's recommended minimum for Argon2id: 19 MiB, 2 passes, 1 lane (about 20 ms on one core here).</summary>
    public static Argon2Parameters Owasp { get; } = new(2, 19 * 1024);
}

/// <summary>The outcome of checking a password against a stored hash.</summary>
public enum PasswordCheck
{
    Failed,
    Verified,

    /// <summary>The password is right, but the hash was made with other parameters: store <see cref="PasswordHasher.Hash"/> of it now.</summary>
    VerifiedNeedsRehash,
}

/// <summary>
/// Argon2id password hashes as PHC strings (<c>$argon2id$v=19$m=19456,t=2,p=1$salt$hash</c>), through Geralt, a thin
/// binding to libsodium's crypto_pwhash_str. Chosen over Konscious' managed Argon2 because libsodium is audited and
/// fast (a faster hash means more memory for the same sign-in latency), and because it writes and parses the PHC
/// string, compares in constant time and answers "needs rehash" itself: none of that is written by hand here.
/// Passwords are hashed as their UTF-8 bytes: the binary runs with invariant globalization, which has no Unicode
/// normalization, so a password is compared exactly as typed.
/// </summary>
public sealed class PasswordHasher(Argon2Parameters parameters)
{
    private const int MinPhcLength = 45;

    // Made on first use; two threads racing make two equally good hashes.
    private string? _dummy;

    public PasswordHasher()
        : this(Argon2Parameters.Owasp)
    {
    }

    public Argon2Parameters Parameters { get; } = parameters;

    private int MemoryBytes => Parameters.MemoryKiB * 1024;

    public string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        Span<char> phc = stackalloc char[Argon2id.HashSize];
        Argon2id.ComputeHash(phc, Encoding.UTF8.GetBytes(password), Parameters.Iterations, MemoryBytes);
        // libsodium writes a NUL-terminated string into the fixed-size buffer.
        var end = phc.IndexOf('\0');
        return new string(end < 0 ? phc : phc[..end]);
    }

    /// <summary>
    /// Checks <paramref name="password"/> against a stored PHC string. A hash that is not an Argon2id PHC string
    /// fails like a wrong password rather than throwing: sign-in must not tell the two apart.
    /// </summary>
    public PasswordCheck Verify(string? storedHash, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!IsArgon2idPhc(storedHash))
        {
            return PasswordCheck.Failed;
        }
        if (!Argon2id.VerifyHash(storedHash, Encoding.UTF8.GetBytes(password)))
        {
            return PasswordCheck.Failed;
        }
        return NeedsRehash(storedHash) ? PasswordCheck.VerifiedNeedsRehash : PasswordCheck.Verified;
    }

    /// <summary>True when the stored hash was made with other parameters than this hasher's (or is not a hash it can read).</summary>
    public bool NeedsRehash(string storedHash) =>
        !IsArgon2idPhc(storedHash) || Argon2id.NeedsRehash(storedHash, Parameters.Iterations, MemoryBytes);

    /// <summary>
    /// A throwaway verification with this hasher's cost, for a sign-in with an unknown user name: answering faster
    /// when the user does not exist would tell an attacker which names do.
    /// </summary>
    public void VerifyNothing(string password) => Verify(_dummy ??= Hash(Secrets.Random(16)), password);

    private static bool IsArgon2idPhc([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? hash) =>
        hash is { Length: >= MinPhcLength and <= Argon2id.HashSize } && hash.StartsWith("$argon2id$", StringComparison.Ordinal);
}
