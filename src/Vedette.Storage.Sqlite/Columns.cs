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

    /// <summary>Evidence keeps the source's own offset: it is shown to analysts, not queried by time.</summary>
    public static string RoundTripTime(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseRoundTripTime(string text) =>
        DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    /// <summary>Lower-case "D" form: for UUIDv7 ids, text order is creation order.</summary>
    public static string Id(Guid id) => id.ToString("D");

    public static string? Id(Guid? id) => id is { } value ? Id(value) : null;
}
