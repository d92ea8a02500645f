using Vedette.Domain;
using Vedette.Enrich.Intel;
using Vedette.Enrich.Intel.Readers;
using Vedette.Pipeline;

namespace Vedette.Tests.Enrich.Readers;

public sealed class ListFeedReaderTests
{
    private static readonly ListFeedReader Reader = new();

    /// <summary>IPsum's data lines, split by hand: the address and the number of lists naming it.</summary>
    private static List<(string Address, int Lists)> IpsumLines() =>
        [.. File.ReadLines(SharedData.Path("intel", "ipsum", "ipsum.txt"))
            .Where(l => !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .Select(p => (p[0], int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)))];

    [Fact]
    public async Task IPsum_gives_all_120430_addresses_and_the_number_of_lists_raises_the_score()
    {
        var errors = new ErrorReport();

        var result = await FeedReading.FileAsync(Reader, SharedData.Path("intel", "ipsum", "ipsum.txt"), errors);

        var lines = IpsumLines();
        Assert.Empty(errors.Kept);
        Assert.Equal(120_430, lines.Count);
        Assert.Equal(lines.Count, result.Indicators.Count);
        Assert.All(result.Indicators, i => Assert.Equal(ObservableType.Ipv4, i.Value.Type));
        Assert.Equal(lines.Select(l => l.Address), result.Indicators.Select(i => i.Value.Value));
        // Default score 50: min(100, 10 × lists), never below 50.
        Assert.Equal(lines.Select(l => Math.Max(50, Math.Min(100, 10 * l.Lists))), result.Indicators.Select(i => i.Score ?? -1));
        Assert.Equal(lines.Count(l => l.Lists >= 10), result.Indicators.Count(i => i.Score == 100));
    }

    [Fact]
    public async Task The_IPsum_level_5_list_holds_exactly_the_addresses_on_5_or_more_lists()
    {
        var errors = new ErrorReport();

        var result = await FeedReading.FileAsync(Reader, SharedData.Path("intel", "ipsum", "levels", "5.txt"), errors);

        Assert.Empty(errors.Kept);
        var expected = IpsumLines().Where(l => l.Lists >= 5).Select(l => l.Address).ToList();
        Assert.Equal(1_413, expected.Count);
        Assert.Equal(expected, result.Indicators.Select(i => i.Value.Value));
        Assert.All(result.Indicators, i => Assert.Null(i.Score));
    }

    [Fact]
    public async Task FireHOL_level1_gives_its_6630_declared_entries_and_keeps_ranges_as_ranges()
    {
        var errors = new ErrorReport();
        var path = SharedData.Path("intel", "firehol", "firehol_level1.netset");

        var result = await FeedReading.FileAsync(Reader, path, errors);

        Assert.Empty(errors.Kept);
        Assert.Null(result.Failure);
        Assert.Equal(6_630, result.DeclaredRecords);
        Assert.Equal(result.DeclaredRecords, result.Indicators.Count);
        var data = File.ReadLines(path).Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal(data.Count(l => l.Contains('/', StringComparison.Ordinal)), result.Indicators.Count(i => i.Value.Type == ObservableType.Cidr));
        Assert.Equal(data.Count(l => !l.Contains('/', StringComparison.Ordinal)), result.Indicators.Count(i => i.Value.Type == ObservableType.Ipv4));
        Assert.Equal("cidr:1.10.16.0/20", result.Indicators[1].Value.ToString());
    }

    [Fact]
    public async Task Lines_that_hold_no_indicator_are_reported_with_their_line_and_the_rest_is_read()
    {
        var text = "; Spamhaus-style comment\n198.51.100.0/24 ; SBL123\n\nnot-an-indicator\n# comment\nevil.example trailing words\n" + new string('a', 64) + "\n";
        var errors = new ErrorReport();

        var result = await FeedReading.TextAsync(Reader, text, errors, FeedReading.Feed(FeedKind.List, "blocklist"));

        Assert.Equal(["cidr:198.51.100.0/24", "domain:evil.example", $"sha256:{new string('a', 64)}"], result.Indicators.Select(i => i.Value.ToString()));
        var error = Assert.Single(errors.Kept);
        Assert.Equal(new RecordRef("blocklist (memory)", 4), error.Ref);
        Assert.Contains("'not-an-indicator'", error.Message, StringComparison.Ordinal);
        Assert.All(result.Indicators, i => Assert.Null(i.Score));
    }
}
