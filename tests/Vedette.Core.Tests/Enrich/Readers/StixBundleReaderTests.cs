using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Vedette.Domain;
using Vedette.Enrich.Intel;
using Vedette.Enrich.Intel.Readers;
using Vedette.Pipeline;

namespace Vedette.Tests.Enrich.Readers;

public sealed class StixBundleReaderTests
{
    private static readonly StixBundleReader Reader = new();

    private static string Stix(params string[] parts) => SharedData.Path(["intel", "stix21", .. parts]);

    /// <summary>The file's own account of itself: its indicator objects and their patterns, read with JsonDocument.</summary>
    private static List<(string Id, string Pattern)> IndicatorObjects(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return [.. document.RootElement.GetProperty("objects").EnumerateArray()
            .Where(item => item.GetProperty("type").GetString() == "indicator")
            .Select(item => (item.GetProperty("id").GetString()!, item.GetProperty("pattern").GetString()!))];
    }

    [Fact]
    public async Task The_APT1_report_has_12_indicator_objects_and_only_its_certificate_patterns_are_reported()
    {
        var errors = new ErrorReport();
        var path = Stix("examples", "threat-reports", "apt1.json");

        var result = await FeedReading.FileAsync(Reader, path, errors);

        var objects = IndicatorObjects(path);
        Assert.Equal(12, objects.Count);
        Assert.Equal(objects.Count, result.DeclaredRecords);
        Assert.Equal(new SortedDictionary<string, int> { ["cidr"] = 4, ["domain"] = 3, ["md5"] = 3 }, FeedReading.CountByType(result.Indicators));
        Assert.Contains(result.Indicators, i => i.Value == Observable.Parse(ObservableType.Cidr, "223.166.0.0/15"));
        Assert.Contains(result.Indicators, i => i.Tags.Contains("mandiant-attack-lifecycle-model:establish-foothold"));
        // The two x509-certificate patterns are "issuer AND serial_number": both parts of both are named, with the indicator.
        var certificates = objects.Where(o => o.Pattern.Contains("x509-certificate", StringComparison.Ordinal)).Select(o => o.Id).ToList();
        Assert.Equal(2, certificates.Count);
        Assert.Equal(4, errors.Count);
        Assert.All(errors.Kept, e => Assert.Contains("x509-certificate:", e.Message, StringComparison.Ordinal));
        Assert.All(certificates, id => Assert.Equal(2, errors.Kept.Count(e => e.Message.StartsWith(id, StringComparison.Ordinal))));
        Assert.Equal(4, result.Rejected);
        Assert.Null(result.Failure);
    }

    [Fact]
    public async Task The_Poison_Ivy_report_has_25_indicator_objects_and_every_OR_operand_is_an_indicator()
    {
        var errors = new ErrorReport();
        var path = Stix("examples", "threat-reports", "poisonivy.json");

        var result = await FeedReading.FileAsync(Reader, path, errors);

        var objects = IndicatorObjects(path);
        Assert.Equal(25, objects.Count);
        Assert.Equal(objects.Count, result.DeclaredRecords);
        var comparisons = objects.Sum(o => Regex.Count(o.Pattern, " = '"));
        // One comparison names "domain autuo.xicp.net", which is no domain: reported with its indicator, not kept.
        var invalid = Assert.Single(errors.Kept);
        Assert.Contains("indicator--4e4c4ad7-4909-456a-b6fa-e24a6f682a40", invalid.Message, StringComparison.Ordinal);
        Assert.Contains("domain autuo.xicp.net", invalid.Message, StringComparison.Ordinal);
        Assert.Equal(comparisons - 1, result.Indicators.Count);
        Assert.Contains(result.Indicators, i => i.Value == Observable.Parse(ObservableType.File, "CBricksDoc"));
        Assert.DoesNotContain(result.Indicators, i => i.Tags.Contains(StixBundleReader.ConjunctionTag));
        Assert.All(result.Indicators, i => Assert.Equal(["malicious-activity", "attribution"], i.Tags));
    }

