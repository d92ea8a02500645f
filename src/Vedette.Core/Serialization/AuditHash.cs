using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Vedette.Serialization;

/// <summary>
/// The hash that chains audit entries, defined byte for byte so that every store computes the same chain and anyone
/// can verify an exported log without Vedette. The input is, in this order, the previous hash, the sequence, the
/// time (UTC, seven fractional digits), actor, action, target and details, each written as its UTF-8 byte length in
/// decimal, ':', its bytes and '\n': length prefixes keep the encoding unambiguous whatever the fields contain.
/// </summary>
public static class AuditHash
{
    /// <summary>The previous hash of the first entry.</summary>
    public static string Genesis { get; } = new('0', 64);

    public static string Compute(string previousHash, long sequence, DateTimeOffset at, string actor, string action, string target, string details)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, previousHash);
        Append(hash, sequence.ToString(CultureInfo.InvariantCulture));
        Append(hash, FormatTime(at));
        Append(hash, actor);
        Append(hash, action);
        Append(hash, target);
        Append(hash, details);
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    /// <summary>The one text form of an audit time: UTC, fixed width, so it also sorts as text.</summary>
    public static string FormatTime(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static void Append(IncrementalHash hash, string field)
    {
        var bytes = Encoding.UTF8.GetBytes(field);
        hash.AppendData(Encoding.ASCII.GetBytes(bytes.Length.ToString(CultureInfo.InvariantCulture) + ":"));
        hash.AppendData(bytes);
        hash.AppendData("\n"u8);
    }
}
