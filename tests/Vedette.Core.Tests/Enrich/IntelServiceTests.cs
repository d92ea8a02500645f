using Microsoft.Extensions.Time.Testing;
using Vedette.Domain;
using Vedette.Enrich.Intel;
using Vedette.Enrich.Intel.Sources;
using Vedette.Pipeline;
using Vedette.Storage.Sqlite;
using Vedette.Tests.Enrich.Sources;

namespace Vedette.Tests.Enrich;

/// <summary>Feeds through the service into a real SQLite store and the live snapshot, as `vedette intel` runs them.</summary>
public sealed class IntelServiceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vedette-intel-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(Now);
    private readonly ErrorReport _errors = new();
    private SqliteStore _store = null!;
    private IntelService _intel = null!;

    private CancellationToken Ct { get; } = new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    private static string Intel(params string[] parts) => SharedData.Path(["intel", .. parts]);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _store = await SqliteStore.OpenAsync(Path.Combine(_folder, "vedette.db"), _time, Ct);
        _intel = await IntelService.OpenAsync(_store, _time, Ct);
    }

    public async Task DisposeAsync()
    {
        _intel.Dispose();
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<FeedUpdate> LoadAsync(string name, FeedKind kind, string path, CsvColumns? csv = null) =>
        _intel.LoadAsync(new FeedDefinition { Name = name, Kind = kind, Location = path, Csv = csv }, new FileFeedLocation(path), _errors, Ct);

    private IntelMatch? Lookup(ObservableType type, string value) =>
        _intel.Current.TryMatch(Observable.Parse(type, value), _time.GetUtcNow(), out var match) ? match : null;

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Counts_from_the_real_files_equal_what_the_files_declare()
    {
        var drop = await LoadAsync("spamhaus-drop", FeedKind.Spamhaus, Intel("spamhaus", "drop_v4.json"));
        var asnDrop = await LoadAsync("spamhaus-asn-drop", FeedKind.Spamhaus, Intel("spamhaus", "asn_drop.json"));
        var ipsum = await LoadAsync("ipsum", FeedKind.List, Intel("ipsum", "ipsum.txt"));
        var firehol = await LoadAsync("firehol", FeedKind.List, Intel("firehol", "firehol_level1.netset"));
        CsvPresets.TryGet("feodo", out var feodoColumns);
        var feodo = await LoadAsync("feodo", FeedKind.Csv, Intel("abusech-feodo", "ipblocklist.csv"), feodoColumns);

        Assert.Equal((1406, 1406L, 1406), (drop.Indicators, drop.Declared!.Value, drop.Ranges));
        Assert.Equal((201, 201L), (asnDrop.Indicators, asnDrop.Declared!.Value));
        Assert.Equal(new Dictionary<string, int> { ["asn"] = 201 }, asnDrop.ByType);
        Assert.Equal(120_430, ipsum.Indicators);
        // Every netset entry is loaded, and the networks stay networks (not expanded, not dropped).
        Assert.Equal((6630, 6630L), (firehol.Indicators, firehol.Declared!.Value));
        var fireholNetworks = File.ReadLines(Intel("firehol", "firehol_level1.netset")).Count(line => !line.StartsWith('#') && line.Contains('/', StringComparison.Ordinal) && !line.EndsWith("/32", StringComparison.Ordinal));
        Assert.Equal(fireholNetworks, firehol.Ranges);
        Assert.Equal((28, 28L), (feodo.Indicators, feodo.Declared!.Value));
        Assert.Equal(0, _errors.Count);

        var feeds = await _store.ListFeedsAsync(Ct);
        Assert.Equal([("feodo", 28), ("firehol", 6630), ("ipsum", 120_430), ("spamhaus-asn-drop", 201), ("spamhaus-drop", 1406)], feeds.Select(f => (f.Name, f.Indicators)));
    }

    [Fact]
    public async Task STIX_bundles_report_their_indicator_objects_and_name_the_patterns_they_cannot_use()
    {
        var poisonIvy = await LoadAsync("poisonivy", FeedKind.Stix, Intel("stix21", "examples", "threat-reports", "poisonivy.json"));
        var apt1 = await LoadAsync("apt1", FeedKind.Stix, Intel("stix21", "examples", "threat-reports", "apt1.json"));

        // The bundles' own count is of STIX indicator objects; one pattern can list several values.
        Assert.Equal(25L, poisonIvy.Declared);
        Assert.Equal(12L, apt1.Declared);
        Assert.True(poisonIvy.Indicators > 25);
        Assert.Null(apt1.Failure);
        // apt1's two x509-certificate patterns are reported with the feed, the file and the indicator, not dropped silently.
        var unsupported = _errors.Kept.Where(e => e.Ref.Origin.StartsWith("apt1 (", StringComparison.Ordinal) && e.Message.Contains("x509-certificate", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(unsupported);
        Assert.All(unsupported, e => Assert.Contains("indicator--", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_address_inside_a_DROP_range_matches_as_cidr_naming_the_range_and_both_feeds_that_list_it()
    {
        await LoadAsync("spamhaus-drop", FeedKind.Spamhaus, Intel("spamhaus", "drop_v4.json"));
        await LoadAsync("firehol", FeedKind.List, Intel("firehol", "firehol_level1.netset"));

        var match = Lookup(ObservableType.Ipv4, "1.10.16.77");

        Assert.NotNull(match);
        Assert.Equal((MatchReason.Cidr, "1.10.16.0/20"), (match.Reason, match.Indicator.Value));
        Assert.Equal(["firehol", "spamhaus-drop"], match.Feeds);
        Assert.Contains("sblid:SBL256894", match.Tags);
    }

    [Fact]
    public async Task A_reopened_service_serves_the_feeds_the_store_kept()
    {
        await LoadAsync("spamhaus-drop", FeedKind.Spamhaus, Intel("spamhaus", "drop_v4.json"));
        var feed = new FeedDefinition { Name = "decaying", Kind = FeedKind.List, Location = "x", HalfLife = TimeSpan.FromDays(1), DefaultScore = 80 };
        await _intel.LoadAsync(feed, new MemoryFeedLocation("x", "203.0.113.9\n"u8.ToArray()), _errors, Ct);

        _time.Advance(TimeSpan.FromDays(1));
        using var reopened = await IntelService.OpenAsync(_store, _time, Ct);

        Assert.Equal(_intel.Current.Count, reopened.Current.Count);
        Assert.True(reopened.Current.TryMatch(Observable.Parse(ObservableType.Ipv4, "1.10.16.77"), _time.GetUtcNow(), out _));
        Assert.True(reopened.Current.TryMatch(Observable.Parse(ObservableType.Ipv4, "203.0.113.9"), _time.GetUtcNow(), out var decayed));
        Assert.Equal(40, decayed.Score);
    }

    [Fact]
    public async Task A_feed_TTL_expires_indicators_the_feed_stopped_listing_and_valid_until_in_the_past_is_left_out()
    {
        var feed = new FeedDefinition { Name = "ttl", Kind = FeedKind.List, Location = "x", Ttl = TimeSpan.FromDays(7) };
        await _intel.LoadAsync(feed, new MemoryFeedLocation("x", "203.0.113.1\n"u8.ToArray()), _errors, Ct);

        Assert.Equal(Now.AddDays(7), Lookup(ObservableType.Ipv4, "203.0.113.1")!.ExpiresAt);
        _time.Advance(TimeSpan.FromDays(8));
        Assert.Null(Lookup(ObservableType.Ipv4, "203.0.113.1"));

        var stix = WriteFile("expired.json", Bundle(("indicator--00000000-0000-4000-8000-000000000001", "[domain-name:value = 'old.example']", "2020-01-01T00:00:00Z", false),
                                                    ("indicator--00000000-0000-4000-8000-000000000002", "[domain-name:value = 'gone.example']", null, true),
                                                    ("indicator--00000000-0000-4000-8000-000000000003", "[domain-name:value = 'live.example']", null, false)));
        var update = await LoadAsync("stix", FeedKind.Stix, stix);
        Assert.Equal((1, 1, 1), (update.Indicators, update.Expired, update.Revoked));
        Assert.Null(Lookup(ObservableType.Domain, "old.example"));
        Assert.Null(Lookup(ObservableType.Domain, "gone.example"));
        Assert.Equal(MatchReason.ParentDomain, Lookup(ObservableType.Domain, "www.live.example")!.Reason);
    }

    [Fact]
    public async Task A_truncated_bundle_is_an_error_naming_feed_and_line_and_the_previous_indicators_stay()
    {
        var poisonIvy = Intel("stix21", "examples", "threat-reports", "poisonivy.json");
        var good = await LoadAsync("vendor", FeedKind.Stix, poisonIvy);
        var text = await File.ReadAllTextAsync(poisonIvy, Ct);
        var cut = WriteFile("cut.json", text[..(text.Length / 2)]);

        var update = await LoadAsync("vendor", FeedKind.Stix, cut);

        Assert.False(update.Updated);
        Assert.Matches(@"^vendor \(.*cut\.json\): line \d+: ", update.Failure);
        Assert.Contains(_errors.Kept, e => e.Ref.Origin.StartsWith("vendor (", StringComparison.Ordinal) && e.Ref.Line > 0);
        await AssertKeptAsync("vendor", good.Indicators);
    }

    [Fact]
    public async Task A_CSV_row_with_a_wrong_column_count_is_reported_with_its_line_and_the_other_rows_load()
    {
        var csv = WriteFile("feed.csv", "value,score\n203.0.113.1,80\n203.0.113.2,70,extra\n203.0.113.3,60\n");

        var update = await LoadAsync("csv-feed", FeedKind.Csv, csv, new CsvColumns { Value = "value", Score = "score" });

        Assert.Equal((2, 1), (update.Indicators, update.Rejected));
        var error = Assert.Single(_errors.Kept);
        Assert.Equal(("csv-feed (" + csv + ")", 3L), (error.Ref.Origin, error.Ref.Line));
        Assert.NotNull(Lookup(ObservableType.Ipv4, "203.0.113.3"));
    }

    [Fact]
    public async Task A_netset_shorter_than_its_header_says_is_refused_as_cut_off()
    {
        var good = await LoadAsync("firehol", FeedKind.List, Intel("firehol", "firehol_level1.netset"));
        var cut = WriteFile("cut.netset", string.Join('\n', File.ReadLines(Intel("firehol", "firehol_level1.netset")).Take(200)));

        var update = await LoadAsync("firehol", FeedKind.List, cut);

        Assert.Contains("declares 6630 records", update.Failure, StringComparison.Ordinal);
        await AssertKeptAsync("firehol", good.Indicators);
    }

    [Fact]
    public async Task An_HTTP_500_is_an_error_naming_feed_and_URL_and_the_previous_indicators_stay()
    {
        var fail = false;
        await using var server = new LoopbackServer(_ => fail ? LoopbackResponse.Text("upstream exploded", 500) : LoopbackResponse.Text("203.0.113.7\n198.51.100.0/24\n"));
        var feed = SourcesKit.Feed(server.Url("/list.txt"), FeedKind.List, "http-list");
        using var http = FeedHttp.CreateClient(SourcesKit.Options());
        var first = await _intel.UpdateAsync([feed], f => FeedSources.For(f, http, SourcesKit.Options()), _errors, Ct);
        Assert.Equal(2, first[0].Indicators);

        fail = true;
        _time.Advance(TimeSpan.FromHours(1));
        var second = await _intel.UpdateAsync([feed], f => FeedSources.For(f, http, SourcesKit.Options()), _errors, Ct);

        Assert.False(second[0].Updated);
        Assert.Contains("http-list", second[0].Failure, StringComparison.Ordinal);
        Assert.Contains("500", second[0].Failure, StringComparison.Ordinal);
        Assert.Contains(server.Url("/list.txt"), second[0].Failure, StringComparison.Ordinal);
        Assert.Equal(MatchReason.Cidr, Lookup(ObservableType.Ipv4, "198.51.100.9")!.Reason);
        var status = Assert.Single(await _store.ListFeedsAsync(Ct));
        Assert.Equal((Now, Now.AddHours(1), 2), (status.UpdatedAt, status.AttemptedAt, status.Indicators));
        Assert.Equal(second[0].Failure, status.LastError);
    }

    [Fact]
    public async Task A_response_over_the_size_cap_is_refused_and_the_previous_indicators_stay()
    {
        var big = false;
        await using var server = new LoopbackServer(_ => LoopbackResponse.Text(big ? string.Concat(Enumerable.Repeat("203.0.113.8\n", 1000)) : "203.0.113.7\n"));
        var feed = SourcesKit.Feed(server.Url("/list.txt"), FeedKind.List, "capped") with { MaxBytes = 1024 };
        using var http = FeedHttp.CreateClient(SourcesKit.Options());
        await _intel.UpdateAsync([feed], f => FeedSources.For(f, http, SourcesKit.Options()), _errors, Ct);

        big = true;
        var update = await _intel.UpdateAsync([feed], f => FeedSources.For(f, http, SourcesKit.Options()), _errors, Ct);

        Assert.StartsWith($"feed 'capped' ({server.Url("/list.txt")})", update[0].Failure, StringComparison.Ordinal);
        Assert.Contains("cap of 1,024 bytes", update[0].Failure, StringComparison.Ordinal);
        Assert.NotNull(Lookup(ObservableType.Ipv4, "203.0.113.7"));
        Assert.Null(Lookup(ObservableType.Ipv4, "203.0.113.8"));
    }

    [Fact]
    public async Task An_unchanged_file_is_not_modified_and_keeps_its_indicators()
    {
        var path = WriteFile("list.txt", "203.0.113.7\n");
        var feed = new FeedDefinition { Name = "local", Kind = FeedKind.List, Location = path };
        using var http = FeedHttp.CreateClient(SourcesKit.Options());
        await _intel.UpdateAsync([feed], f => FeedSources.For(f, http), _errors, Ct);

        var again = await _intel.UpdateAsync([feed], f => FeedSources.For(f, http), _errors, Ct);

        Assert.True(again[0].NotModified);
        Assert.Equal(1, again[0].Indicators);
        Assert.NotNull(Lookup(ObservableType.Ipv4, "203.0.113.7"));
    }

    [Fact]
    public async Task TAXII_updates_fetch_only_what_was_added_and_keep_what_came_before()
    {
        await using var taxii = new TaxiiTestServer();
        taxii.Add(3);
        var feed = SourcesKit.Feed(taxii.Collection, FeedKind.Taxii, "isac");
        using var http = FeedHttp.CreateClient(SourcesKit.Options());
        var first = await _intel.UpdateAsync([feed], f => FeedSources.For(f, http, SourcesKit.Options()), _errors, Ct);
        taxii.Add(2);

        var second = await _intel.UpdateAsync([feed], f => FeedSources.For(f, http, SourcesKit.Options()), _errors, Ct);

        Assert.Equal(3, first[0].Indicators);
        Assert.Equal(5, second[0].Indicators);
        Assert.Contains(taxii.Http.Requests, r => r.Query("added_after") is not null);
        Assert.NotNull(Lookup(ObservableType.Ipv4, "203.0.113.1"));
        Assert.NotNull(Lookup(ObservableType.Ipv4, "203.0.113.5"));
    }

    private async Task AssertKeptAsync(string feed, int indicators)
    {
        Assert.Equal(indicators, (await _store.ReadFeedIndicatorsAsync(feed, Ct)).Count);
        Assert.Equal(indicators, _intel.Current.CountByFeed()[feed]);
        var status = (await _store.ListFeedsAsync(Ct)).Single(f => f.Name == feed);
        Assert.NotNull(status.LastError);
        Assert.Equal(indicators, status.Indicators);
    }

    private static string Bundle(params (string Id, string Pattern, string? ValidUntil, bool Revoked)[] indicators)
    {
        var objects = indicators.Select(i => $$"""
            {"type":"indicator","spec_version":"2.1","id":"{{i.Id}}","created":"2025-01-01T00:00:00Z","modified":"2025-01-01T00:00:00Z",
             "pattern":"{{i.Pattern}}","pattern_type":"stix","valid_from":"2019-01-01T00:00:00Z"{{(i.ValidUntil is null ? "" : $",\"valid_until\":\"{i.ValidUntil}\"")}}{{(i.Revoked ? ",\"revoked\":true" : "")}}}
            """);
        return $$"""{"type":"bundle","id":"bundle--00000000-0000-4000-8000-000000000000","objects":[{{string.Join(',', objects)}}]}""";
    }
}
