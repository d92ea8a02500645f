using System.Text.Json;
using Vedette.Domain;
using Vedette.Enrich.Intel.Readers;
using Vedette.Enrich.Intel.Sources;
using Vedette.Pipeline;
using Vedette.Storage;

namespace Vedette.Enrich.Intel;

/// <summary>What one feed update did: how many indicators the feed now contributes, or why nothing changed.</summary>
public sealed record FeedUpdate(string Feed)
{
    /// <summary>The feed's indicators were replaced (false on failure and on "not modified").</summary>
    public bool Updated { get; init; }

    public bool NotModified { get; init; }

    /// <summary>Why the update changed nothing; the previous indicators stay in use.</summary>
    public string? Failure { get; init; }

    /// <summary>Distinct indicators the feed contributes after this update.</summary>
    public int Indicators { get; init; }

    /// <summary>Indicators per type; networks count under their family (ipv4, ipv6) and again in <see cref="Ranges"/>.</summary>
    public IReadOnlyDictionary<string, int> ByType { get; init; } = new Dictionary<string, int>();

    /// <summary>Indicators that are networks, kept as ranges.</summary>
    public int Ranges { get; init; }

    /// <summary>Entries the reader could not use (each reported with its position).</summary>
    public int Rejected { get; init; }

    /// <summary>Indicators left out because the feed itself says they are no longer valid.</summary>
    public int Expired { get; init; }

    /// <summary>Indicators their publisher withdrew (STIX revoked).</summary>
    public int Revoked { get; init; }

    /// <summary>What the feed says it holds (Spamhaus' metadata record, a netset's header), when it says.</summary>
    public long? Declared { get; init; }
}

/// <summary>
/// Keeps the threat-intel snapshot in step with the feeds: reads a feed, applies its defaults, stores its
/// indicators, and swaps in a snapshot rebuilt from every feed. An update that fails (a download error, a document
/// cut off, fewer records than the feed declares) is recorded with its reason and changes nothing: the store is never
/// emptied by a bad download. Updates run one at a time; lookups never wait for them.
/// </summary>
public sealed class IntelService : IDisposable
{
    private readonly IStore _store;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _updates = new(1, 1);
    private readonly Dictionary<string, (FeedStatus Status, IntelFeed Feed)> _feeds = new(StringComparer.Ordinal);

