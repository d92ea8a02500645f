namespace Vedette.Enrich.Intel.Sources;

/// <summary>How feeds are fetched, the same for every feed: what the per-feed definition does not say.</summary>
public sealed record FeedFetchOptions
{
    /// <summary>
    /// Allows URLs that resolve to loopback, private, link-local or shared addresses (an internal MISP or TAXII
    /// server). Cloud metadata endpoints stay refused even then: no feed is ever served there.
    /// </summary>
    public bool AllowPrivateAddresses { get; init; }

    /// <summary>Clock for backoff waits, per-attempt timeouts and the times written into <see cref="FetchState"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The wait before the first retry; it doubles with every further attempt, with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest Retry-After honoured; a server asking for more fails the fetch now (the schedule retries later).</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Redirects followed per request; each hop is checked like the first URL.</summary>
    public int MaxRedirects { get; init; } = 5;

    public string UserAgent { get; init; } = "Vedette-feeds/1";

    /// <summary>Where "env:NAME" header values are looked up.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Told about every retry before its wait (for logs and metrics).</summary>
    public Action<FeedRetry>? OnRetry { get; init; }
}

/// <summary>One retry of a feed request: which attempt failed, why, and how long until the next.</summary>
public sealed record FeedRetry(string Feed, int FailedAttempt, TimeSpan Delay, string Reason);
