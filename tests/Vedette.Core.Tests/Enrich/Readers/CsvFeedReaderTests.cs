using Vedette.Domain;
using Vedette.Enrich.Intel;
using Vedette.Enrich.Intel.Readers;
using Vedette.Pipeline;

namespace Vedette.Tests.Enrich.Readers;

public sealed class CsvFeedReaderTests
{
    private static readonly CsvFeedReader Reader = new();

    private static readonly CsvColumns Feodo = new()
    {
        Value = "dst_ip",
        Type = "ipv4",
        FirstSeen = "first_seen_utc",
        LastSeen = "last_online",
        Tags = ["malware"],
    };

    private static FeedDefinition Feed(CsvColumns columns, string name = "csv-feed") => FeedReading.Feed(FeedKind.Csv, name) with { Csv = columns };

    [Fact]
    public async Task The_Feodo_blocklist_gives_its_28_Pikabot_addresses_as_its_footer_says()
    {
        var errors = new ErrorReport();
        var path = SharedData.Path("intel", "abusech-feodo", "ipblocklist.csv");

        var result = await FeedReading.FileAsync(Reader, path, errors, Feed(Feodo));

        Assert.Empty(errors.Kept);
        Assert.Null(result.Failure);
        // The oracle: the rows themselves (lines that are neither comments nor the header), and the "# END 28 entries" footer.
        var rows = File.ReadLines(path).Count(l => l.Length > 0 && l[0] != '#' && !l.Contains("first_seen_utc", StringComparison.Ordinal));
        Assert.Equal(28, rows);
        Assert.Equal(rows, result.Indicators.Count);
        Assert.Equal(28, result.DeclaredRecords);
        Assert.All(result.Indicators, i => Assert.Equal(ObservableType.Ipv4, i.Value.Type));
        Assert.All(result.Indicators, i => Assert.Equal(["Pikabot"], i.Tags));
        var first = result.Indicators[0];
        Assert.Equal("192.9.135.73", first.Value.Value);
        Assert.Equal(new DateTimeOffset(2023, 5, 23, 17, 51, 44, TimeSpan.Zero), first.FirstSeen);
        Assert.Equal(new DateTimeOffset(2024, 4, 1, 0, 0, 0, TimeSpan.Zero), first.LastSeen);
    }

    [Fact]
    public async Task A_row_with_the_wrong_number_of_fields_is_reported_with_its_line_and_the_rest_is_read()
    {
        var text = """
            # test data
            first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware
            2024-01-01 00:00:00,192.0.2.1,443,online,2024-01-02,Pikabot
            2024-01-01 00:00:00,192.0.2.2,443,online,Pikabot
            2024-01-01 00:00:00,192.0.2.3,443,online,2024-01-02,QakBot
            """;
        var errors = new ErrorReport();

        var result = await FeedReading.TextAsync(Reader, text, errors, Feed(Feodo, "feodo"));

        Assert.Equal(["192.0.2.1", "192.0.2.3"], result.Indicators.Select(i => i.Value.Value));
        var error = Assert.Single(errors.Kept);
        Assert.Equal(new RecordRef("feodo (memory)", 4), error.Ref);
        Assert.Equal("5 fields where the header has 6", error.Message);
        Assert.Equal(1, result.Rejected);
    }

    [Fact]
    public async Task Quoted_fields_keep_delimiters_doubled_quotes_and_line_breaks()
    {
        var text = "value;type;score;tags\r\n\"evil.example\";domain;90;\"c2; \"\"loud\"\"\"\r\n\"http://evil.example/a;b\";url;;\"line one\nline two\"\r\n198.51.100.7;ip;;\r\n";
        var columns = new CsvColumns { Value = "value", TypeColumn = "type", Score = "score", Tags = ["tags"], Delimiter = ';' };
        var errors = new ErrorReport();

        var result = await FeedReading.TextAsync(Reader, text, errors, Feed(columns));

        Assert.Empty(errors.Kept);
        Assert.Equal(["domain:evil.example", "url:http://evil.example/a;b", "ipv4:198.51.100.7"], result.Indicators.Select(i => i.Value.ToString()));
        Assert.Equal(90, result.Indicators[0].Score);
        Assert.Equal(["c2; \"loud\""], result.Indicators[0].Tags);
        Assert.Equal(["line one\nline two"], result.Indicators[1].Tags);
        Assert.Null(result.Indicators[2].Score);
    }

