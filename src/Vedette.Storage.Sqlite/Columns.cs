using System.Globalization;

namespace Vedette.Storage.Sqlite;

/// <summary>How domain values become column values and back; one place, so that every query compares like with like.</summary>
internal static class Columns
{
    // UTC with every tick and a fixed width: text order is time order, SQLite's date functions read it (MTTA/MTTR
    // queries), and no precision is lost.
    private const string UtcFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString(UtcFormat, CultureInfo.InvariantCulture);

    public static string? Time(DateTimeOffset? time) => time is { } t ? Time(t) : null;

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, UtcFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>
    /// <see cref="ParseTime(string)"/> straight from the column's UTF-8 bytes: a report parses millions of times, and
    /// this fixed width needs no culture, no pattern and no string. Anything else is a <see cref="FormatException"/>.
    /// </summary>
    public static DateTimeOffset ParseTime(ReadOnlySpan<byte> utf8)
    {
        // yyyy-MM-ddTHH:mm:ss.fffffffZ
        if (utf8.Length != 28 || utf8[4] != '-' || utf8[7] != '-' || utf8[10] != 'T' || utf8[13] != ':' || utf8[16] != ':' || utf8[19] != '.' || utf8[27] != 'Z')
        {
            throw new FormatException($"'{System.Text.Encoding.UTF8.GetString(utf8)}' is not a stored time ({UtcFormat})");
        }
        var date = new DateTime(Digits(utf8, 0, 4), Digits(utf8, 5, 2), Digits(utf8, 8, 2), Digits(utf8, 11, 2), Digits(utf8, 14, 2), Digits(utf8, 17, 2), DateTimeKind.Utc);
        return new DateTimeOffset(date.Ticks + Digits(utf8, 20, 7), TimeSpan.Zero);
    }

    private static int Digits(ReadOnlySpan<byte> utf8, int start, int count)
    {
        var value = 0;
        foreach (var b in utf8.Slice(start, count))
        {
            var digit = b - '0';
            if ((uint)digit > 9)
            {
                throw new FormatException($"'{System.Text.Encoding.UTF8.GetString(utf8)}' is not a stored time ({UtcFormat})");
            }
            value = (value * 10) + digit;
        }
        return value;
    }

    /// <summary>Evidence keeps the source's own offset: it is shown to analysts, not queried by time.</summary>
    public static string RoundTripTime(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseRoundTripTime(string text) =>
        DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    /// <summary>Lower-case "D" form: for UUIDv7 ids, text order is creation order.</summary>
    public static string Id(Guid id) => id.ToString("D");

    public static string? Id(Guid? id) => id is { } value ? Id(value) : null;
}
