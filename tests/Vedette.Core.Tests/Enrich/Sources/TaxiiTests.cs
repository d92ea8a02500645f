using System.Text.Json;
using Vedette.Enrich.Intel;
using Vedette.Enrich.Intel.Sources;
using static Vedette.Tests.Enrich.Sources.SourcesKit;

namespace Vedette.Tests.Enrich.Sources;

public sealed class TaxiiTests
{
    [Fact]
    public async Task Discovery_lists_the_api_roots_and_an_api_root_lists_its_collections()
    {
        await using var server = new TaxiiTestServer();
        var client = Client(server.ApiRoot);

        var discovery = await client.DiscoverAsync(new Uri(server.Http.Url("/")), CancellationToken.None);
        var collections = await client.ListCollectionsAsync(Assert.Single(discovery.ApiRoots), CancellationToken.None);

        Assert.Equal("Test TAXII", discovery.Title);
        Assert.Equal(new Uri(server.ApiRoot), discovery.Default);
        var collection = Assert.Single(collections);
        Assert.Equal(("c1", "Indicators", true, false), (collection.Id, collection.Title, collection.CanRead, collection.CanWrite));
        Assert.Equal(new Uri(server.Collection), TaxiiClient.CollectionUrl(discovery.ApiRoots[0], collection.Id));
    }

    [Fact]
    public async Task Objects_are_read_page_by_page_following_next_while_the_server_has_more()
    {
        await using var server = new TaxiiTestServer();
        var ids = server.Add(7);

        var pages = await Pages(Client(server.ApiRoot, pageSize: 3), new Uri(server.Collection), null);

        Assert.Equal([3, 3, 1], pages.Select(page => page.ObjectCount));
        Assert.Equal([true, true, false], pages.Select(page => page.More));
        Assert.Equal(ids, pages.SelectMany(ObjectIds));
        Assert.Equal("2026-01-01T00:00:07.000000Z", pages[^1].DateAddedLast);
        var requests = server.Http.Requests.ToArray();
        Assert.Equal([null, "p3", "p6"], requests.Select(request => request.Query("next")));
        Assert.All(requests, request => Assert.Equal("3", request.Query("limit")));
    }

    [Fact]
    public async Task A_collection_reads_as_one_bundle_and_the_next_run_gets_only_newer_objects()
    {
        await using var server = new TaxiiTestServer();
        var first = server.Add(7);
        var feed = Feed(server.ApiRoot, FeedKind.Taxii) with { Collection = "c1" };
        var options = Options();
        var location = new TaxiiFeedLocation(feed, FeedHttp.CreateClient(options), options, pageSize: 3);

        using var full = Assert.IsType<FeedFetchResult.Fetched>(await location.FetchAsync(null, CancellationToken.None));
        var bundle = JsonDocument.Parse(await ReadAllAsync(await full.Location.OpenAsync(CancellationToken.None))).RootElement;
        Assert.Equal("bundle", bundle.GetProperty("type").GetString());
        Assert.Equal(first, bundle.GetProperty("objects").EnumerateArray().Select(Id));
        Assert.False(full.IsDelta);
        Assert.Equal("2026-01-01T00:00:07.000000Z", full.State.AddedAfter);

        var added = server.Add(2);
        using var delta = Assert.IsType<FeedFetchResult.Fetched>(await location.FetchAsync(full.State, CancellationToken.None));
        var newer = JsonDocument.Parse(await ReadAllAsync(await delta.Location.OpenAsync(CancellationToken.None))).RootElement;
        Assert.Equal(added, newer.GetProperty("objects").EnumerateArray().Select(Id));
        Assert.True(delta.IsDelta);
        Assert.Equal("2026-01-01T00:00:07.000000Z", server.Http.Requests.Last().Query("added_after"));

        var nothing = await location.FetchAsync(delta.State, CancellationToken.None);
        Assert.IsType<FeedFetchResult.NotModified>(nothing);
        Assert.Equal("2026-01-01T00:00:09.000000Z", nothing.State.AddedAfter);
    }

    [Fact]
    public async Task A_server_without_next_tokens_is_paged_by_date_added()
    {
        await using var server = new TaxiiTestServer(pagesWithNext: false);
        var ids = server.Add(7);

        var pages = await Pages(Client(server.ApiRoot, pageSize: 3), new Uri(server.Collection), null);

        Assert.Equal(ids, pages.SelectMany(ObjectIds));
        Assert.Equal(
            [null, "2026-01-01T00:00:03.000000Z", "2026-01-01T00:00:06.000000Z"],
            server.Http.Requests.Select(request => request.Query("added_after")));
    }

    [Fact]
    public async Task A_server_repeating_its_page_token_is_stopped()
    {
        await using var server = new LoopbackServer(_ => LoopbackResponse.Text("""{"more":true,"next":"again","objects":[{"type":"indicator","id":"x"}]}"""));

        var error = await Assert.ThrowsAsync<FeedFetchException>(
            () => Pages(Client(server.Url("/api1/")), new Uri(server.Url("/api1/collections/c1/")), null));

        Assert.Contains("repeats the page token 'again'", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_collection_bigger_than_the_cap_is_refused_naming_the_feed_and_the_cap()
    {
        await using var server = new TaxiiTestServer();
        server.Add(7);
        var feed = Feed(server.Collection, FeedKind.Taxii, name: "taxii-feed") with { MaxBytes = 1500 };
        var options = Options();
        var location = new TaxiiFeedLocation(feed, FeedHttp.CreateClient(options), options, pageSize: 3);

        var error = await Assert.ThrowsAsync<FeedFetchException>(() => location.FetchAsync(null, CancellationToken.None));

        Assert.Contains("feed 'taxii-feed'", error.Message, StringComparison.Ordinal);
        Assert.Contains("grew past the feed's cap of 1,500 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_TAXII_request_asks_for_the_TAXII_media_type()
    {
        await using var server = new TaxiiTestServer();
        server.Add(1);

        await Pages(Client(server.ApiRoot), new Uri(server.Collection), null);

        Assert.Equal(TaxiiClient.MediaType, Assert.Single(server.Http.Requests).Header("Accept"));
    }

    private static TaxiiClient Client(string location, int pageSize = TaxiiClient.DefaultPageSize)
    {
        var options = Options();
        return new TaxiiClient(Feed(location, FeedKind.Taxii), FeedHttp.CreateClient(options), options, pageSize);
    }

    private static async Task<List<TaxiiPage>> Pages(TaxiiClient client, Uri collection, string? addedAfter)
    {
        var pages = new List<TaxiiPage>();
        await foreach (var page in client.GetObjectsAsync(collection, addedAfter, CancellationToken.None))
        {
            pages.Add(page);
        }
        return pages;
    }

    private static IEnumerable<string> ObjectIds(TaxiiPage page)
    {
        using var envelope = JsonDocument.Parse(page.Envelope);
        return [.. envelope.RootElement.GetProperty("objects").EnumerateArray().Select(Id)];
    }

    private static string Id(JsonElement item) => item.GetProperty("id").GetString()!;
}
