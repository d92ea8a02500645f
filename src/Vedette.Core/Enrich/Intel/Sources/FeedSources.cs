namespace Vedette.Enrich.Intel.Sources;

/// <summary>Where a configured feed's content comes from, by its kind and location.</summary>
public static class FeedSources
{
    /// <summary>A TAXII collection, an http(s) download, or a file or folder on disk.</summary>
    public static IFeedSource For(FeedDefinition feed, HttpClient http, FeedFetchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(feed);
        if (feed.Kind == FeedKind.Taxii)
        {
            return new TaxiiFeedLocation(feed, http, options);
        }
        return feed.Location.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || feed.Location.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? new HttpFeedLocation(feed, http, options)
            : new FileFeedSource(feed, options?.TimeProvider ?? TimeProvider.System);
    }
}

/// <summary>A feed on disk, "not modified" while its file (a folder's manifest.json) keeps its write time.</summary>
public sealed class FileFeedSource(FeedDefinition feed, TimeProvider time) : IFeedSource
{
    private readonly FileFeedLocation _file = new(feed.Location);

    public string Name => feed.Location;

    public Task<FeedFetchResult> FetchAsync(FetchState? previous, CancellationToken cancellationToken)
    {
        var main = Directory.Exists(feed.Location) ? Path.Combine(feed.Location, "manifest.json") : feed.Location;
        if (!File.Exists(main))
        {
            throw new FeedFetchException(feed.Name, feed.Location, $"no such file: {main}");
        }
        var modified = new DateTimeOffset(File.GetLastWriteTimeUtc(main), TimeSpan.Zero);
        var state = (previous ?? new FetchState()) with { LastModified = modified, LastSuccess = time.GetUtcNow(), LastError = null };
        return Task.FromResult<FeedFetchResult>(previous?.LastModified == modified
            ? new FeedFetchResult.NotModified(state)
            : new FeedFetchResult.Fetched(state, _file, isDelta: false, owned: null));
    }

    public Task<Stream> OpenAsync(CancellationToken cancellationToken) => _file.OpenAsync(cancellationToken);

    public Task<Stream> OpenRelativeAsync(string relative, CancellationToken cancellationToken) => _file.OpenRelativeAsync(relative, cancellationToken);
}