    [Fact]
    public async Task A_commented_out_header_and_abuse_ch_type_names_are_understood()
    {
        // The ThreatFox CSV export's shape: the header is a comment, and ioc_type says what the value is.
        var text = """
            # ThreatFox IOCs (test data)
            # "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","reference","tags","anonymous","reporter"
            "2024-04-01 10:00:00", "1", "198.51.100.7:443", "ip:port", "botnet_cc", "win.cobalt_strike", "", "Cobalt Strike", "", "75", "", "c2,beacon", "0", "x"
            "2024-04-01 10:00:00", "2", "0123456789abcdef0123456789abcdef", "md5_hash", "payload", "win.qakbot", "", "QakBot", "", "100", "", "", "0", "x"
            "2024-04-01 10:00:00", "3", "evil.example", "domain", "botnet_cc", "win.qakbot", "", "QakBot", "", "50", "", "", "0", "x"
            """;
        var columns = new CsvColumns { Value = "ioc_value", TypeColumn = "ioc_type", Score = "confidence_level", FirstSeen = "first_seen_utc", Tags = ["malware_printable", "tags"] };
        var errors = new ErrorReport();

        var result = await FeedReading.TextAsync(Reader, text, errors, Feed(columns));

        Assert.Empty(errors.Kept);
        Assert.Equal(["ipv4:198.51.100.7", "md5:0123456789abcdef0123456789abcdef", "domain:evil.example"], result.Indicators.Select(i => i.Value.ToString()));
        Assert.Equal(["Cobalt Strike", "c2", "beacon"], result.Indicators[0].Tags);
        Assert.Equal([75, 100, 50], result.Indicators.Select(i => i.Score ?? -1));
    }

    [Fact]
    public async Task Columns_by_index_without_a_header_and_auto_detected_types_are_read()
    {
        var text = "198.51.100.7,x\n2001:db8::1,x\nevil.example,x\nhttp://evil.example/p,x\nnot a value,x\n";
        var columns = new CsvColumns { Value = "0", HasHeader = false };
        var errors = new ErrorReport();

        var result = await FeedReading.TextAsync(Reader, text, errors, Feed(columns));

        Assert.Equal(["ipv4", "ipv6", "domain", "url"], result.Indicators.Select(i => ObservableTypes.ToName(i.Value.Type)));
        Assert.Equal(5, Assert.Single(errors.Kept).Ref.Line);
    }

    [Fact]
    public async Task A_mapping_that_names_no_column_of_the_file_is_one_error_and_nothing_is_read()
    {
        var errors = new ErrorReport();

        var result = await FeedReading.FileAsync(Reader, SharedData.Path("intel", "abusech-feodo", "ipblocklist.csv"), errors, Feed(Feodo with { Value = "ip_address" }));

        Assert.Empty(result.Indicators);
        Assert.Contains("column 'ip_address' not found", Assert.Single(errors.Kept).Message, StringComparison.Ordinal);
        Assert.NotNull(result.Failure);
    }

    [Fact]
    public async Task Bad_values_scores_and_times_reject_their_row_only()
    {
        var text = "ip,score,seen\n192.0.2.1,10,2024-01-01\n192.0.2.999,10,2024-01-01\n192.0.2.3,101,2024-01-01\n192.0.2.4,10,yesterday\n\"192.0.2.5,10,2024-01-01\n";
        var columns = new CsvColumns { Value = "ip", Type = "ip", Score = "score", LastSeen = "seen" };
        var errors = new ErrorReport();

        var result = await FeedReading.TextAsync(Reader, text, errors, Feed(columns));

        Assert.Equal("192.0.2.1", Assert.Single(result.Indicators).Value.Value);
        Assert.Equal([3L, 4L, 5L, 6L], errors.Kept.Select(e => e.Ref.Line));
        Assert.Contains("not closed", errors.Kept.Last().Message, StringComparison.Ordinal);
    }
}
