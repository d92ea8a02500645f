using System.Net;

namespace Vedette.Enrich.Intel.Sources;

/// <summary>
/// A feed could not be fetched: which feed, which URL (without its query string, which may hold a key) and, when the
/// server answered, its status. The caller reports it and keeps the feed's previous indicators.
/// </summary>
public sealed class FeedFetchException : Exception
{
    internal FeedFetchException(string feed, Uri url, string reason, HttpStatusCode? status = null, Exception? inner = null)
        : this(feed, Redact(url), reason, status, inner)
    {
    }

    /// <summary>For a location that is not a URL (a file), or a URL already redacted.</summary>
    internal FeedFetchException(string feed, string location, string reason, HttpStatusCode? status = null, Exception? inner = null)
        : base($"feed '{feed}' ({location}): {reason}", inner)
    {
        Feed = feed;
        Url = location;
        Reason = reason;
        StatusCode = status;
    }

    public string Feed { get; }

    /// <summary>Scheme, host, port and path only (or the file's path).</summary>
    public string Url { get; }

    /// <summary>What went wrong, without the feed and URL.</summary>
    public string Reason { get; }

    /// <summary>The HTTP status of the last answer, or null when there was none (network error, timeout, refusal).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Worth another attempt: 5xx, 429, timeouts and broken connections.</summary>
    internal bool Transient { get; init; }

    /// <summary>How long the server asked us to wait (Retry-After), when it did.</summary>
    internal TimeSpan? RetryAfter { get; init; }

    /// <summary>URLs are shown without user info and query: both are where feed credentials end up.</summary>
    public static string Redact(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsAbsoluteUri ? url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : "(relative URL)";
    }
}
