using System.Security.Cryptography;
using System.Text;

namespace Vedette.Identity;

/// <summary>
/// Single-use codes that stand in for the authenticator when it is lost: 10 per enrolment, shown once, stored only as
/// SHA-256 hashes. Each has 80 random bits (16 characters of Crockford base32, in groups of four), which puts an
/// offline search of a stolen hash out of reach even with a fast hash.
/// </summary>
public static class RecoveryCodes
{
    public const int Count = 10;
    public const int Characters = 16;

    // Crockford's alphabet: no i, l, o or u, so a code read aloud or copied by hand survives.
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    /// <summary>New codes, formatted for the user (<c>abcd-efgh-jkmn-pqrs</c>).</summary>
    public static IReadOnlyList<string> Generate()
    {
        var codes = new string[Count];
        for (var i = 0; i < Count; i++)
        {
            var text = new StringBuilder(Characters + 3);
            for (var c = 0; c < Characters; c++)
            {
                if (c > 0 && c % 4 == 0)
                {
                    text.Append('-');
                }
                text.Append(Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]);
            }
            codes[i] = text.ToString();
        }
        return codes;
    }

    /// <summary>The stored form of a code as the user typed it (case, spaces, dashes and look-alike letters forgiven).</summary>
    public static string Hash(string code) => Secrets.Hash(Normalize(code));

    public static string Normalize(string code)
    {
        var normalized = new StringBuilder(Characters);
        foreach (var c in code.ToLowerInvariant())
        {
            switch (c)
            {
                case ' ' or '-':
                    continue;
                case 'o':
                    normalized.Append('0');
                    break;
                case 'i' or 'l':
                    normalized.Append('1');
                    break;
                default:
                    normalized.Append(c);
                    break;
            }
        }
        return normalized.ToString();
    }
}
