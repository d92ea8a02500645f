using Vedette.Domain;
using Vedette.Enrich;
using Vedette.Pipeline;

namespace Vedette.Tests.Enrich;

public sealed class IndicatorSetTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    private static Indicator Listed(ObservableType type, string value, int score = 80, string feed = "feed-a") =>
        new(Observable.Parse(type, value), score, [feed], Now, Now, null, []);

    [Fact]
    public void Exact_values_networks_and_parent_domains_match_and_say_how()
    {
        var set = new IndicatorSet(
        [
            Listed(ObservableType.Ipv4, "203.0.113.7"),
            Listed(ObservableType.Cidr, "198.51.100.0/24", 50),
            Listed(ObservableType.Cidr, "198.51.100.128/25", 70),
            Listed(ObservableType.Domain, "evil.example"),
        ]);

        Assert.True(set.TryMatch(Observable.Parse(ObservableType.Ipv4, "203.0.113.7"), out var exact));
        Assert.Equal("exact", exact.How);
        Assert.True(set.TryMatch(Observable.Parse(ObservableType.Ipv4, "198.51.100.200"), out var longest));
        Assert.Equal(70, longest.Indicator.Score);
        Assert.Equal("in 198.51.100.128/25", longest.How);
        Assert.True(set.TryMatch(Observable.Parse(ObservableType.Ipv4, "198.51.100.5"), out var wider));
        Assert.Equal(50, wider.Indicator.Score);
        Assert.True(set.TryMatch(Observable.Parse(ObservableType.Domain, "a.b.evil.example"), out var parent));
        Assert.Equal("subdomain of evil.example", parent.How);
        Assert.False(set.TryMatch(Observable.Parse(ObservableType.Domain, "notevil.example"), out _));
        Assert.False(set.TryMatch(Observable.Parse(ObservableType.Ipv4, "198.51.101.1"), out _));
    }

    [Fact]
    public void The_same_indicator_from_two_feeds_keeps_both_feeds_and_the_higher_score()
    {
        var set = new IndicatorSet([Listed(ObservableType.Ipv4, "203.0.113.7", 40, "a"), Listed(ObservableType.Ipv4, "203.0.113.7", 90, "b")]);
        Assert.True(set.TryMatch(Observable.Parse(ObservableType.Ipv4, "203.0.113.7"), out var match));
        Assert.Equal(90, match.Indicator.Score);
        Assert.Equal(["a", "b"], match.Indicator.Feeds);
    }

    [Fact]
    public void A_swapped_snapshot_is_seen_whole_by_the_next_lookup()
    {
        var store = new IndicatorStore();
        var before = store.Current;
        store.Swap(new IndicatorSet([Listed(ObservableType.Ipv4, "203.0.113.7")]));
        Assert.Equal(0, before.Count);
        Assert.Equal(1, store.Current.Count);
    }

    [Fact]
    public void The_FireHOL_level1_netset_reads_every_entry()
    {
        var errors = new ErrorReport();
        using var reader = File.OpenText(SharedData.Path("intel", "firehol", "firehol_level1.netset"));
        var indicators = PlainListFeed.Read(reader, "firehol_level1", 70, Now, errors);

        Assert.Equal(0, errors.Count);
        Assert.Equal(6630, indicators.Count); // the header says "Entries : 6630 subnets"
        Assert.Contains(indicators, i => i.Value.Type == ObservableType.Cidr);
        Assert.Contains(indicators, i => i.Value.Type == ObservableType.Ipv4);
    }

    [Fact]
    public void IPsum_address_and_count_lines_read_as_addresses()
    {
        var errors = new ErrorReport();
        using var reader = File.OpenText(SharedData.Path("intel", "ipsum", "levels", "5.txt"));
        var indicators = PlainListFeed.Read(reader, "ipsum-5", 80, Now, errors);
        Assert.Equal(0, errors.Count);
        Assert.Equal(1413, indicators.Count);
        Assert.All(indicators, i => Assert.Equal(ObservableType.Ipv4, i.Value.Type));
    }

    [Fact]
    public void A_line_that_is_no_indicator_is_reported_with_its_line_and_the_rest_is_kept()
    {
        var errors = new ErrorReport();
        var indicators = PlainListFeed.Read(new StringReader("# header\n203.0.113.7\nnot an indicator!\nevil[.]example\n"), "mine", 50, Now, errors);
        Assert.Equal(2, indicators.Count);
        Assert.Equal("mine:3", Assert.Single(errors.Kept).Ref.ToString());
    }
}
