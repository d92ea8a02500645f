namespace Vedette.Enrich.Intel.Sources;

/// <summary>A feed location that can tell "nothing new" from new content, given what its previous fetch left.</summary>
public interface IFeedSource : IFeedLocation
{
    /// <summary>Fetches the feed, conditionally on <paramref name="previous"/>; throws <see cref="FeedFetchException"/> when it cannot.</summary>
    Task<FeedFetchResult> FetchAsync(FetchState? previous, CancellationToken cancellationToken);
}

/// <summary>
/// What fetching a feed gave: new content to read, or word that nothing changed. Failures are exceptions. Dispose it
/// when done (new content may be spooled to a temporary file).
/// </summary>
public abstract class FeedFetchResult : IDisposable
{
    private readonly IDisposable? _owned;

    private FeedFetchResult(FetchState state, IDisposable? owned)
    {
        State = state;
        _owned = owned;
    }

    /// <summary>The state to persist for the next fetch.</summary>
    public FetchState State { get; }

    public void Dispose()
    {
        _owned?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Nothing changed since the previous fetch (HTTP 304, or no TAXII object added since): keep the indicators read last time.</summary>
    public sealed class NotModified(FetchState state) : FeedFetchResult(state, null);

    /// <summary>New content, already downloaded in full and within the feed's size cap, so that a failure never leaves a reader half-way through a feed.</summary>
    public sealed class Fetched : FeedFetchResult
    {
        internal Fetched(FetchState state, IFeedLocation location, bool isDelta, IDisposable? owned)
            : base(state, owned)
        {
            Location = location;
            IsDelta = isDelta;
        }

        /// <summary>What to hand the feed's reader: its main document is the downloaded content.</summary>
        public IFeedLocation Location { get; }

        /// <summary>
        /// True when the content holds only what was added since the previous fetch (TAXII added_after): merge it into
        /// the previous indicators instead of replacing them.
        /// </summary>
        public bool IsDelta { get; }
    }
}

/// <summary>A downloaded main document, handed out once; the documents next to it still come from the source.</summary>
internal sealed class DownloadedFeedLocation(string name, Stream content, IFeedLocation relatives) : IFeedLocation, IDisposable
{
    private Stream? _content = content;

    public string Name => name;

    public Task<Stream> OpenAsync(CancellationToken cancellationToken)
    {
        // The content is read once by one reader; a second open would see a consumed or closed stream.
        var content = Interlocked.Exchange(ref _content, null)
            ?? throw new InvalidOperationException($"{name}: the downloaded content was already opened");
        return Task.FromResult(content);
    }

    public Task<Stream> OpenRelativeAsync(string relative, CancellationToken cancellationToken) =>
        relatives.OpenRelativeAsync(relative, cancellationToken);

    public void Dispose() => Interlocked.Exchange(ref _content, null)?.Dispose();
}