    [Fact]
    public async Task Every_small_example_and_interop_sample_loads_and_only_unsupported_patterns_are_reported()
    {
        var files = Directory.GetFiles(Stix("examples"), "*.json").Concat(Directory.GetFiles(Stix("interop"), "*.json")).ToList();
        Assert.True(files.Count >= 25, $"found {files.Count} files");
        var indicators = 0;
        var errors = new ErrorReport();
        foreach (var file in files)
        {
            indicators += (await FeedReading.FileAsync(Reader, file, errors)).Indicators.Count;
        }
        // indicator-for-c2-ip-address, indicators-for-C2-with-COA (an address and a SHA-256), indicator-to-campaign-relationship.
        Assert.Equal(4, indicators);
        // The malicious e-mail example matches subjects and attachment names with MATCHES: a regular expression, not a value.
        Assert.Equal(2, errors.Count);
        Assert.All(errors.Kept, e => Assert.Contains("operator MATCHES", e.Message, StringComparison.Ordinal));
        Assert.All(errors.Kept, e => Assert.Contains("malicious-email-indicator-with-attachment.json", e.Ref.Origin, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OR_operands_are_plain_indicators_and_AND_operands_are_tagged_as_parts_of_a_conjunction()
    {
        var (result, errors) = await ReadAsync(
            Indicator("indicator--or", "[domain-name:value = 'evil.example' OR ipv4-addr:value = '198.51.100.7']"),
            Indicator("indicator--and", "[file:hashes.MD5 = '0123456789abcdef0123456789abcdef' AND file:name = 'dropper.exe']"),
            Indicator("indicator--between", "[url:value = 'http://evil.example/a'] AND [email-addr:value = 'Boss@Evil.example']"),
            Indicator("indicator--followed", "[ipv4-addr:value = '203.0.113.9'] FOLLOWEDBY [autonomous-system:number = 64496]"));

        Assert.Equal(4, result.DeclaredRecords);
        Assert.Equal(8, result.Indicators.Count);
        Assert.Empty(Tagged(result, "evil.example").Intersect([StixBundleReader.ConjunctionTag]));
        Assert.Empty(Tagged(result, "198.51.100.7").Intersect([StixBundleReader.ConjunctionTag]));
        foreach (var value in new[] { "0123456789abcdef0123456789abcdef", "dropper.exe", "http://evil.example/a", "boss@evil.example", "203.0.113.9", "AS64496" })
        {
            Assert.Contains(StixBundleReader.ConjunctionTag, Tagged(result, value));
        }
        // FOLLOWEDBY is a sequence the store cannot check: said once, with the indicator.
        var followed = Assert.Single(errors.Kept);
        Assert.StartsWith("indicator--followed: 'FOLLOWEDBY'", followed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Networks_in_address_comparisons_are_networks_and_every_hash_spelling_is_understood()
    {
        var (result, errors) = await ReadAsync(
            Indicator("indicator--nets", "[ipv4-addr:value = '223.166.1.0/15' OR ipv6-addr:value = '2001:DB8::/32' OR ipv6-addr:value = '2001:db8::1']"),
            Indicator("indicator--hashes", "[file:hashes.'SHA-256' = 'EF537F25C895BFA782526529A9B63D97AA631564D5D789C2B765448C8635FB6C' OR file:hashes.SHA256 = '" + new string('a', 64) + "' OR file:hashes.'SHA-1' = '" + new string('b', 40) + "' OR file:hashes.SHA1 = '" + new string('c', 40) + "' OR file:hashes.MD5 = '" + new string('d', 32) + "' OR file:hashes.md5 = '" + new string('e', 32) + "']"),
            Indicator("indicator--in", "[ipv4-addr:value IN ('192.0.2.1', '192.0.2.2')]"));

        Assert.Empty(errors.Kept);
        Assert.Equal(new SortedDictionary<string, int> { ["cidr"] = 2, ["ipv4"] = 2, ["ipv6"] = 1, ["md5"] = 2, ["sha1"] = 2, ["sha256"] = 2 }, FeedReading.CountByType(result.Indicators));
        Assert.Contains(result.Indicators, i => i.Value.ToString() == "cidr:223.166.0.0/15");
        Assert.Contains(result.Indicators, i => i.Value.ToString() == "cidr:2001:db8::/32");
        Assert.Contains(result.Indicators, i => i.Value.ToString() == "sha256:ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c");
    }

    [Fact]
    public async Task Unsupported_parts_are_reported_with_the_indicator_id_and_the_supported_parts_are_kept()
    {
        var (result, errors) = await ReadAsync(
            Indicator("indicator--mixed", "[ipv4-addr:value = '198.51.100.7' OR process:name = 'evil.exe' OR url:value MATCHES '^http://x' OR domain-name:value NOT = 'good.example' OR file:hashes.'SHA-512' = 'ab'] WITHIN 300 SECONDS"),
            Indicator("indicator--sigma", "title: x", "\"pattern_type\": \"sigma\","),
            Indicator("indicator--broken", "[ipv4-addr:value = '198.51.100.8'"));

        var kept = Assert.Single(result.Indicators);
        Assert.Equal(Observable.Parse(ObservableType.Ipv4, "198.51.100.7"), kept.Value);
        var messages = errors.Kept.Select(e => e.Message).ToList();
        Assert.Equal(7, messages.Count);
        Assert.All(messages.Take(5), m => Assert.StartsWith("indicator--mixed: ", m, StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'WITHIN 300 SECONDS' is not evaluated", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'process:name = 'evil.exe'' is not supported (object path process:name)", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("(operator MATCHES)", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'domain-name:value NOT = 'good.example'' is not supported (NOT)", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("object path file:hashes.SHA-512", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("indicator--sigma: pattern_type 'sigma'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("indicator--broken: the pattern does not parse at character 33", StringComparison.Ordinal));
        Assert.Equal(7, result.Rejected);
        Assert.All(errors.Kept, e => Assert.Equal("intel", e.Stage));
    }

    [Fact]
    public async Task Revocation_validity_confidence_labels_and_kill_chain_phases_are_carried()
    {
        var (result, errors) = await ReadAsync(Indicator("indicator--full", "[domain-name:value = 'evil.example']", """
            "revoked": true, "confidence": 85, "labels": ["apt"], "indicator_types": ["malicious-activity"],
            "valid_from": "2024-01-02T03:04:05Z", "valid_until": "2024-02-01T00:00:00.000Z", "modified": "2024-01-05T00:00:00Z",
            "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "command-and-control"}],
            """));

        Assert.Empty(errors.Kept);
        var indicator = Assert.Single(result.Indicators);
        Assert.True(indicator.Revoked);
        Assert.Equal(85, indicator.Score);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), indicator.FirstSeen);
        Assert.Equal(new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero), indicator.ValidUntil);
        Assert.Equal(new DateTimeOffset(2024, 1, 5, 0, 0, 0, TimeSpan.Zero), indicator.LastSeen);
        Assert.Equal(["apt", "malicious-activity", "mitre-attack:command-and-control"], indicator.Tags);
    }

    [Fact]
    public async Task A_bare_array_a_single_object_and_a_TAXII_envelope_are_read_like_a_bundle()
    {
        var one = Indicator("indicator--1", "[ipv4-addr:value = '192.0.2.1']");
        var two = Indicator("indicator--2", "[ipv4-addr:value = '192.0.2.2']");
        foreach (var document in new[] { $"[{one},{two}]", $$"""{"more": false, "objects": [{{one}}, {{two}}], "next": "x"}""" })
        {
            var errors = new ErrorReport();
            var result = await FeedReading.TextAsync(Reader, document, errors);
            Assert.Equal(2, result.Indicators.Count);
            Assert.Empty(errors.Kept);
        }
        var single = await FeedReading.TextAsync(Reader, one, new ErrorReport());
        Assert.Equal("ipv4:192.0.2.1", Assert.Single(single.Indicators).Value.ToString());
    }

    [Fact]
    public async Task A_cut_off_bundle_keeps_the_indicators_of_the_objects_before_the_cut_and_says_where_it_broke()
    {
        var text = Bundle(
            Indicator("indicator--1", "[ipv4-addr:value = '192.0.2.1']"),
            Indicator("indicator--2", "[ipv4-addr:value = '192.0.2.2']"),
            Indicator("indicator--3", "[ipv4-addr:value = '192.0.2.3']"));
        var cut = text[..(text.IndexOf("indicator--3", StringComparison.Ordinal) + 20)];
        var errors = new ErrorReport();

        var result = await FeedReading.TextAsync(Reader, cut, errors, FeedReading.Feed(FeedKind.Stix, "cut-feed"));

        Assert.Equal(["ipv4:192.0.2.1", "ipv4:192.0.2.2"], result.Indicators.Select(i => i.Value.ToString()));
        var error = Assert.Single(errors.Kept);
        Assert.Equal("cut-feed (memory)", error.Ref.Origin);
        Assert.Matches(@"JSON cut off or malformed at line \d+, byte \d+ .*ends at byte \d+", error.Message);
        Assert.Equal($"line {error.Ref.Line}: {error.Message}", result.Failure);
    }

    [Fact]
    public async Task A_real_bundle_cut_in_half_keeps_what_came_before_the_cut()
    {
        var bytes = File.ReadAllBytes(Stix("examples", "threat-reports", "poisonivy.json"));
        var whole = await FeedReading.BytesAsync(Reader, bytes, new ErrorReport());
        // Cut inside the 13th of the 25 indicator objects.
        var text = Encoding.UTF8.GetString(bytes);
        var cut = Encoding.UTF8.GetByteCount(text[..(Regex.Matches(text, "\"type\": \"indicator\"")[12].Index + 30)]);
        var errors = new ErrorReport();

        var half = await FeedReading.BytesAsync(Reader, bytes[..cut], errors);

        Assert.InRange(half.Indicators.Count, 1, whole.Indicators.Count - 1);
        Assert.Equal(whole.Indicators.Take(half.Indicators.Count).Select(i => i.Value), half.Indicators.Select(i => i.Value));
        Assert.Contains(errors.Kept, e => e.Message.Contains("JSON cut off or malformed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Objects_and_documents_larger_than_the_read_window_are_still_read_whole()
    {
        var big = Indicator("indicator--big", "[ipv4-addr:value = '192.0.2.1']", $"\"description\": \"{new string('x', 300_000)}\",");
        var after = Indicator("indicator--after", "[ipv4-addr:value = '192.0.2.2']");
        // In a bundle; alone; and in an envelope whose record array comes after a large property, with a byte-order mark.
        string[] documents = [Bundle(big, after), big, "\uFEFF" + $$"""{"note": "{{new string('y', 200_000)}}", "objects": [{{big}}, {{after}}]}"""];
        int[] expected = [2, 1, 2];
        for (var i = 0; i < documents.Length; i++)
        {
            var errors = new ErrorReport();
            var result = await FeedReading.TextAsync(Reader, documents[i], errors);
            Assert.Empty(errors.Kept);
            Assert.Equal(expected[i], result.Indicators.Count);
        }
    }

    [Fact]
    public async Task A_document_that_is_no_object_or_array_or_has_data_after_it_is_reported()
    {
        foreach (var text in new[] { "\"bundle\"", "", Bundle(Indicator("indicator--1", "[ipv4-addr:value = '192.0.2.1']")) + " {}" })
        {
            var errors = new ErrorReport();
            var result = await FeedReading.TextAsync(Reader, text, errors);
            var single = Assert.Single(errors.Kept);
            Assert.Equal(single.Ref.Line > 0 ? $"line {single.Ref.Line}: {single.Message}" : single.Message, result.Failure);
        }
    }

    [Fact]
    public async Task JSON_nested_deeper_than_64_levels_is_refused_with_an_error()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100));
        var errors = new ErrorReport();

        var result = await FeedReading.TextAsync(Reader, Bundle(Indicator("indicator--1", "[ipv4-addr:value = '192.0.2.1']"), deep), errors);

        Assert.Single(result.Indicators);
        Assert.Contains("depth", Assert.Single(errors.Kept).Message, StringComparison.OrdinalIgnoreCase);
    }

    private static IEnumerable<string> Tagged(FeedReadResult result, string value) =>
        result.Indicators.Single(i => i.Value.Value == value).Tags;

    private static async Task<(FeedReadResult Result, ErrorReport Errors)> ReadAsync(params string[] objects)
    {
        var errors = new ErrorReport();
        return (await FeedReading.TextAsync(Reader, Bundle(objects), errors), errors);
    }

    private static string Bundle(params string[] objects) =>
        new StringBuilder("{\"type\": \"bundle\", \"id\": \"bundle--test\", \"objects\": [\n").AppendJoin(",\n", objects).Append("\n]}").ToString();

    private const string ValidFrom = "\"valid_from\": \"2024-01-01T00:00:00Z\",";

    private static string Indicator(string id, string pattern, string extra = ValidFrom) => $$"""
        {"type": "indicator", "spec_version": "2.1", "id": "{{id}}", {{extra}}
         "pattern": {{JsonSerializer.Serialize(pattern)}}}
        """;
}
