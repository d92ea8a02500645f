using System.Globalization;

namespace Vedette.Ingest;

/// <summary>Parses the timestamp spellings real logs use: ISO-8601 with Z, ±hh:mm or Suricata's ±hhmm, and Unix epochs.</summary>
public static class Timestamps
{
    public static bool TryParse(string text, out DateTimeOffset timestamp)
    {
        var span = text.AsSpan().Trim();
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
