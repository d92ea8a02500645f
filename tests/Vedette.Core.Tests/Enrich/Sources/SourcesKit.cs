using System.Text;
using Microsoft.Extensions.Time.Testing;
using Vedette.Enrich.Intel;
using Vedette.Enrich.Intel.Sources;

namespace Vedette.Tests.Enrich.Sources;

/// <summary>Feeds, options and clients for the source tests: fast retries, loopback allowed.</summary>
internal static class SourcesKit
{
    public static FeedDefinition Feed(string location, FeedKind kind = FeedKind.List, string name = "test-feed") => new()
    {
        Name = name,
        Kind = kind,
        Location = location,
        Retries = 0,
        Timeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>Loopback allowed (the test server lives there) and backoff in milliseconds, so retries cost nothing.</summary>
    public static FeedFetchOptions Options(bool allowPrivate = true) => new()
    {
        AllowPrivateAddresses = allowPrivate,
        RetryDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(5),
    };

    public static HttpFeedLocation Http(FeedDefinition feed, FeedFetchOptions? options = null)
    {
        options ??= Options();
        return new HttpFeedLocation(feed, FeedHttp.CreateClient(options), options);
    }

    public static async Task<string> ReadAllAsync(Stream stream)
    {
        await using var _ = stream;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    public static async Task<string> ReadAllAsync(FeedFetchResult result) =>
        await ReadAllAsync(await Assert.IsType<FeedFetchResult.Fetched>(result).Location.OpenAsync(CancellationToken.None));

    /// <summary>Moves the fake clock on until the condition holds, letting the code under test run between steps.</summary>
    public static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> done, TimeSpan step, int maxSteps = 200)
    {
        for (var i = 0; i < maxSteps && !done(); i++)
        {
            await Task.Delay(15);
            if (!done())
            {
                time.Advance(step);
            }
        }
        Assert.True(done(), "the condition did not come true while the clock moved on");
    }
}
