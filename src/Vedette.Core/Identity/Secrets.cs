using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Vedette.Identity;

/// <summary>
/// Random bearer secrets (API tokens, session ids, recovery codes) and how they are stored: a SHA-256 of the secret.
/// A fast hash is enough here, unlike for passwords, because these secrets have 80 to 256 random bits: nobody can
/// enumerate them, so the slowness Argon2 adds for guessable passwords would only cost every request.
/// </summary>
public static class Secrets
{
    /// <summary><paramref name="bytes"/> random bytes as base64url without padding.</summary>
    public static string Random(int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        RandomNumberGenerator.Fill(buffer);
        return Base64Url.EncodeToString(buffer);
    }

    /// <summary>Lower-case hex SHA-256 of the secret's UTF-8 bytes: the only form in which it is stored.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares two stored-form hashes without leaking through timing how much of them matched.</summary>
    public static bool HashesEqual(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
