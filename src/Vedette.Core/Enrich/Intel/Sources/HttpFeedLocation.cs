namespace Vedette.Enrich.Intel.Sources;

/// <summary>
/// A feed served over http(s). <see cref="FetchAsync"/> asks conditionally (If-None-Match, If-Modified-Since) and
/// downloads the whole body before anything reads it; the documents next to it (MISP event files) are fetched when a
/// reader opens them. Use an HttpClient from <see cref="FeedHttp.CreateClient"/>.
/// </summary>
public sealed class HttpFeedLocation : IFeedSource
{
    private const string Accept = "application/json, text/csv, text/plain;q=0.9, */*;q=0.8";

    private readonly FeedRequester _requester;
    private readonly Uri _url;
    private readonly Uri _main;

    public HttpFeedLocation(FeedDefinition feed, HttpClient http, FeedFetchOptions? options = null)
    {
        _url = FeedRequester.ParseUrl(feed);
        _requester = new FeedRequester(http, feed, options ?? new FeedFetchOptions());
        // A MISP feed is a folder: its location names the folder, its main document is the manifest in it.
        _main = feed.Kind == FeedKind.Misp && _url.AbsolutePath.EndsWith('/') ? new Uri(_url, "manifest.json") : _url;
    }

    public string Name => FeedFetchException.Redact(_main);

    public async Task<FeedFetchResult> FetchAsync(FetchState? previous, CancellationToken cancellationToken)
    {
        var response = await _requester.GetAsync(_main, Accept, previous, cancellationToken);
        var succeeded = (previous ?? new FetchState()) with
        {
            LastSuccess = _requester.Options.TimeProvider.GetUtcNow(),
            LastError = null,
        };
        if (response.Body is null)
        {
            // A 304 may leave out the validators; the ones we sent are still the current ones.
            return new FeedFetchResult.NotModified(succeeded with
            {
                ETag = response.ETag ?? previous?.ETag,
                LastModified = response.LastModified ?? previous?.LastModified,
            });
        }
        var content = new DownloadedFeedLocation(Name, response.Body, this);
        var state = succeeded with { ETag = response.ETag, LastModified = response.LastModified };
        return new FeedFetchResult.Fetched(state, content, isDelta: false, content);
    }

    public Task<Stream> OpenAsync(CancellationToken cancellationToken) =>
        _requester.GetContentAsync(_main, Accept, cancellationToken);

    public Task<Stream> OpenRelativeAsync(string relative, CancellationToken cancellationToken) =>
        _requester.GetContentAsync(Resolve(relative), Accept, cancellationToken);

    // A manifest naming "../admin" or another host must not send the fetch (with the feed's key) elsewhere.
    private Uri Resolve(string relative)
    {
        var folder = new Uri(_main, ".");
        return Uri.TryCreate(folder, relative, out var url)
            && string.Equals(url.GetLeftPart(UriPartial.Authority), folder.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
            && url.AbsolutePath.StartsWith(folder.AbsolutePath, StringComparison.Ordinal)
            ? url
            : throw _requester.Fail(_main, $"'{relative}' points outside the feed's folder");
    }
}
