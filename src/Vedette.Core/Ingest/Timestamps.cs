using System.Globalization;
using System.Numerics;

namespace Vedette.Ingest;

/// <summary>Parses the timestamp spellings real logs use: ISO-8601 with Z, ±hh:mm or Suricata's ±hhmm, and Unix epochs.</summary>
public static class Timestamps
{
    public static bool TryParse(string text, out DateTimeOffset timestamp)
    {
        var span = text.AsSpan().Trim();
        if (TryParseUtcIso(span, out timestamp))
        {
            return true;
        }
        // EVE writes "+0000": DateTimeOffset wants "+00:00".
        if (span.Length > 5 && (span[^5] == '+' || span[^5] == '-') && char.IsAsciiDigit(span[^1]) && span[^3] != ':' && span.Contains('T'))
        {
            Span<char> fixedUp = stackalloc char[span.Length + 1];
            span[..^2].CopyTo(fixedUp);
            fixedUp[span.Length - 2] = ':';
            span[^2..].CopyTo(fixedUp[(span.Length - 1)..]);
            return DateTimeOffset.TryParse(fixedUp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out timestamp);
        }
        if (DateTimeOffset.TryParse(span, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out timestamp))
        {
            return true;
        }
        return TryParseEpoch(span, out timestamp);
    }

    /// <summary>
    /// The spelling nearly every JSON log uses, yyyy-MM-ddTHH:mm:ss[.fffffff]Z, read digit by digit, as characters
    /// or as the record's UTF-8 bytes (the normalizer reads it without decoding the field): the general parser
    /// costs more than the rest of reading a record's fields, and even int.TryParse per part, with its format
    /// provider look-up, was 3 % of detection. Anything else returns false for it.
    /// </summary>
    internal static bool TryParseUtcIso<T>(ReadOnlySpan<T> s, out DateTimeOffset timestamp)
        where T : unmanaged, IBinaryInteger<T>
    {
        timestamp = default;
        if (s.Length < 20 || s.Length > 28 || !Is(s[^1], 'Z') || !Is(s[4], '-') || !Is(s[7], '-') || !Is(s[10], 'T') || !Is(s[13], ':') || !Is(s[16], ':')
            || !TryDigits(s, 0, 4, out var year) || !TryDigits(s, 5, 2, out var month) || !TryDigits(s, 8, 2, out var day)
            || !TryDigits(s, 11, 2, out var hour) || !TryDigits(s, 14, 2, out var minute) || !TryDigits(s, 17, 2, out var second))
        {
            return false;
        }
        long fraction = 0;
        if (s.Length > 20)
        {
            var digits = s.Length - 21;
            if (!Is(s[19], '.') || digits is < 1 or > 7 || !TryDigits(s, 20, digits, out var value))
            {
                return false;
            }
            fraction = value;
            for (var i = digits; i < 7; i++)
            {
                fraction *= 10;
            }
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        timestamp = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(fraction));
        return true;
    }

    private static bool Is<T>(T unit, char expected)
        where T : unmanaged, IBinaryInteger<T> => uint.CreateTruncating(unit) == expected;

    private static bool TryDigits<T>(ReadOnlySpan<T> s, int start, int count, out int value)
        where T : unmanaged, IBinaryInteger<T>
    {
        value = 0;
        foreach (var unit in s.Slice(start, count))
        {
            var digit = uint.CreateTruncating(unit) - '0';
            if (digit > 9)
            {
                return false;
            }
            value = (value * 10) + (int)digit;
        }
        return true;
    }

    private static bool TryParseEpoch(ReadOnlySpan<char> span, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (!double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            return false;
        }
        // Epoch milliseconds pass 1e11 around 1973; seconds won't reach it for millennia.
        var milliseconds = number > 1e11 ? number : number * 1000;
        if (milliseconds > 253_402_300_799_000)
        {
            return false;
        }
        timestamp = DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds);
        return true;
    }
}
