using System.Globalization;
using Vedette.Enrich.Intel.Sources;

namespace Vedette.Metrics;

/// <summary>The [From, To) a report covers, from the user's --from and --to.</summary>
public sealed record ReportRange(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>Without --from a report covers the last 30 days.</summary>
    public static readonly TimeSpan DefaultLength = TimeSpan.FromDays(30);

    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>
    /// Each bound is "now", a duration back from now (30m, 12h, 7d, 2w), a UTC date (2026-11-01: its midnight) or an
    /// ISO 8601 time (UTC unless it carries an offset). A bound that is none of these, or a range that is empty, is a
    /// <see cref="FormatException"/> naming the option.
    /// </summary>
    public static ReportRange Parse(string? from, string? to, DateTimeOffset now)
    {
        var end = to is null ? now : Bound("--to", to, now);
        var start = from is null ? end - DefaultLength : Bound("--from", from, now);
        if (start >= end)
        {
            throw new FormatException($"the range is empty: --from {start:O} is not before --to {end:O}");
        }
        return new ReportRange(start, end);
    }

    private static DateTimeOffset Bound(string option, string text, DateTimeOffset now)
    {
        text = text.Trim();
        if (string.Equals(text, "now", StringComparison.OrdinalIgnoreCase))
        {
            return now;
        }
        if (Units.TryParseDuration(text, out var back))
        {
            return back > TimeSpan.Zero && back < now - DateTimeOffset.MinValue
                ? now - back
                : throw new FormatException($"{option} '{text}' is not a positive duration back from now");
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateTimeOffset(date, TimeOnly.MinValue, TimeSpan.Zero);
        }
        if (DateTimeOffset.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time.ToUniversalTime();
        }
        throw new FormatException($"{option} '{text}' is neither now, a duration back from now (30m, 12h, 7d, 2w), a date (2026-11-01) nor a time (2026-11-01T08:00:00Z)");
    }
}
