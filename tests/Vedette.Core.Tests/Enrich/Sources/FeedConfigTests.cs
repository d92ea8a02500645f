using Vedette.Enrich.Intel;
using Vedette.Enrich.Intel.Sources;

namespace Vedette.Tests.Enrich.Sources;

public sealed class FeedConfigTests
{
    private const string Example = """
        feeds:
          - name: feodo
            kind: csv
            location: https://feodotracker.abuse.ch/downloads/ipblocklist.csv
            schedule: "0 */6 * * *"
            score: 80
            ttl: 7d
            half-life: 30d
            subdomains: false
            csv: {value: dst_ip, type: ipv4, first-seen: first_seen_utc, tags: [malware]}
            headers: {Key: "env:ABUSEIPDB_KEY"}
            max-bytes: 50MB
            timeout: 90s
            retries: 2
            enabled: true
          - name: firehol-level1
            kind: list
            location: feeds/firehol_level1.netset
          - name: otx
            kind: taxii
            location: https://taxii.example/api1/
            collection: c1
            enabled: false
        """;

    [Fact]
    public void Every_key_of_a_feed_is_read()
    {
        var feeds = FeedConfig.Parse(new StringReader(Example), "feeds.yaml");

        Assert.Equal(["feodo", "firehol-level1", "otx"], feeds.Select(feed => feed.Name));
        var feodo = feeds[0];
        Assert.Equal(FeedKind.Csv, feodo.Kind);
        Assert.Equal("https://feodotracker.abuse.ch/downloads/ipblocklist.csv", feodo.Location);
        Assert.Equal("0 */6 * * *", feodo.Schedule);
        Assert.Equal(80, feodo.DefaultScore);
        Assert.Equal(TimeSpan.FromDays(7), feodo.Ttl);
        Assert.Equal(TimeSpan.FromDays(30), feodo.HalfLife);
        Assert.False(feodo.MatchSubdomains);
        Assert.Equal(new CsvColumns { Value = "dst_ip", Type = "ipv4", FirstSeen = "first_seen_utc", Tags = feodo.Csv!.Tags }, feodo.Csv);
        Assert.Equal(["malware"], feodo.Csv.Tags);
        Assert.Equal("env:ABUSEIPDB_KEY", feodo.Headers["Key"]);
        Assert.Equal(50L << 20, feodo.MaxBytes);
        Assert.Equal(TimeSpan.FromSeconds(90), feodo.Timeout);
        Assert.Equal(2, feodo.Retries);
        Assert.True(feodo.Enabled);
    }

    [Fact]
    public void Keys_left_out_take_the_defaults()
    {
        var list = FeedConfig.Parse(new StringReader(Example), "feeds.yaml")[1];
        var defaults = new FeedDefinition { Name = "x", Kind = FeedKind.List, Location = "x" };

        Assert.Equal("feeds/firehol_level1.netset", list.Location);
        Assert.Null(list.Schedule);
        Assert.Equal((defaults.DefaultScore, defaults.MaxBytes, defaults.Timeout, defaults.Retries, true, true), (list.DefaultScore, list.MaxBytes, list.Timeout, list.Retries, list.Enabled, list.MatchSubdomains));
    }

