using System.Net;
using Microsoft.Extensions.Time.Testing;
using Vedette.Enrich.Intel;
using Vedette.Enrich.Intel.Sources;
using static Vedette.Tests.Enrich.Sources.SourcesKit;

namespace Vedette.Tests.Enrich.Sources;

public sealed class HttpFeedLocationTests
{
    private const string List = "203.0.113.7\n198.51.100.0/24\n";

    [Fact]
    public async Task The_ETag_of_a_download_is_sent_back_and_a_304_means_not_modified()
    {
        await using var server = new LoopbackServer(request => request.Header("If-None-Match") == "\"v1\""
            ? LoopbackResponse.Empty(304).With("ETag", "\"v1\"")
            : LoopbackResponse.Text(List).With("ETag", "\"v1\""));
        var location = Http(Feed(server.Url("/list.txt")));

        using var first = await location.FetchAsync(null, CancellationToken.None);
        Assert.Equal(List, await ReadAllAsync(first));
        Assert.Equal("\"v1\"", first.State.ETag);
        Assert.NotNull(first.State.LastSuccess);

        var second = await location.FetchAsync(first.State, CancellationToken.None);

        Assert.IsType<FeedFetchResult.NotModified>(second);
        Assert.Equal("\"v1\"", second.State.ETag);
        var requests = server.Requests.ToArray();
        Assert.Null(requests[0].Header("If-None-Match"));
        Assert.Equal("\"v1\"", requests[1].Header("If-None-Match"));
    }

    [Fact]
    public async Task The_Last_Modified_of_a_download_is_sent_back_as_If_Modified_Since()
    {
        const string Modified = "Tue, 21 Oct 2025 07:28:00 GMT";
        await using var server = new LoopbackServer(request => request.Header("If-Modified-Since") == Modified
            ? LoopbackResponse.Empty(304)
            : LoopbackResponse.Text(List).With("Last-Modified", Modified));
        var location = Http(Feed(server.Url("/list.txt")));

        using var first = await location.FetchAsync(null, CancellationToken.None);
        Assert.IsType<FeedFetchResult.Fetched>(first);
        Assert.Equal(new DateTimeOffset(2025, 10, 21, 7, 28, 0, TimeSpan.Zero), first.State.LastModified);
        var second = await location.FetchAsync(first.State, CancellationToken.None);

        Assert.IsType<FeedFetchResult.NotModified>(second);
        Assert.Equal(first.State.LastModified, second.State.LastModified);
        Assert.Equal(Modified, server.Requests.Last().Header("If-Modified-Since"));
    }

