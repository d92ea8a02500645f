namespace Vedette.Enrich.Intel.Sources;

/// <summary>
/// What a feed's last fetch leaves for the next one: the validators of a conditional request, the TAXII cursor, and
/// when it last worked or why it last failed. Plain data, so that the caller can persist it as JSON.
/// </summary>
public sealed record FetchState
{
    /// <summary>The server's entity tag, sent back as If-None-Match.</summary>
    public string? ETag { get; init; }

    /// <summary>The server's Last-Modified, sent back as If-Modified-Since.</summary>
    public DateTimeOffset? LastModified { get; init; }

    /// <summary>
    /// TAXII: the X-TAXII-Date-Added-Last of the last page read, sent as added_after next time. Kept as the server
    /// wrote it, because servers compare it at their own precision (microseconds are common).
    /// </summary>
    public string? AddedAfter { get; init; }

    public DateTimeOffset? LastSuccess { get; init; }

    public DateTimeOffset? LastFailure { get; init; }

    /// <summary>Why the last attempt failed, or null when it worked.</summary>
    public string? LastError { get; init; }

    /// <summary>
    /// The state after a failed fetch: validators and cursor are kept, so that the next attempt is still conditional
    /// and still incremental, and the previous indicators stay in use.
    /// </summary>
    public static FetchState Failed(FetchState? previous, Exception error, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(error);
        return (previous ?? new FetchState()) with { LastFailure = at, LastError = error.Message };
    }
}