    [Fact]
    public void A_loaded_file_takes_relative_paths_from_its_own_folder()
    {
        var folder = Directory.CreateTempSubdirectory("vedette-feeds-");
        try
        {
            var path = Path.Combine(folder.FullName, "feeds.yaml");
            File.WriteAllText(path, Example);

            var feeds = FeedConfig.Load(path);

            Assert.Equal(Path.Combine(folder.FullName, "feeds", "firehol_level1.netset"), feeds[1].Location);
            Assert.Equal("c1", feeds[2].Collection);
            Assert.False(feeds[2].Enabled);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("  - name: a\n    kind: list\n    location: x\n  - name: a\n    kind: list\n    location: y\n", 5, "a", "already used by the feed at line 2")]
    [InlineData("  - name: a\n    kind: rss\n    location: x\n", 3, "a", "unknown kind 'rss'")]
    [InlineData("  - name: a\n    kind: list\n    location: x\n    schedule: \"every hour\"\n", 5, "a", "'schedule' is not a five-field cron expression")]
    [InlineData("  - name: a\n    kind: list\n    location: ftp://example.org/list.txt\n", 4, "a", "'location' must be a file path or an http(s) URL")]
    [InlineData("  - name: a\n    kind: list\n    location: x\n    score: 101\n", 5, "a", "'score' must be between 0 and 100")]
    [InlineData("  - name: a\n    kind: list\n    location: x\n    ttl: 7 days\n", 5, "a", "'ttl' must be a duration")]
    [InlineData("  - name: a\n    kind: list\n    location: x\n    max-bytes: lots\n", 5, "a", "'max-bytes' must be a size")]
    [InlineData("  - name: a\n    kind: list\n    location: x\n    retries: -1\n", 5, "a", "'retries' must be between 0 and 10")]
    [InlineData("  - name: a\n    kind: list\n    location: x\n    schedul: \"0 * * * *\"\n", 5, "a", "unknown key 'schedul'")]
    [InlineData("  - name: a\n    kind: list\n    location: x\n    enabled: maybe\n", 5, "a", "'enabled' must be true or false")]
    [InlineData("  - name: a\n    kind: csv\n    location: x\n", 2, "a", "a csv feed needs a 'csv' column mapping")]
    [InlineData("  - name: a\n    kind: csv\n    location: x\n    csv: {type: ipv4}\n", 5, "a", "the csv mapping has no 'value' column")]
    [InlineData("  - name: a\n    kind: list\n    location: x\n    csv: {value: 0}\n", 5, "a", "'csv' is only for kind csv")]
    [InlineData("  - name: a\n    kind: taxii\n    location: feeds/otx\n", 4, "a", "a taxii feed's 'location' must be an http(s) URL")]
    [InlineData("  - name: a\n    kind: list\n", 2, "a", "the feed has no 'location'")]
    [InlineData("  - kind: list\n    location: x\n", 2, null, "the feed has no 'name'")]
    [InlineData("  - name: a b\n    kind: list\n    location: x\n", 2, "a b", "'name' may hold only letters")]
    public void Each_mistake_is_reported_with_its_file_line_and_feed(string feeds, int line, string? feed, string message)
    {
        var error = Assert.Single(Errors("feeds:\n" + feeds));

        Assert.Equal("my-feeds.yaml", error.File);
        Assert.Equal(line, error.Line);
        Assert.Equal(feed, error.Feed);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_mistake_of_a_file_is_reported_at_once()
    {
        var errors = Errors("feeds:\n  - name: a\n    kind: rss\n    location: x\n  - name: b\n    kind: list\n    location: x\n    score: 200\n");

        Assert.Equal([3, 8], errors.Select(error => error.Line));
        Assert.Equal(["a", "b"], errors.Select(error => error.Feed));
    }

    [Fact]
    public void The_exception_message_lists_every_mistake_with_its_place()
    {
        var error = Assert.Throws<FeedConfigException>(() => FeedConfig.Parse(new StringReader("feeds:\n  - name: a\n    kind: rss\n    location: x\n"), "f.yaml"));

        Assert.StartsWith("f.yaml:3: feed 'a': unknown kind 'rss'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("feeds: [\n", 2, "")]
    [InlineData("feeds:\n  - &a {name: a, kind: list, location: x}\n  - *a\n", 2, "anchors and aliases are not allowed")]
    [InlineData("sources: []\n", 1, "unknown key 'sources'")]
    [InlineData("feeds: {name: a}\n", 1, "'feeds' must be a list")]
    [InlineData("feeds:\n  - just-a-name\n", 2, "each feed must be a map")]
    public void A_file_that_is_not_a_feeds_list_is_refused_at_its_line(string text, int line, string message)
    {
        var error = Errors(text)[0];

        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_feeds_list_is_no_feeds()
    {
        Assert.Empty(FeedConfig.Parse(new StringReader("feeds: []\n"), "feeds.yaml"));
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("6h", 21600)]
    [InlineData("7d", 604800)]
    [InlineData("250ms", 0.25)]
    public void Durations_are_read_in_their_unit(string text, double seconds)
    {
        Assert.True(Units.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
        Assert.Equal(text, Units.FormatDuration(duration));
    }

    [Theory]
    [InlineData("512KB", 512L << 10)]
    [InlineData("50MB", 50L << 20)]
    [InlineData("2GB", 2L << 30)]
    [InlineData("1000", 1000)]
    [InlineData("64B", 64)]
    public void Sizes_are_read_in_their_unit(string text, long bytes)
    {
        Assert.True(Units.TryParseSize(text, out var size));
        Assert.Equal(bytes, size);
    }

    private static IReadOnlyList<FeedConfigError> Errors(string yaml) =>
        Assert.Throws<FeedConfigException>(() => FeedConfig.Parse(new StringReader(yaml), "my-feeds.yaml")).Errors;
}