    [Fact]
    public async Task A_server_error_is_retried_and_then_fails_naming_the_feed_and_the_status()
    {
        await using var server = new LoopbackServer(_ => LoopbackResponse.Empty(500));
        var retries = new List<FeedRetry>();
        var options = Options() with { OnRetry = retries.Add };
        var location = Http(Feed(server.Url("/list.txt"), name: "feodo") with { Retries = 2 }, options);

        var error = await Assert.ThrowsAsync<FeedFetchException>(() => location.FetchAsync(null, CancellationToken.None));

        Assert.Equal(3, server.Requests.Count);
        Assert.Equal([1, 2], retries.Select(retry => retry.FailedAttempt));
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal("feodo", error.Feed);
        Assert.Contains("feed 'feodo'", error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_error_that_passes_is_retried_to_success()
    {
        var calls = 0;
        await using var server = new LoopbackServer(_ => Interlocked.Increment(ref calls) < 3 ? LoopbackResponse.Empty(503) : LoopbackResponse.Text(List));
        var location = Http(Feed(server.Url("/list.txt")) with { Retries = 3 });

        using var result = await location.FetchAsync(null, CancellationToken.None);

        Assert.Equal(List, await ReadAllAsync(result));
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        await using var server = new LoopbackServer(_ => LoopbackResponse.Empty(404));
        var location = Http(Feed(server.Url("/gone.txt")) with { Retries = 3 });

        var error = await Assert.ThrowsAsync<FeedFetchException>(() => location.FetchAsync(null, CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_success_without_content_is_not_taken_for_an_empty_feed()
    {
        await using var server = new LoopbackServer(_ => LoopbackResponse.Empty(204));

        var error = await Assert.ThrowsAsync<FeedFetchException>(() => Http(Feed(server.Url("/list.txt"))).FetchAsync(null, CancellationToken.None));

        Assert.Contains("HTTP 204 instead of the feed's content", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_requests_waits_as_long_as_Retry_After_says()
    {
        var calls = 0;
        await using var server = new LoopbackServer(_ => Interlocked.Increment(ref calls) == 1
            ? LoopbackResponse.Empty(429).With("Retry-After", "7")
            : LoopbackResponse.Text(List));
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var retries = new List<FeedRetry>();
        var options = Options() with { TimeProvider = time, OnRetry = retries.Add };
        // The attempt's timeout runs on the fake clock too: long enough that moving the clock never reaches it.
        var location = Http(Feed(server.Url("/list.txt")) with { Retries = 1, Timeout = TimeSpan.FromHours(1) }, options);

        var fetch = location.FetchAsync(null, CancellationToken.None);
        await AdvanceUntilAsync(time, () => fetch.IsCompleted, TimeSpan.FromSeconds(1));
        using var result = await fetch;

        Assert.IsType<FeedFetchResult.Fetched>(result);
        Assert.Equal(TimeSpan.FromSeconds(7), Assert.Single(retries).Delay);
        Assert.True(time.GetUtcNow() - DateTimeOffset.UnixEpoch >= TimeSpan.FromSeconds(7), "the retry came before Retry-After");
    }

    [Fact]
    public async Task A_Retry_After_longer_than_allowed_fails_at_once()
    {
        await using var server = new LoopbackServer(_ => LoopbackResponse.Empty(429).With("Retry-After", "3600"));
        var location = Http(Feed(server.Url("/list.txt")) with { Retries = 3 });

        var error = await Assert.ThrowsAsync<FeedFetchException>(() => location.FetchAsync(null, CancellationToken.None));

        Assert.Single(server.Requests);
        Assert.Contains("wait 1h", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declared_length_over_the_cap_is_refused_before_the_body_is_read()
    {
        // The server announces a large body and then sends nothing: reading it would end in a timeout, not a refusal.
        await using var server = new LoopbackServer(_ => LoopbackResponse.Empty(200) with { DeclaredLength = 10_000_000, StallAfterHeaders = true });
        var location = Http(Feed(server.Url("/big.csv"), name: "big") with { MaxBytes = 1000 });

        var error = await Assert.ThrowsAsync<FeedFetchException>(() => location.FetchAsync(null, CancellationToken.None));

        Assert.Contains("feed 'big'", error.Message, StringComparison.Ordinal);
        Assert.Contains("10,000,000 bytes, over the feed's cap of 1,000 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_body_growing_past_the_cap_is_aborted()
    {
        await using var server = new LoopbackServer(_ => new LoopbackResponse(200, new byte[50_000]) { Chunked = true });
        var location = Http(Feed(server.Url("/big.csv"), name: "big") with { MaxBytes = 4096 });

        var error = await Assert.ThrowsAsync<FeedFetchException>(() => location.FetchAsync(null, CancellationToken.None));

        Assert.Contains("feed 'big'", error.Message, StringComparison.Ordinal);
        Assert.Contains("grew past the feed's cap of 4,096 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out()
    {
        await using var server = new LoopbackServer(_ => LoopbackResponse.Empty(200) with { Silent = true });
        var location = Http(Feed(server.Url("/slow.txt")) with { Timeout = TimeSpan.FromMilliseconds(200) });

        var error = await Assert.ThrowsAsync<FeedFetchException>(() => location.FetchAsync(null, CancellationToken.None));

        Assert.Contains("timed out after 200ms", error.Message, StringComparison.Ordinal);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task A_body_that_stops_half_way_times_out_too()
    {
        await using var server = new LoopbackServer(_ => LoopbackResponse.Text(List) with { StallAfterHeaders = true });
        var location = Http(Feed(server.Url("/slow.txt")) with { Timeout = TimeSpan.FromMilliseconds(200), Retries = 1 });

        var error = await Assert.ThrowsAsync<FeedFetchException>(() => location.FetchAsync(null, CancellationToken.None));

        Assert.Contains("timed out after 200ms (gave up after 2 attempts)", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Cancelling_the_caller_is_not_reported_as_a_feed_failure()
    {
        await using var server = new LoopbackServer(_ => LoopbackResponse.Empty(200) with { Silent = true });
        var location = Http(Feed(server.Url("/slow.txt")));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => location.FetchAsync(null, cancel.Token));
    }

    [Fact]
    public async Task Header_secrets_come_from_the_environment_and_never_appear_in_errors()
    {
        await using var server = new LoopbackServer(_ => LoopbackResponse.Empty(403));
        var options = Options() with { Environment = name => name == "VEDETTE_TEST_KEY" ? "s3cr3t-value" : null };
        var feed = Feed(server.Url("/list.txt?key=query-secret")) with
        {
            Headers = new Dictionary<string, string> { ["Key"] = "env:VEDETTE_TEST_KEY", ["X-Plain"] = "visible" },
        };

        var error = await Assert.ThrowsAsync<FeedFetchException>(() => Http(feed, options).FetchAsync(null, CancellationToken.None));

        var request = Assert.Single(server.Requests);
        Assert.Equal("s3cr3t-value", request.Header("Key"));
        Assert.Equal("visible", request.Header("X-Plain"));
        Assert.DoesNotContain("s3cr3t", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("query-secret", error.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("/list.txt", error.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_whose_variable_is_not_set_fails_naming_the_variable()
    {
        await using var server = new LoopbackServer(_ => LoopbackResponse.Text(List));
        var options = Options() with { Environment = _ => null };
        var feed = Feed(server.Url("/list.txt")) with { Headers = new Dictionary<string, string> { ["Key"] = "env:ABUSEIPDB_KEY" } };

        var error = await Assert.ThrowsAsync<FeedFetchException>(() => Http(feed, options).FetchAsync(null, CancellationToken.None));

        Assert.Contains("ABUSEIPDB_KEY, which is not set", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_MISP_folder_serves_its_manifest_and_the_event_files_next_to_it_only()
    {
        await using var server = new LoopbackServer(request => LoopbackResponse.Text($"served {request.Path}"));
        var location = Http(Feed(server.Url("/misp/"), FeedKind.Misp));

        Assert.Equal("served /misp/manifest.json", await ReadAllAsync(await location.OpenAsync(CancellationToken.None)));
        Assert.Equal("served /misp/5f1a.json", await ReadAllAsync(await location.OpenRelativeAsync("5f1a.json", CancellationToken.None)));
        await Assert.ThrowsAsync<FeedFetchException>(() => location.OpenRelativeAsync("../admin.json", CancellationToken.None));
        await Assert.ThrowsAsync<FeedFetchException>(() => location.OpenRelativeAsync("http://203.0.113.9/x.json", CancellationToken.None));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task The_downloaded_content_of_a_fetch_hands_the_relative_documents_to_the_source()
    {
        await using var server = new LoopbackServer(request => LoopbackResponse.Text($"served {request.Path}"));
        using var result = Assert.IsType<FeedFetchResult.Fetched>(
            await Http(Feed(server.Url("/misp/"), FeedKind.Misp)).FetchAsync(null, CancellationToken.None));

        Assert.Equal("served /misp/manifest.json", await ReadAllAsync(await result.Location.OpenAsync(CancellationToken.None)));
        Assert.Equal("served /misp/e1.json", await ReadAllAsync(await result.Location.OpenRelativeAsync("e1.json", CancellationToken.None)));
        Assert.False(result.IsDelta);
    }

    [Fact]
    public void Only_http_and_https_locations_are_fetched()
    {
        var error = Assert.Throws<FeedFetchException>(() => Http(Feed("ftp://203.0.113.9/list.txt?key=k")));
        Assert.Contains("not an http(s) URL", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("key=k", error.Message, StringComparison.Ordinal);
    }
}
