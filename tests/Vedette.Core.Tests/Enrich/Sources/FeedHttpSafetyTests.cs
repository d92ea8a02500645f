using System.IO.Compression;
using System.Net;
using System.Text;
using Vedette.Enrich.Intel.Sources;
using static Vedette.Tests.Enrich.Sources.SourcesKit;

namespace Vedette.Tests.Enrich.Sources;

public sealed class FeedHttpSafetyTests
{
    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task A_compressed_body_is_decompressed(string encoding)
    {
        var text = string.Concat(Enumerable.Range(0, 2000).Select(i => $"198.51.100.{i % 256}\n"));
        await using var server = new LoopbackServer(request =>
        {
            Assert.Contains(encoding, request.Header("Accept-Encoding"), StringComparison.Ordinal);
            return new LoopbackResponse(200, Compress(Encoding.UTF8.GetBytes(text), encoding)).With("Content-Encoding", encoding);
        });

        using var result = await Http(Feed(server.Url("/list.txt"))).FetchAsync(null, CancellationToken.None);

        Assert.Equal(text, await ReadAllAsync(result));
    }

    [Fact]
    public async Task A_small_gzip_body_that_inflates_past_the_cap_is_refused()
    {
        var bomb = Compress(new byte[20 << 20], "gzip");
        await using var server = new LoopbackServer(_ => new LoopbackResponse(200, bomb).With("Content-Encoding", "gzip"));
        var feed = Feed(server.Url("/list.txt"), name: "bomb") with { MaxBytes = 1 << 20 };

        var error = await Assert.ThrowsAsync<FeedFetchException>(() => Http(feed).FetchAsync(null, CancellationToken.None));

        Assert.True(bomb.Length < feed.MaxBytes, "the compressed body itself must be under the cap for this test to mean anything");
        Assert.Contains("feed 'bomb'", error.Message, StringComparison.Ordinal);
        Assert.Contains("decompressed response grew past the feed's cap of 1,048,576 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compressed_bytes_past_the_cap_are_refused_even_when_they_inflate_to_less()
    {
        // One-byte gzip members one after another: twenty-odd bytes on the wire for each byte out.
        var member = Compress("x"u8.ToArray(), "gzip");
        var members = Enumerable.Repeat(member, 2000).SelectMany(bytes => bytes).ToArray();
        await using var server = new LoopbackServer(_ => new LoopbackResponse(200, members) { Chunked = true }.With("Content-Encoding", "gzip"));
        var feed = Feed(server.Url("/list.txt"), name: "members") with { MaxBytes = 4096 };

        var error = await Assert.ThrowsAsync<FeedFetchException>(() => Http(feed).FetchAsync(null, CancellationToken.None));

        Assert.Contains("feed 'members'", error.Message, StringComparison.Ordinal);
        Assert.Contains("compressed response is unusable: it grew past the feed's cap of 4,096 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://10.1.2.3/feed.csv")]
    [InlineData("http://172.16.0.1/feed.csv")]
    [InlineData("http://192.168.1.1/feed.csv")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::1]/feed.csv")]
    [InlineData("http://[fd00::1]/feed.csv")]
    [InlineData("http://[::ffff:10.0.0.1]/feed.csv")]
    [InlineData("http://localhost/feed.csv")]
    public async Task Internal_addresses_are_refused_without_the_allow_flag(string url)
    {
        var location = Http(Feed(url), Options(allowPrivate: false));

        var error = await Assert.ThrowsAsync<FeedFetchException>(() => location.FetchAsync(null, CancellationToken.None));

        Assert.StartsWith("refused: ", error.Reason, StringComparison.Ordinal);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task The_loopback_server_is_not_even_asked_without_the_allow_flag()
    {
        await using var server = new LoopbackServer(_ => LoopbackResponse.Text("x"));

        var error = await Assert.ThrowsAsync<FeedFetchException>(() => Http(Feed(server.Url("/x")), Options(allowPrivate: false)).FetchAsync(null, CancellationToken.None));

        Assert.Contains("127.0.0.1 is a loopback, private, link-local or reserved address", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task The_client_checks_the_address_it_connects_to_as_well()
    {
        // As after a DNS answer that changed between the check and the connection: the URL check passes, the connection is refused.
        await using var server = new LoopbackServer(_ => LoopbackResponse.Text("x"));
        var client = FeedHttp.CreateClient(Options(allowPrivate: false));
        var location = new HttpFeedLocation(Feed(server.Url("/x")) with { Retries = 2 }, client, Options(allowPrivate: true));

        var error = await Assert.ThrowsAsync<FeedFetchException>(() => location.FetchAsync(null, CancellationToken.None));

        Assert.Contains("refused: 127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("attempts", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Metadata_addresses_are_refused_even_with_the_allow_flag()
    {
        var error = await Assert.ThrowsAsync<FeedFetchException>(
            () => Http(Feed("http://169.254.169.254/latest/meta-data/")).FetchAsync(null, CancellationToken.None));

        Assert.Contains("cloud metadata address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_is_checked_like_the_first_URL_and_gets_no_credentials_on_another_host()
    {
        await using var other = new LoopbackServer(_ => LoopbackResponse.Text("moved here"));
        await using var server = new LoopbackServer(request => request.Path switch
        {
            "/metadata" => LoopbackResponse.Empty(302).With("Location", "http://169.254.169.254/latest/meta-data/"),
            "/elsewhere" => LoopbackResponse.Empty(302).With("Location", other.Url("/list.txt").Replace("127.0.0.1", "localhost", StringComparison.Ordinal)),
            _ => LoopbackResponse.Empty(404),
        });
        var feed = Feed(server.Url("/metadata")) with { Headers = new Dictionary<string, string> { ["Key"] = "k" } };

        var refused = await Assert.ThrowsAsync<FeedFetchException>(() => Http(feed).FetchAsync(null, CancellationToken.None));
        using var moved = await Http(feed with { Location = server.Url("/elsewhere") }).FetchAsync(null, CancellationToken.None);

        Assert.Contains("cloud metadata address", refused.Message, StringComparison.Ordinal);
        Assert.Equal("moved here", await ReadAllAsync(moved));
        Assert.Equal("k", server.Requests.Last().Header("Key"));
        Assert.Null(Assert.Single(other.Requests).Header("Key"));
    }

    [Theory]
    [InlineData("10.0.0.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("127.0.0.53", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("64:ff9b::a9fe:a9fe", false)]
    [InlineData("203.0.113.7", true)]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700::1111", true)]
    public void The_guard_tells_internal_addresses_from_public_ones(string address, bool allowed)
    {
        Assert.Equal(allowed, AddressGuard.Refusal(IPAddress.Parse(address), allowPrivate: false) is null);
    }

    private static byte[] Compress(byte[] data, string encoding)
    {
        using var buffer = new MemoryStream();
        using (Stream compressor = encoding == "gzip"
            ? new GZipStream(buffer, CompressionLevel.Fastest)
            : new ZLibStream(buffer, CompressionLevel.Fastest))
        {
            compressor.Write(data);
        }
        return buffer.ToArray();
    }
}
