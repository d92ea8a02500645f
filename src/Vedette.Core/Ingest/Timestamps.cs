using System.Globalization;

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
    /// The spelling nearly every JSON log uses, yyyy-MM-ddTHH:mm:ss[.fffffff]Z, read digit by digit: the general
    /// parser costs more than the rest of reading a record's fields. Anything else returns false for it.
    /// </summary>
    private static bool TryParseUtcIso(ReadOnlySpan<char> s, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (s.Length < 20 || s.Length > 28 || s[^1] != 'Z' || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':'
            || !TryDigits(s, 0, 4, out var year) || !TryDigits(s, 5, 2, out var month) || !TryDigits(s, 8, 2, out var day)
            || !TryDigits(s, 11, 2, out var hour) || !TryDigits(s, 14, 2, out var minute) || !TryDigits(s, 17, 2, out var second))
        {
            return false;
        }
        long fraction = 0;
        if (s.Length > 20)
        {
            var digits = s.Length - 21;
            if (s[19] != '.' || digits is < 1 or > 7 || !TryDigits(s, 20, digits, out var value))
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

    private static bool TryDigits(ReadOnlySpan<char> s, int start, int count, out int value) =>
        int.TryParse(s.Slice(start, count), NumberStyles.None, CultureInfo.InvariantCulture, out value);

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
