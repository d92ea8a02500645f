using Vedette.Enrich.Intel;
using Vedette.Enrich.Intel.Readers;
using Vedette.Pipeline;

namespace Vedette.Tests.Enrich.Readers;

/// <summary>
/// There is no real AbuseIPDB response in the shared data (SOURCES.md: none was found, none was made up); these
/// documents are our own, in the documented shape.
/// </summary>
public sealed class AbuseIpDbReaderTests
{
    private static readonly AbuseIpDbReader Reader = new();

    private const string Response = """
        {"meta": {"generatedAt": "2024-04-04T07:00:00+00:00"},
         "data": [
          {"ipAddress": "198.51.100.7", "countryCode": "NL", "abuseConfidenceScore": 100, "lastReportedAt": "2024-04-04T06:59:01+00:00"},
          {"ipAddress": "2001:db8::7", "countryCode": "US", "abuseConfidenceScore": 87, "lastReportedAt": "2024-04-03T12:00:00+02:00"},
          {"ipAddress": "not-an-address", "countryCode": "US", "abuseConfidenceScore": 90, "lastReportedAt": "2024-04-03T12:00:00+00:00"},
          {"ipAddress": "198.51.100.8", "abuseConfidenceScore": 101},
          {"ipAddress": "198.51.100.9", "countryCode": "FR", "abuseConfidenceScore": 75, "lastReportedAt": "2024-04-02T00:00:00+00:00"}
         ]}
        """;

    [Fact]
    public async Task The_confidence_score_becomes_the_score_and_the_last_report_the_last_sighting()
    {
        var errors = new ErrorReport();

        var result = await FeedReading.TextAsync(Reader, Response, errors, FeedReading.Feed(FeedKind.AbuseIpDb, "abuseipdb"));

        Assert.Equal(["ipv4:198.51.100.7", "ipv6:2001:db8::7", "ipv4:198.51.100.9"], result.Indicators.Select(i => i.Value.ToString()));
        Assert.Equal([100, 87, 75], result.Indicators.Select(i => i.Score ?? -1));
        Assert.Equal(new DateTimeOffset(2024, 4, 3, 10, 0, 0, TimeSpan.Zero), result.Indicators[1].LastSeen);
        Assert.Equal(["cc:NL"], result.Indicators[0].Tags);
        // The bad address and the score above 100, each with the line its entry starts on.
        Assert.Equal([5L, 6L], errors.Kept.Select(e => e.Ref.Line));
        Assert.All(errors.Kept, e => Assert.Equal("abuseipdb (memory)", e.Ref.Origin));
        Assert.Null(result.Failure);
    }

    [Fact]
    public async Task A_cut_off_response_keeps_the_entries_before_the_cut_and_names_the_byte_position()
    {
        var cut = Response[..Response.IndexOf("2001:db8::7", StringComparison.Ordinal)];
        var errors = new ErrorReport();

        var result = await FeedReading.TextAsync(Reader, cut, errors);

        Assert.Equal("198.51.100.7", Assert.Single(result.Indicators).Value.Value);
        Assert.NotNull(result.Failure);
        Assert.Matches(@"^JSON cut off or malformed at line 4, byte \d+ of that line \(the last complete value ends at byte \d+ of the document\)", Assert.Single(errors.Kept).Message);
    }

    [Fact]
    public async Task An_error_response_is_reported_as_what_AbuseIPDB_said()
    {
        var errors = new ErrorReport();

        var result = await FeedReading.TextAsync(Reader, """{"errors": [{"detail": "Authentication failed. Your API key is either missing, incorrect, or revoked.", "status": 401}]}""", errors);

        Assert.Empty(result.Indicators);
        Assert.Contains("AbuseIPDB answered with errors: Authentication failed", Assert.Single(errors.Kept).Message, StringComparison.Ordinal);
        Assert.Matches("^line [0-9]+: AbuseIPDB answered with errors", result.Failure);
    }
}
