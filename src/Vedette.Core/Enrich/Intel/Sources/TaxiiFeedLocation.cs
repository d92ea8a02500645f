using System.Runtime.InteropServices;
using System.Text;

namespace Vedette.Enrich.Intel.Sources;

/// <summary>
/// A TAXII 2.1 collection as a feed: every page of objects combined into one STIX bundle
/// (<c>{"type":"bundle","objects":[…]}</c>, within the feed's size cap) that the STIX reader reads unchanged. With a
/// previous state it asks only for what was added since (added_after), and says so (<see cref="FeedFetchResult.Fetched.IsDelta"/>).
/// The location is the collection's URL, or the API root with <see cref="FeedDefinition.Collection"/>.
/// </summary>
public sealed class TaxiiFeedLocation : IFeedSource
{
    private readonly TaxiiClient _client;
    private readonly Uri _collection;

    public TaxiiFeedLocation(FeedDefinition feed, HttpClient http, FeedFetchOptions? options = null, int pageSize = TaxiiClient.DefaultPageSize)
    {
        var url = FeedRequester.ParseUrl(feed);
        _client = new TaxiiClient(feed, http, options, pageSize);
        _collection = feed.Collection is { } id ? TaxiiClient.CollectionUrl(url, id) : url;
    }

    public string Name => FeedFetchException.Redact(_collection);

    public async Task<FeedFetchResult> FetchAsync(FetchState? previous, CancellationToken cancellationToken)
    {
        var since = previous?.AddedAfter;
        var (bundle, objects, last) = await CollectAsync(since, cancellationToken);
        var state = (previous ?? new FetchState()) with
        {
            // Without the server's X-TAXII-Date-Added-Last there is no cursor to move: the next run asks from the same point.
            AddedAfter = last ?? since,
            LastSuccess = _client.Options.TimeProvider.GetUtcNow(),
            LastError = null,
        };
        if (objects == 0 && since is not null)
        {
            await bundle.DisposeAsync();
            return new FeedFetchResult.NotModified(state);
        }
        var content = new DownloadedFeedLocation(Name, bundle, this);
        return new FeedFetchResult.Fetched(state, content, isDelta: since is not null, content);
    }

    /// <summary>The whole collection as one bundle.</summary>
    public async Task<Stream> OpenAsync(CancellationToken cancellationToken) =>
        (await CollectAsync(null, cancellationToken)).Bundle;

    public Task<Stream> OpenRelativeAsync(string relative, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{Name}: a TAXII collection has no documents next to it ('{relative}')");

    private async Task<(Stream Bundle, int Objects, string? Last)> CollectAsync(string? addedAfter, CancellationToken cancellationToken)
    {
        var cap = _client.Feed.MaxBytes;
        using var spool = new Spool(cap, () => _client.Fail(_collection, $"the collection's objects grew past the feed's cap of {cap:N0} bytes (max-bytes)"));
        spool.Write(Encoding.UTF8.GetBytes($"{{\"type\":\"bundle\",\"id\":\"bundle--{Guid.NewGuid()}\",\"objects\":["));
        var objects = 0;
        string? last = null;
        await foreach (var parsed in _client.PagesAsync(_collection, addedAfter, cancellationToken))
        {
            last = parsed.Page.DateAddedLast ?? last;
            if (parsed.Page.ObjectCount == 0)
            {
                continue;
            }
            foreach (var item in parsed.Objects.EnumerateArray())
            {
                spool.Write(objects++ == 0 ? ""u8 : ","u8);
                // The object's bytes exactly as the server sent them: no re-serialisation to lose or alter anything.
                spool.Write(JsonMarshal.GetRawUtf8Value(item));
            }
        }
        spool.Write("]}"u8);
        return (spool.Detach(), objects, last);
    }
}
