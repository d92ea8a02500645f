using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Vedette.Enrich.Intel.Sources;

/// <summary>
/// A TAXII 2.1 client for reading: discovery, collections, and a collection's objects page by page. Every request goes
/// through the same guard, timeout, retries and size cap (per page) as any feed fetch.
/// </summary>
public sealed class TaxiiClient
{
    public const string MediaType = "application/taxii+json;version=2.1";
    public const int DefaultPageSize = 1000;
    private const string DateAddedFirst = "X-TAXII-Date-Added-First";
    private const string DateAddedLast = "X-TAXII-Date-Added-Last";

    private readonly FeedRequester _requester;
    private readonly int _pageSize;

    /// <summary>The feed gives the name for messages, the headers (credentials), timeout, retries and per-page cap.</summary>
    public TaxiiClient(FeedDefinition feed, HttpClient http, FeedFetchOptions? options = null, int pageSize = DefaultPageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        _requester = new FeedRequester(http, feed, options ?? new FeedFetchOptions());
        _pageSize = pageSize;
    }

    /// <summary>GET {server}/taxii2/ (or the discovery URL itself, when given).</summary>
    public async Task<TaxiiDiscovery> DiscoverAsync(Uri server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        var url = server.AbsolutePath.TrimEnd('/').EndsWith("/taxii2", StringComparison.Ordinal) ? Folder(server) : new Uri(Folder(server), "taxii2/");
        using var document = await GetJsonAsync(url, cancellationToken);
        var root = document.RootElement;
        var roots = Strings(root, "api_roots").Select(text => new Uri(url, text)).ToList();
        return new TaxiiDiscovery(String(root, "title"), String(root, "default") is { } fallback ? new Uri(url, fallback) : null, roots);
    }

    /// <summary>GET {api-root}/collections/.</summary>
    public async Task<IReadOnlyList<TaxiiCollection>> ListCollectionsAsync(Uri apiRoot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(apiRoot);
        var url = new Uri(Folder(apiRoot), "collections/");
        using var document = await GetJsonAsync(url, cancellationToken);
        if (!document.RootElement.TryGetProperty("collections", out var collections))
        {
            return [];
        }
        return [.. Items(collections, url, "collections").Select(item => new TaxiiCollection(
            String(item, "id") ?? throw _requester.Fail(url, "a collection without an id"),
            String(item, "title"),
            String(item, "description"),
            item.TryGetProperty("can_read", out var read) && read.ValueKind == JsonValueKind.True,
            item.TryGetProperty("can_write", out var write) && write.ValueKind == JsonValueKind.True,
            Strings(item, "media_types")))];
    }

    /// <summary>The URL of a collection of an API root: {api-root}/collections/{id}/.</summary>
    public static Uri CollectionUrl(Uri apiRoot, string collectionId)
    {
        ArgumentNullException.ThrowIfNull(apiRoot);
        return new Uri(Folder(apiRoot), $"collections/{Uri.EscapeDataString(collectionId)}/");
    }

    /// <summary>
    /// The collection's objects added after <paramref name="addedAfter"/> (all of them when null), one page per
    /// request, following <c>next</c> while the server says there is <c>more</c>. The last page's
    /// X-TAXII-Date-Added-Last is the added_after of the next run.
    /// </summary>
    public async IAsyncEnumerable<TaxiiPage> GetObjectsAsync(
        Uri collection, string? addedAfter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var parsed in PagesAsync(collection, addedAfter, cancellationToken))
        {
            yield return parsed.Page;
        }
    }

    internal FeedFetchException Fail(Uri url, string reason) => _requester.Fail(url, reason);

    internal FeedFetchOptions Options => _requester.Options;

    internal FeedDefinition Feed => _requester.Feed;

    internal async IAsyncEnumerable<TaxiiParsedPage> PagesAsync(
        Uri collection, string? addedAfter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collection);
        string? next = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var url = ObjectsUrl(collection, addedAfter, next);
            using var response = await _requester.GetAsync(url, MediaType, null, cancellationToken);
            var bytes = await ReadAllAsync(_requester.ContentOf(response, url), cancellationToken);
            using var document = Parse(bytes, url);
            var root = document.RootElement;
            var objects = root.TryGetProperty("objects", out var list) ? list : default;
            var count = objects.ValueKind == JsonValueKind.Undefined ? 0 : Items(objects, url, "objects").Count();
            var more = root.TryGetProperty("more", out var flag) && flag.ValueKind == JsonValueKind.True;
            var page = new TaxiiPage(bytes, count, more, String(root, "next"), response.Header(DateAddedFirst), response.Header(DateAddedLast));
            yield return new TaxiiParsedPage(page, objects);
            if (!more)
            {
                yield break;
            }
            if (page.Next is { } token)
            {
                // A server handing out the same token twice would page forever.
                next = seen.Add(token) ? token : throw _requester.Fail(url, $"the server repeats the page token '{token}'");
            }
            else if (page.DateAddedLast is { } last && last != addedAfter)
            {
                // Servers without 'next' page by date: ask again from the last object of this page.
                addedAfter = last;
            }
            else
            {
                throw _requester.Fail(url, "the server says there are more objects but gives neither 'next' nor a new X-TAXII-Date-Added-Last");
            }
        }
    }

    private Uri ObjectsUrl(Uri collection, string? addedAfter, string? next)
    {
        var query = $"?limit={_pageSize}";
        if (addedAfter is not null)
        {
            query += $"&added_after={Uri.EscapeDataString(addedAfter)}";
        }
        if (next is not null)
        {
            query += $"&next={Uri.EscapeDataString(next)}";
        }
        return new Uri(Folder(collection), "objects/" + query);
    }

    private async Task<JsonDocument> GetJsonAsync(Uri url, CancellationToken cancellationToken)
    {
        await using var body = await _requester.GetContentAsync(url, MediaType, cancellationToken);
        return Parse(await ReadAllAsync(body, cancellationToken), url);
    }

    // The body is spooled and within the feed's cap, so its length is known and bounded.
    private static async Task<byte[]> ReadAllAsync(Stream body, CancellationToken cancellationToken)
    {
        var bytes = new byte[body.Length];
        await body.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }

    private JsonDocument Parse(byte[] bytes, Uri url)
    {
        try
        {
            var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw _requester.Fail(url, "the response is not a JSON object");
            }
            return document;
        }
        catch (JsonException ex)
        {
            throw _requester.Fail(url, $"the response is not valid JSON: {ex.Message}");
        }
    }

    private IEnumerable<JsonElement> Items(JsonElement array, Uri url, string name) =>
        array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Object ? item : throw _requester.Fail(url, $"'{name}' holds a non-object"))
            : throw _requester.Fail(url, $"'{name}' is not a list");

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!)]
            : [];

    // Relative references resolve against the last '/', so an API root given without its trailing slash would lose its last segment.
    private static Uri Folder(Uri url) => url.AbsolutePath.EndsWith('/') ? url : new Uri(url.GetLeftPart(UriPartial.Path) + "/");
}
