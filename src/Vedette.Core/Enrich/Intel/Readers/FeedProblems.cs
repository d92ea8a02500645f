using Vedette.Domain;
using Vedette.Pipeline;

namespace Vedette.Enrich.Intel.Readers;

/// <summary>
/// Where a reader sends a feed entry it cannot use: reported with the feed, its document and the position, and counted
/// as rejected, so that "the feed had nothing" and "the feed had 300 entries we could not read" never look alike.
/// </summary>
internal sealed class FeedProblems(FeedDefinition feed, IFeedLocation location, ErrorReport errors, FeedReadResult result)
{
    public const string Stage = "intel";

    /// <summary>The feed and its main document, as errors name them.</summary>
    public string Origin { get; } = $"{feed.Name} ({location.Name})";

    /// <summary>The feed and a document next to the main one (a MISP event file).</summary>
    public string OriginOf(string relative) => $"{feed.Name} ({location.Name}/{relative})";

    public void Reject(long line, string message) => Reject(Origin, line, message);

    public void Reject(string origin, long line, string message)
    {
        result.Rejected++;
        errors.Report(new RecordError(new RecordRef(origin, line), Stage, message));
    }

    /// <summary>
    /// The feed could not be read to its end (a document cut off, not JSON, over the cap, missing): reported, and kept
    /// as the read's <see cref="FeedReadResult.Failure"/> (the first one), so that a half-read feed replaces nothing.
    /// <paramref name="relative"/> names a document next to the main one, null for the main one.
    /// </summary>
    public void Fail(string? relative, long line, string message)
    {
        errors.Report(new RecordError(new RecordRef(relative is null ? Origin : OriginOf(relative), line), Stage, message));
        var at = line > 0 ? $"line {line}: " : "";
        result.Failure ??= relative is null ? $"{at}{message}" : $"{relative}: {at}{message}";
    }
}

/// <summary>The value parsing every reader shares: addresses of either family, times, scores, declared counts.</summary>
internal static class FeedValues
{
    /// <summary>An address or a network, its family decided by the value ("ip" in MISP, AbuseIPDB, ThreatFox).</summary>
    public static bool TryParseAddress(string raw, out Observable observable, out string error)
    {
        var text = raw.Trim();
        var type = text.Contains('/', StringComparison.Ordinal) ? ObservableType.Cidr
            : text.Contains(':', StringComparison.Ordinal) ? ObservableType.Ipv6
            : ObservableType.Ipv4;
        return Observable.TryParse(type, text, out observable, out error);
    }

    /// <summary>
    /// ISO 8601 ("2015-05-15T09:12:16.432678Z"), the "2023-05-23 17:51:44" abuse.ch writes, a bare date, or epoch
    /// seconds (MISP timestamps). A time without an offset is UTC: every feed we read writes UTC.
    /// </summary>
    public static bool TryParseTime(string text, out DateTimeOffset time)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length > 0 && trimmed.Length <= 12 && long.TryParse(trimmed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            time = FromEpochSeconds(seconds);
            return true;
        }
        return DateTimeOffset.TryParse(
            trimmed,
            System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal,
            out time);
    }

    /// <summary>Epoch seconds, held to the years DateTimeOffset can say (a corrupt timestamp must not throw).</summary>
    public static DateTimeOffset FromEpochSeconds(long seconds) =>
        DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, -62135596800, 253402300799));

    public static bool IsScore(long value) => value is >= 0 and <= 100;

    /// <summary>
    /// The record count a list states in a comment: FireHOL's "Entries : 6630 subnets, ..." header or abuse.ch's
    /// "END 28 entries" footer. Both count one per data line, single addresses included.
    /// </summary>
    public static long? DeclaredCount(ReadOnlySpan<char> comment)
    {
        var text = comment.TrimStart('#').Trim();
        if (text.StartsWith("Entries", StringComparison.OrdinalIgnoreCase))
        {
            var colon = text.IndexOf(':');
            return colon < 0 ? null : LeadingNumber(text[(colon + 1)..]);
        }
        if (text.StartsWith("END ", StringComparison.Ordinal) && text.EndsWith(" entries", StringComparison.Ordinal))
        {
            return LeadingNumber(text[4..]);
        }
        return null;
    }

    public static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");

    private static long? LeadingNumber(ReadOnlySpan<char> text)
    {
        text = text.TrimStart();
        var end = text.IndexOfAnyExceptInRange('0', '9');
        var digits = end < 0 ? text : text[..end];
        return long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) ? count : null;
    }
}