    private IntelService(IStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    public IntelStore Snapshots { get; } = new();

    public IntelSnapshot Current => Snapshots.Current;

    /// <summary>Opens the service on what the store holds: every feed's last good indicators, in one snapshot.</summary>
    public static async Task<IntelService> OpenAsync(IStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var service = new IntelService(store, time);
        foreach (var status in await store.ListFeedsAsync(cancellationToken))
        {
            var indicators = await store.ReadFeedIndicatorsAsync(status.Name, cancellationToken);
            service._feeds[status.Name] = (status, new IntelFeed(status.Name, indicators) { HalfLife = status.HalfLife });
        }
        service.Rebuild();
        return service;
    }

    public async Task<IReadOnlyList<FeedStatus>> ListFeedsAsync(CancellationToken cancellationToken) =>
        await _store.ListFeedsAsync(cancellationToken);

    /// <summary>Reads a feed from a file or folder, whatever it held before (`vedette intel load`).</summary>
    public Task<FeedUpdate> LoadAsync(FeedDefinition feed, IFeedLocation location, ErrorReport errors, CancellationToken cancellationToken) =>
        ExclusiveAsync(async () =>
        {
            var update = await ReadAndApplyAsync(feed, location, fetchState: null, isDelta: false, errors, cancellationToken);
            Rebuild();
            return update;
        }, cancellationToken);

    /// <summary>Runs configured feeds now: a conditional fetch each, then one snapshot rebuild.</summary>
    public Task<IReadOnlyList<FeedUpdate>> UpdateAsync(IReadOnlyList<FeedDefinition> feeds, Func<FeedDefinition, IFeedSource> sources, ErrorReport errors, CancellationToken cancellationToken) =>
        ExclusiveAsync<IReadOnlyList<FeedUpdate>>(async () =>
        {
            var updates = new List<FeedUpdate>();
            foreach (var feed in feeds)
            {
                updates.Add(await FetchAndApplyAsync(feed, sources(feed), errors, cancellationToken));
            }
            if (updates.Exists(u => u.Updated))
            {
                Rebuild();
            }
            return updates;
        }, cancellationToken);

    private async Task<FeedUpdate> FetchAndApplyAsync(FeedDefinition feed, IFeedSource source, ErrorReport errors, CancellationToken cancellationToken)
    {
        var previous = _feeds.TryGetValue(feed.Name, out var known) ? ReadFetchState(known.Status.FetchState) : null;
        FeedFetchResult fetched;
        try
        {
            fetched = await source.FetchAsync(previous, cancellationToken);
        }
        catch (Exception ex) when (ex is FeedFetchException or IOException or UnauthorizedAccessException or HttpRequestException)
        {
            var failure = ex is FeedFetchException ? ex.Message : $"{feed.Name}: {ex.Message}";
            return await FailAsync(feed, FetchState.Failed(previous, ex, _time.GetUtcNow()), failure, errors, cancellationToken);
        }
        if (fetched is FeedFetchResult.NotModified)
        {
            var status = StatusFor(feed) with { AttemptedAt = _time.GetUtcNow(), LastError = null, FetchState = WriteFetchState(fetched.State) };
            await _store.SaveFeedStatusAsync(status, cancellationToken);
            RememberStatus(status);
            return new FeedUpdate(feed.Name) { NotModified = true, Indicators = status.Indicators, ByType = CountByType(_feeds.GetValueOrDefault(feed.Name).Feed?.Indicators ?? []) };
        }
        using var content = (FeedFetchResult.Fetched)fetched;
        return await ReadAndApplyAsync(feed, content.Location, fetched.State, content.IsDelta, errors, cancellationToken);
    }

    private async Task<FeedUpdate> ReadAndApplyAsync(FeedDefinition feed, IFeedLocation location, FetchState? fetchState, bool isDelta, ErrorReport errors, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        FeedReadResult read;
        try
        {
            read = await FeedReaders.For(feed.Kind).ReadAsync(location, feed, errors, cancellationToken);
        }
        catch (Exception ex) when (ex is FeedFetchException or IOException or UnauthorizedAccessException or InvalidDataException or JsonException or HttpRequestException)
        {
            var failure = ex is FeedFetchException ? ex.Message : $"{feed.Name} ({location.Name}): {ex.Message}";
            return await FailAsync(feed, fetchState is null ? null : FetchState.Failed(fetchState, ex, now), failure, errors, cancellationToken);
        }
        if (Refuse(feed, location, read) is { } refusal)
        {
            // A reader failure was reported by the reader, with its line; the refusal itself is news only otherwise.
            return await FailAsync(feed, fetchState is null ? null : fetchState with { LastError = refusal, LastFailure = now }, refusal, read.Failure is null ? errors : null, cancellationToken);
        }

        var merged = new Dictionary<Observable, FeedIndicator>();
        if (isDelta && _feeds.TryGetValue(feed.Name, out var known))
        {
            foreach (var indicator in known.Feed.Indicators)
            {
                merged[indicator.Value] = indicator;
            }
        }
        int revoked = 0, expired = 0;
        foreach (var raw in read.Indicators)
        {
            if (raw.Revoked)
            {
                // A withdrawn indicator also withdraws what an earlier delta said about it.
                merged.Remove(raw.Value);
                revoked++;
                continue;
            }
            var indicator = Resolve(raw, feed, now);
            if (indicator.ValidUntil <= now)
            {
                expired++;
                continue;
            }
            merged[indicator.Value] = !isDelta && merged.TryGetValue(indicator.Value, out var seen) ? Merge(seen, indicator) : indicator;
        }

        var indicators = merged.Values.ToList();
        var status = StatusFor(feed) with
        {
            UpdatedAt = now,
            AttemptedAt = now,
            LastError = null,
            Indicators = indicators.Count,
            FetchState = fetchState is null ? null : WriteFetchState(fetchState),
            HalfLife = feed.HalfLife,
        };
        await _store.ReplaceFeedAsync(status, indicators, cancellationToken);
        _feeds[feed.Name] = (status, new IntelFeed(feed.Name, indicators) { HalfLife = feed.HalfLife });
        return new FeedUpdate(feed.Name)
        {
            Updated = true,
            Indicators = indicators.Count,
            ByType = CountByType(indicators),
            Ranges = indicators.Count(i => i.Value.Type == ObservableType.Cidr),
            Rejected = read.Rejected,
            Expired = expired,
            Revoked = revoked,
            Declared = read.DeclaredRecords,
        };
    }

    /// <summary>Why a read must not replace what the feed held: it did not reach the end, or it is not what the feed says it is.</summary>
    private static string? Refuse(FeedDefinition feed, IFeedLocation location, FeedReadResult read)
    {
        if (read.Failure is { } failure)
        {
            return $"{feed.Name} ({location.Name}): {failure}; the previous indicators stay in use";
        }
        // A list's declared count is one per entry; a STIX bundle's counts indicator objects, of which one may give
        // several indicators or none, and MISP declares nothing comparable.
        if (feed.Kind is FeedKind.List or FeedKind.Csv or FeedKind.Spamhaus && read.DeclaredRecords is { } declared && read.Indicators.Count + read.Rejected < declared)
        {
            return $"{feed.Name} ({location.Name}): the feed declares {declared} records but {read.Indicators.Count + read.Rejected} were read (cut off?); the previous indicators stay in use";
        }
        if (read.Indicators.Count == 0 && read.Rejected > 0)
        {
            return $"{feed.Name} ({location.Name}): none of its {read.Rejected} entries could be read (wrong kind or column mapping?); the previous indicators stay in use";
        }
        return null;
    }

    private async Task<FeedUpdate> FailAsync(FeedDefinition feed, FetchState? fetchState, string failure, ErrorReport? errors, CancellationToken cancellationToken)
    {
        errors?.Report(new RecordError(new RecordRef(feed.Name, 0), FeedProblems.Stage, failure));
        var status = StatusFor(feed) with
        {
            AttemptedAt = _time.GetUtcNow(),
            LastError = failure,
            FetchState = fetchState is null ? StatusFor(feed).FetchState : WriteFetchState(fetchState),
        };
        await _store.SaveFeedStatusAsync(status, cancellationToken);
        RememberStatus(status);
        return new FeedUpdate(feed.Name) { Failure = failure, Indicators = status.Indicators };
    }

    private FeedStatus StatusFor(FeedDefinition feed) =>
        _feeds.TryGetValue(feed.Name, out var known)
            ? known.Status with { Kind = feed.Kind, Location = feed.Location }
            : new FeedStatus(feed.Name, feed.Kind, feed.Location) { HalfLife = feed.HalfLife };

    private void RememberStatus(FeedStatus status)
    {
        if (_feeds.TryGetValue(status.Name, out var known))
        {
            _feeds[status.Name] = (status, known.Feed);
        }
        else
        {
            _feeds[status.Name] = (status, new IntelFeed(status.Name, []));
        }
    }

    private void Rebuild() =>
        Snapshots.Swap(IntelSnapshot.Build(_feeds.Values.Select(f => f.Feed), _time.GetUtcNow()));

    /// <summary>What the feed did not say, from its configuration: score, dates (the time it was read), expiry (TTL after last seen).</summary>
    public static FeedIndicator Resolve(FeedIndicator indicator, FeedDefinition feed, DateTimeOffset now)
    {
        var lastSeen = indicator.LastSeen ?? indicator.FirstSeen ?? now;
        return indicator with
        {
            Score = Math.Clamp(indicator.Score ?? feed.DefaultScore, 0, 100),
            FirstSeen = indicator.FirstSeen ?? lastSeen,
            LastSeen = lastSeen,
            ValidUntil = indicator.ValidUntil ?? (feed.Ttl is { } ttl ? lastSeen + ttl : null),
            MatchSubdomains = indicator.MatchSubdomains && feed.MatchSubdomains,
        };
    }

    private static FeedIndicator Merge(FeedIndicator a, FeedIndicator b) => a with
    {
        Score = Math.Max(a.Score ?? 0, b.Score ?? 0),
        FirstSeen = a.FirstSeen < b.FirstSeen ? a.FirstSeen : b.FirstSeen,
        LastSeen = a.LastSeen > b.LastSeen ? a.LastSeen : b.LastSeen,
        ValidUntil = a.ValidUntil is { } x && b.ValidUntil is { } y ? (x > y ? x : y) : null,
        Tags = a.Tags.Count == 0 ? b.Tags : [.. a.Tags.Union(b.Tags, StringComparer.Ordinal)],
    };

    public static IReadOnlyDictionary<string, int> CountByType(IEnumerable<FeedIndicator> indicators)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var indicator in indicators)
        {
            var name = IntelMatch.TypeName(indicator.Value);
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }
        return counts;
    }

    private static FetchState? ReadFetchState(string? json)
    {
        if (json is null)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<FetchState>(json);
        }
        catch (JsonException)
        {
            // A state we cannot read costs one unconditional fetch, nothing more.
            return null;
        }
    }

    private static string WriteFetchState(FetchState state) => JsonSerializer.Serialize(state);

    public void Dispose() => _updates.Dispose();

    private async Task<T> ExclusiveAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await _updates.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            _updates.Release();
        }
    }
}
