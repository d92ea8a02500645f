using System.Text;
using Microsoft.Extensions.Time.Testing;
using Vedette.Domain;
using Vedette.Ingest;

namespace Vedette.Tests.Ingest;

public sealed class RecordNormalizerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    private NormalizedRecord Normalize(string line) =>
        new RecordNormalizer(_time).Normalize(Encoding.UTF8.GetBytes(line), new RecordRef("test.ndjson", 7));

    /// <summary>
    /// An alert's evidence is the record's fields with their values as written; where ingest derived fields, or a
    /// name repeats, the decoded fields are written instead. Either way the evidence reads back to the same fields.
    /// </summary>
    [Theory]
    [InlineData(FlatWithEscapes)]
    [InlineData("""{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{"Image":"a\"b"}}}""")]
    [InlineData(SshdWithDerivedFields)]
    [InlineData("""{"EventID":1,"Channel":"x","Image":"first","Image":"second"}""")]
    public void Evidence_reads_back_to_the_events_fields(string line)
    {
        var e = Normalize(line).Event;
        using var document = System.Text.Json.JsonDocument.Parse(e.ToJson());
        var properties = document.RootElement.EnumerateObject().ToList();
        Assert.Equal(e.Fields.Count, properties.Count);
        foreach (var property in properties)
        {
            var field = e.Fields[property.Name];
            Assert.Equal(
                field.Kind == FieldKind.List ? string.Join("|", field.Items) : field.Text,
                property.Value.ValueKind switch
                {
                    System.Text.Json.JsonValueKind.String => property.Value.GetString(),
                    System.Text.Json.JsonValueKind.Array => string.Join("|", property.Value.EnumerateArray().Select(item => item.ToString())),
                    System.Text.Json.JsonValueKind.Null => null,
                    _ => property.Value.GetRawText(),
                });
        }
    }

    [Fact]
    public void Evidence_keeps_values_as_the_record_wrote_them()
    {
        var evidence = Normalize(FlatWithEscapes).Event.ToJson();
        Assert.Contains("""
            "Note":"caf\u00e9"
            """, evidence, StringComparison.Ordinal);
        Assert.Contains("""
            "tags":[1,"two"]
            """, evidence, StringComparison.Ordinal);
        // Derived fields are not in the record: those events are written from their decoded fields.
        Assert.Contains("""
            "outcome":"failure"
            """, Normalize(SshdWithDerivedFields).Event.ToJson(), StringComparison.Ordinal);
    }

    private const string FlatWithEscapes =
        """{"@timestamp":"2026-11-02T07:00:01Z","EventID":4688,"Channel":"Security","NewProcessName":"C:\\Windows\\cmd.exe","Note":"caf\u00e9","Ok":true,"Gone":null,"tags":[1,"two"]}""";

    private const string SshdWithDerivedFields =
        """{"@timestamp":"2026-11-02T07:00:00Z","host":"web01","program":"sshd","message":"Failed password for root from 203.0.113.7 port 1 ssh2"}""";

    /// <summary>
    /// Records read into one reader's reused buffers read exactly as records read into copies of their own,
    /// whatever the record before left decoded or derived, at every field count; the event read before the last
    /// read throws instead of showing another record's fields, and a copy retained from it does not.
    /// </summary>
    [Fact]
    public void Reused_buffers_read_every_record_as_copies_do_and_a_stale_event_throws()
    {
        var random = new Random(17);
        string Value() => random.Next(4) switch
        {
            0 => random.Next(100_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            1 => "\"C:\\\\Windows\\\\" + random.Next(1000) + ".exe\"",
            2 => "\"caf\\u00e9 " + random.Next(1000) + "\"",
            _ => "\"" + new string('x', random.Next(0, 300)) + "\"",
        };
        string Flat() =>
            "{\"@timestamp\":\"2026-11-02T07:00:01Z\",\"EventID\":1,\"Channel\":\"Sysmon\","
            + string.Join(",", Enumerable.Range(0, random.Next(1, 150)).Select(i => $"\"F{i}\":{Value()}")) + "}";
        string[] fixedLines = [FlatWithEscapes, SshdWithDerivedFields, """{"Event":{"System":{"EventID":1,"Channel":"x"},"EventData":{"Image":"a\"b"}}}"""];
        var reader = new RecordNormalizer(_time, reuseBuffers: true);
        Event? previous = null;
        Event? retained = null;
        string? retainedJson = null;
        for (var round = 0; round < 400; round++)
        {
            var line = random.Next(4) == 0 ? fixedLines[random.Next(fixedLines.Length)] : Flat();
            var e = reader.Normalize(Encoding.UTF8.GetBytes(line), new RecordRef("test.ndjson", round)).Event;
            var owned = Normalize(line).Event;
            // Decode some fields only, so that the next record meets a partly filled cache of decoded values.
            for (var i = 0; i < e.FieldCount; i += random.Next(1, 4))
            {
                var name = owned.Fields.Keys.ElementAt(i);
                Assert.True(e.TryGet(name, out var value));
                Assert.Equal(owned.Fields[name], value);
            }
            Assert.Equal(owned.Fields, e.Fields);
            Assert.Equal(owned.ToJson(), e.ToJson());
            if (previous is not null)
            {
                Assert.Throws<InvalidOperationException>(() => previous.TryGet("EventID", out _));
            }
            if (retained is not null)
            {
                Assert.Equal(retainedJson, retained.ToJson());
            }
            if (round % 7 == 0)
            {
                retained = e.Retain();
                retainedJson = owned.ToJson();
            }
            previous = e;
        }
        // A record that fails to read may already have overwritten the buffers: the event before it is stale too.
        var last = reader.Normalize(Encoding.UTF8.GetBytes(FlatWithEscapes), new RecordRef("test.ndjson", 1)).Event;
        Assert.Throws<FormatException>(() => reader.Normalize(Encoding.UTF8.GetBytes("""{"EventID":1,"Channel":"x","Image":"""), new RecordRef("test.ndjson", 2)));
        Assert.Throws<InvalidOperationException>(() => last.ToJson());
    }

    [Fact]
    public void A_flat_Windows_event_keeps_its_field_names_and_takes_host_and_time()
    {
        var record = Normalize("""{"@timestamp":"2026-11-02T07:00:01.500Z","EventID":4625,"Channel":"Security","Hostname":"DC01.corp.example","TargetUserName":"jdoe","LogonType":"3"}""");
        var e = record.Event;
        Assert.Null(record.ExternalAlert);
        Assert.Equal("windows", e.Source);
        Assert.Equal("DC01.corp.example", e.Host);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 7, 0, 1, 500, TimeSpan.Zero), e.Timestamp);
        Assert.Equal("4625", e.GetText("EventID"));
        Assert.Equal(FieldKind.Number, e.Fields["EventID"].Kind);
        Assert.Equal("jdoe", e.GetText("TargetUserName"));
        Assert.Equal(new RecordRef("test.ndjson", 7), e.Ref);
    }

    [Fact]
    public void Nested_evtx_JSON_is_flattened_to_dotted_paths()
    {
        var record = Normalize("""{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"wks7","TimeCreated":{"#attributes":{"SystemTime":"2021-04-13T20:58:51.123456Z"}}},"EventData":{"Image":"C:\\x.exe","Tags":["a","b"],"Nothing":null}}}""");
        var e = record.Event;
        Assert.Equal("windows", e.Source);
        Assert.Equal("wks7", e.Host);
        Assert.Equal(2021, e.Timestamp.Year);
        Assert.Equal("C:\\x.exe", e.GetText("Event.EventData.Image"));
        Assert.Equal(["a", "b"], e.Fields["Event.EventData.Tags"].Items);
        Assert.True(e.Fields["Event.EventData.Nothing"].IsNull);
    }

    [Fact]
    public void An_sshd_syslog_record_gets_decoded_fields()
    {
        var e = Normalize("""{"@timestamp":"2026-11-02T07:00:00Z","host":"web01","program":"sshd","pid":4242,"message":"Failed password for invalid user admin from 203.0.113.7 port 51234 ssh2"}""").Event;
        Assert.Equal("linux", e.Source);
        Assert.Equal("failure", e.GetText("outcome"));
        Assert.Equal("admin", e.GetText("user"));
        Assert.Equal("203.0.113.7", e.GetText("src_ip"));
        Assert.Equal("51234", e.GetText("src_port"));
        Assert.Equal("invalid_user", e.GetText("reason"));
    }

    [Fact]
    public void A_Suricata_EVE_alert_from_suricata_verify_becomes_an_external_alert()
    {
        var line = File.ReadLines(SharedData.Path("ids", "suricata-verify", "alert-testmyids.eve.json")).First(l => l.Contains("\"event_type\":\"alert\"", StringComparison.Ordinal));
        var record = Normalize(line);
        var alert = record.ExternalAlert!;
        Assert.Equal("suricata", record.Event.Source);
        Assert.Equal("suricata:1:2100498", alert.RuleId);
        Assert.Equal("GPL ATTACK_RESPONSE id check returned root", alert.Title);
        Assert.Equal(Severity.Medium, alert.Severity);
        Assert.Equal(AlertOrigin.External, alert.Origin);
        Assert.Equal(new DateTimeOffset(2016, 7, 13, 22, 42, 7, 573, TimeSpan.Zero).AddTicks(1030), alert.FirstSeen);
        Assert.Contains(new Observable(ObservableType.Ipv4, "82.165.177.154"), alert.Observables);
        Assert.Contains(new Observable(ObservableType.Ipv4, "10.16.1.11"), alert.Observables);
        Assert.Contains(new Observable(ObservableType.Domain, "www.testmyids.com"), alert.Observables);
        Assert.Single(alert.Evidence);
    }

    [Fact]
    public void Every_EVE_alert_of_suricata_verify_maps_and_other_event_types_stay_events()
    {
        var alerts = 0;
        var events = 0;
        var normalizer = new RecordNormalizer(_time);
        foreach (var file in Directory.GetFiles(SharedData.Path("ids", "suricata-verify"), "*.eve.json"))
        {
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }
                var record = normalizer.Normalize(Encoding.UTF8.GetBytes(line), new RecordRef(file, number));
                events++;
                if (record.ExternalAlert is { } alert)
                {
                    alerts++;
                    Assert.StartsWith("suricata:", alert.RuleId, StringComparison.Ordinal);
                    Assert.NotEmpty(alert.Observables);
                }
            }
        }
        Assert.Equal(13, alerts); // SOURCES.md: 13 event_type "alert" records in all
        Assert.True(events > alerts);
    }

    [Fact]
    public void A_Vedette_shaped_external_alert_is_read_with_its_observables()
    {
        var record = Normalize("""{"kind":"alert","@timestamp":"2026-11-02T08:00:00Z","producer":"edr","title":"Ransomware behaviour","severity":"critical","observables":[{"type":"host","value":"WKS042.corp.example"},{"type":"sha256","value":"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"}],"tags":["attack.t1486"]}""");
        var alert = record.ExternalAlert!;
        Assert.Equal(Severity.Critical, alert.Severity);
        Assert.Equal("edr", alert.Producer);
        Assert.Contains(new Observable(ObservableType.Host, "wks042.corp.example"), alert.Observables);
        Assert.Contains(alert.Observables, o => o.Type == ObservableType.Sha256);
        Assert.Equal(["attack.t1486"], alert.Tags);
    }

    [Theory]
    [InlineData("{\"a\":", "malformed JSON")]
    [InlineData("[1,2]", "expected a JSON object")]
    [InlineData("{\"a\":1} {\"b\":2}", "malformed JSON at byte 8")]
    [InlineData("{\"kind\":\"alert\",\"title\":\"x\",\"severity\":\"urgent\"}", "unknown severity 'urgent'")]
    [InlineData("{\"kind\":\"alert\",\"severity\":\"high\"}", "without a 'title'")]
    [InlineData("{\"@timestamp\":\"yesterday-ish\"}", "not a timestamp")]
    public void Bad_records_fail_with_a_message_that_says_what_is_wrong(string line, string expected)
    {
        var error = Assert.Throws<FormatException>(() => Normalize(line));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_UTF8_is_refused_with_its_byte_offset()
    {
        byte[] line = [.. "{\"a\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        var error = Assert.Throws<FormatException>(() => new RecordNormalizer(_time).Normalize(line, new RecordRef("x", 1)));
        Assert.Contains("invalid UTF-8 at byte 6", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The scanner's pass tells ASCII records apart, and anything beyond ASCII is validated in full: wherever a bad
    /// byte falls (in a 64-byte block the vector pass covers, or in the tail after the last), and even in a record
    /// that is otherwise malformed JSON, the UTF-8 error is the one reported; valid non-ASCII text is read.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(130)]
    public void A_bad_byte_anywhere_is_found_and_valid_text_beyond_ascii_is_read(int padding)
    {
        var normalizer = new RecordNormalizer(_time);
        var prefix = "{\"p\":\"" + new string('x', padding) + "\",\"a\":\"";
        // A long field after the bad byte puts it inside a full 64-byte block when the padding is short.
        var suffix = "\",\"z\":\"" + new string('y', 200) + "\"}";
        byte[] valid = [.. Encoding.UTF8.GetBytes(prefix + "café" + suffix)];
        Assert.Equal("café", normalizer.Normalize(valid, new RecordRef("x", 1)).Event.GetText("a"));
        byte[] invalid = [.. Encoding.UTF8.GetBytes(prefix), 0xC3, 0x28, .. Encoding.UTF8.GetBytes(suffix)];
        var error = Assert.Throws<FormatException>(() => normalizer.Normalize(invalid, new RecordRef("x", 2)));
        Assert.Contains($"invalid UTF-8 at byte {prefix.Length}", error.Message, StringComparison.Ordinal);
        byte[] invalidAndMalformed = [.. Encoding.UTF8.GetBytes(prefix), 0xFF, .. "\"]"u8];
        error = Assert.Throws<FormatException>(() => normalizer.Normalize(invalidAndMalformed, new RecordRef("x", 3)));
        Assert.Contains($"invalid UTF-8 at byte {prefix.Length}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    [InlineData(5000, false)]
    public void JSON_nested_up_to_64_levels_is_read_and_deeper_is_refused(int objects, bool accepted)
    {
        var line = string.Concat(Enumerable.Repeat("{\"a\":", objects - 1)) + "{\"b\":1}" + new string('}', objects - 1);
        if (accepted)
        {
            Assert.Equal("1", Normalize(line).Event.GetText(string.Concat(Enumerable.Repeat("a.", objects - 1)) + "b"));
            return;
        }
        var error = Assert.Throws<FormatException>(() => Normalize(line));
        Assert.Contains("deeper than 64 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_without_a_timestamp_happened_when_it_arrived()
    {
        Assert.Equal(_time.GetUtcNow(), Normalize("{\"source\":\"dns\",\"query\":\"a.example\"}").Event.Timestamp);
    }
}
