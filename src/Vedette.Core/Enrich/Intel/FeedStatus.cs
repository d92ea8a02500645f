namespace Vedette.Enrich.Intel;

/// <summary>What the store remembers about a feed between updates: when it last loaded, what went wrong, how to ask again.</summary>
public sealed record FeedStatus(string Name, FeedKind Kind, string Location)
{
    /// <summary>The last update that replaced the feed's indicators.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The last update tried, whatever came of it.</summary>
    public DateTimeOffset? AttemptedAt { get; init; }

    /// <summary>Why the last attempt failed; null when it succeeded (or the source had nothing new).</summary>
    public string? LastError { get; init; }

    /// <summary>Distinct indicators the feed holds in the store.</summary>
    public int Indicators { get; init; }

    /// <summary>The feed's scores halve every this long since an indicator was last seen; null: no decay.</summary>
    public TimeSpan? HalfLife { get; init; }

    /// <summary>What a conditional request needs next time (ETag, Last-Modified, TAXII cursor), as the fetcher wrote it.</summary>
    public string? FetchState { get; init; }
}
