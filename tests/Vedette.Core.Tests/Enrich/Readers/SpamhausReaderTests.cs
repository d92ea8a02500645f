using System.Text;
using System.Text.Json;
using Vedette.Domain;
using Vedette.Enrich.Intel;
using Vedette.Enrich.Intel.Readers;
using Vedette.Pipeline;

namespace Vedette.Tests.Enrich.Readers;

public sealed class SpamhausReaderTests
{
    private static readonly SpamhausReader Reader = new();

    private static string Spamhaus(string file) => SharedData.Path("intel", "spamhaus", file);

    /// <summary>The metadata line's own count, read with JsonDocument.</summary>
    private static long MetadataRecords(string path)
    {
        using var metadata = JsonDocument.Parse(File.ReadLines(path).Last());
        Assert.Equal("metadata", metadata.RootElement.GetProperty("type").GetString());
        return metadata.RootElement.GetProperty("records").GetInt64();
    }

    [Theory]
    [InlineData("drop_v4.json", 1_406, ObservableType.Cidr, "cidr:1.10.16.0/20", "sblid:SBL256894 rir:apnic")]
    [InlineData("asn_drop.json", 201, ObservableType.Asn, "asn:AS932", "rir:arin asname:XNNET")]
    public async Task DROP_and_ASN_DROP_give_as_many_records_as_their_metadata_line_says(string file, long records, ObservableType type, string first, string firstTags)
    {
        var errors = new ErrorReport();
        var path = Spamhaus(file);

        var result = await FeedReading.FileAsync(Reader, path, errors);

        Assert.Empty(errors.Kept);
        Assert.Null(result.Failure);
        Assert.Equal(records, MetadataRecords(path));
        Assert.Equal(MetadataRecords(path), result.DeclaredRecords);
        Assert.Equal(result.DeclaredRecords, result.Indicators.Count);
        Assert.All(result.Indicators, i => Assert.Equal(type, i.Value.Type));
        Assert.Equal(first, result.Indicators[0].Value.ToString());
        Assert.Equal(firstTags.Split(' '), result.Indicators[0].Tags);
    }

    [Fact]
    public async Task A_cut_off_last_line_is_an_error_naming_it_and_the_lines_before_it_are_kept()
    {
        var lines = File.ReadLines(Spamhaus("drop_v4.json")).Take(11).ToList();
        var text = string.Join('\n', lines.Take(10)) + "\n" + lines[10][..20];
        var errors = new ErrorReport();

        var result = await FeedReading.TextAsync(Reader, text, errors, FeedReading.Feed(FeedKind.Spamhaus, "drop"));

        Assert.Equal(10, result.Indicators.Count);
        Assert.Null(result.DeclaredRecords);
        var error = errors.Kept.First();
        Assert.Equal(new RecordRef("drop (memory)", 11), error.Ref);
        Assert.StartsWith("not a whole JSON record at byte 20 (cut off or malformed)", error.Message, StringComparison.Ordinal);
        // Without its closing metadata line the list is known to be cut off: the read failed, so it replaces nothing.
        Assert.Equal("the closing metadata line is missing: the list is cut off", result.Failure);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public async Task Records_without_a_network_or_with_a_bad_one_are_reported_and_the_rest_is_read()
    {
        var text = new StringBuilder()
            .AppendLine("""{"cidr":"198.51.100.0/24","sblid":"SBL1","rir":"arin"}""")
            .AppendLine("""{"cidr":"198.51.100.0/33","sblid":"SBL2","rir":"arin"}""")
            .AppendLine("""{"sblid":"SBL3"}""")
            .AppendLine("""[1,2]""")
            .AppendLine("""{"type":"metadata","records":4}""")
            .ToString();
        var errors = new ErrorReport();

        var result = await FeedReading.TextAsync(Reader, text, errors);

        Assert.Equal("cidr:198.51.100.0/24", Assert.Single(result.Indicators).Value.ToString());
        Assert.Equal([2L, 3L, 4L], errors.Kept.Select(e => e.Ref.Line));
        Assert.Equal(4, result.DeclaredRecords);
        Assert.Equal(3, result.Rejected);
        Assert.Null(result.Failure);
    }
}
