using System.Text;
using System.Text.Json;
using Vedette.Domain;
using Vedette.Enrich.Intel;
using Vedette.Enrich.Intel.Readers;
using Vedette.Pipeline;

namespace Vedette.Tests.Enrich.Readers;

public sealed class MispFeedReaderTests
{
    private const string Locky = "5721c2e4-05ec-4af3-9264-411b950d210f.json";

    private static readonly MispFeedReader Reader = new();

    private static string Misp(params string[] parts) => SharedData.Path(["intel", .. parts]);

    /// <summary>
    /// The oracle, straight from the event's JSON: for every attribute with to_ids true, the observable types its
    /// value names, by the MISP type's documented meaning. A type missing here fails the test, so none is passed over.
    /// </summary>
    private static SortedDictionary<string, int> ExpectedByType(string path)
    {
        var meaning = new Dictionary<string, string[]>
        {
            ["url"] = ["url"],
            ["domain"] = ["domain"],
            ["hostname"] = ["domain"],
            ["ip-dst"] = ["ip"],
            ["md5"] = ["md5"],
            ["sha1"] = ["sha1"],
            ["sha256"] = ["sha256"],
            ["filename"] = ["file"],
            ["filename|sha1"] = ["file", "sha1"],
            ["filename|sha256"] = ["file", "sha256"],
            ["malware-sample"] = ["file", "md5"],
        };
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var attribute in document.RootElement.GetProperty("Event").GetProperty("Attribute").EnumerateArray())
        {
            if (!attribute.GetProperty("to_ids").GetBoolean())
            {
                continue;
            }
            foreach (var type in meaning[attribute.GetProperty("type").GetString()!])
            {
                var name = type == "ip" ? (attribute.GetProperty("value").GetString()!.Contains(':', StringComparison.Ordinal) ? "ipv6" : "ipv4") : type;
                counts[name] = counts.GetValueOrDefault(name) + 1;
            }
        }
        return counts;
    }

    [Fact]
    public async Task The_Locky_event_gives_per_type_exactly_what_its_attributes_for_detection_hold()
    {
        var errors = new ErrorReport();
        var path = Misp("misp-feed", Locky);

        var result = await MispFeedReader.ReadEventsAsync(new FileFeedLocation(path), FeedReading.Feed(FeedKind.Misp), errors, CancellationToken.None);

        Assert.Empty(errors.Kept);
        Assert.Equal(ExpectedByType(path), FeedReading.CountByType(result.Feed.Indicators));
        Assert.Equal(1, result.Events);
        Assert.Equal(152, result.Attributes);
        // The 25 links to VirusTotal reports are context, not indicators (to_ids false).
        Assert.Equal(25, result.NotForDetection);
        Assert.Empty(result.OtherTypes);
    }

    [Fact]
    public async Task The_feed_folder_reads_every_event_its_manifest_names()
    {
        var errors = new ErrorReport();

        var result = await MispFeedReader.ReadEventsAsync(new FileFeedLocation(Misp("misp-feed")), FeedReading.Feed(FeedKind.Misp), errors, CancellationToken.None);

        Assert.Empty(errors.Kept);
        Assert.Null(result.Feed.Failure);
        Assert.Equal(2, result.Events);
        Assert.Equal(ExpectedByType(Misp("misp-feed", Locky)), FeedReading.CountByType(result.Feed.Indicators));
        var sample = result.Feed.Indicators.First(i => i.Value == Observable.Parse(ObservableType.Md5, "f34888e54bb3f7a95fc262cec94afe84"));
        Assert.Contains("malware_classification:malware-category=\"Ransomware\"", sample.Tags);
        Assert.Contains("tlp:white", sample.Tags);
        Assert.Contains("category:Payload delivery", sample.Tags);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1461830664), sample.LastSeen);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1461830664), sample.FirstSeen);
    }

    [Fact]
    public async Task A_single_event_file_is_read_and_its_galaxy_tags_carried()
    {
        var errors = new ErrorReport();
        var path = Misp("misp-event", "misp_event.json");

        var result = await MispFeedReader.ReadEventsAsync(new FileFeedLocation(path), FeedReading.Feed(FeedKind.Misp), errors, CancellationToken.None);

        Assert.Empty(errors.Kept);
        Assert.Equal(ExpectedByType(path), FeedReading.CountByType(result.Feed.Indicators));
        Assert.Equal(13, result.Feed.Indicators.Count);
        // Nine ip-dst and one link are marked not for detection.
        Assert.Equal(10, result.NotForDetection);
        Assert.All(result.Feed.Indicators, i => Assert.Contains("misp-galaxy:tool=\"Dridex\"", i.Tags));
    }

    [Fact]
    public async Task A_composite_value_gives_one_indicator_per_part_and_object_attributes_count_too()
    {
        var sha256 = new string('a', 64);
        var misp = $$$"""
            {"Event": {"uuid": "e1", "Tag": [{"name": "tlp:green"}], "Attribute": [
              {"uuid": "a1", "type": "filename|sha256", "category": "Payload delivery", "to_ids": true, "value": "invoice.exe|{{{sha256}}}", "timestamp": "1700000000",
               "first_seen": "2023-11-01T00:00:00+00:00", "Tag": [{"name": "kill-chain:delivery"}]},
              {"uuid": "a2", "type": "domain|ip", "to_ids": true, "value": "evil.example|2001:db8::5"},
              {"uuid": "a3", "type": "mutex", "to_ids": true, "value": "Global\\x"},
              {"uuid": "a4", "type": "ip-dst|port", "to_ids": "1", "value": "198.51.100.7|443"}],
             "Object": [{"name": "file", "Attribute": [{"uuid": "o1", "type": "md5", "to_ids": true, "value": "{{{new string('b', 32)}}}"}]}]}}
            """;
        var errors = new ErrorReport();

        var result = await MispFeedReader.ReadEventsAsync(new MemoryFeedLocation("event.json", Encoding.UTF8.GetBytes(misp)), FeedReading.Feed(FeedKind.Misp), errors, CancellationToken.None);

        Assert.Empty(errors.Kept);
        Assert.Equal(["file:invoice.exe", $"sha256:{sha256}", "domain:evil.example", "ipv6:2001:db8::5", "ipv4:198.51.100.7", $"md5:{new string('b', 32)}"], result.Feed.Indicators.Select(i => i.Value.ToString()));
        var file = result.Feed.Indicators[0];
        Assert.Equal(["tlp:green", "kill-chain:delivery", "category:Payload delivery"], file.Tags);
        Assert.Equal(new DateTimeOffset(2023, 11, 1, 0, 0, 0, TimeSpan.Zero), file.FirstSeen);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), file.LastSeen);
        Assert.Equal(file.Tags, result.Feed.Indicators[1].Tags);
        Assert.Equal(1, result.OtherTypes["mutex"]);
        Assert.Equal(5, result.Attributes);
    }

    [Fact]
    public async Task Bad_values_and_a_missing_event_file_are_reported_and_the_rest_is_read()
    {
        var good = """{"Event": {"uuid": "11111111-1111-1111-1111-111111111111", "Attribute": [{"uuid": "g1", "type": "ip-dst", "to_ids": true, "value": "192.0.2.1"}, {"uuid": "bad-ip", "type": "ip-src", "to_ids": true, "value": "999.1.1.1"}, {"uuid": "bad-hash", "type": "filename|sha1", "to_ids": true, "value": "a.exe|abc"}]}}""";
        var manifest = """{"11111111-1111-1111-1111-111111111111": {"info": "good"}, "22222222-2222-2222-2222-222222222222": {"info": "missing"}, "../../etc/passwd": {}}""";
        var location = new MemoryFeedLocation("feed", Encoding.UTF8.GetBytes(manifest), new Dictionary<string, string> { ["11111111-1111-1111-1111-111111111111.json"] = good });
        var errors = new ErrorReport();

        var result = await Reader.ReadAsync(location, FeedReading.Feed(FeedKind.Misp, "circl"), errors, CancellationToken.None);

        Assert.Equal(["ipv4:192.0.2.1", "file:a.exe"], result.Indicators.Select(i => i.Value.ToString()));
        var messages = FeedReading.Messages(errors).ToList();
        Assert.Equal(4, messages.Count);
        Assert.Contains(messages, m => m.StartsWith("circl (feed): intel: manifest entry '../../etc/passwd' is not an event UUID", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("circl (feed/22222222-2222-2222-2222-222222222222.json): intel: the manifest names an event file that cannot be read", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("attribute bad-ip (ip-src): '999.1.1.1' is not a valid ipv4", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("attribute bad-hash (filename|sha1): 'abc' is not a valid sha1", StringComparison.Ordinal));
        // A bad entry is rejected; an event file that cannot be read means the feed was not read to its end.
        Assert.Equal(3, result.Rejected);
        Assert.StartsWith("22222222-2222-2222-2222-222222222222.json: the manifest names an event file that cannot be read", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cut_off_event_file_is_an_error_with_its_position_not_an_exception()
    {
        var bytes = File.ReadAllBytes(Misp("misp-feed", Locky));
        var errors = new ErrorReport();

        var result = await FeedReading.BytesAsync(Reader, bytes[..20_000], errors);

        Assert.Empty(result.Indicators);
        var error = Assert.Single(errors.Kept);
        Assert.Matches(@"^JSON cut off or malformed at line \d+, byte \d+", error.Message);
        Assert.Equal($"line {error.Ref.Line}: {error.Message}", result.Failure);
        Assert.Equal("test-feed (memory)", error.Ref.Origin);
    }
}
