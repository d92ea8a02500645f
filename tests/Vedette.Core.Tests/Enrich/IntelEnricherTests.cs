using Microsoft.Extensions.Time.Testing;
using Vedette.Domain;
using Vedette.Enrich;
using Vedette.Enrich.Intel;
using Vedette.Triage;

namespace Vedette.Tests.Enrich;

public sealed class IntelEnricherTests
{
    private static IntelStore Store(params (string Feed, FeedIndicator[] Indicators)[] feeds)
    {
        var store = new IntelStore();
        store.Swap(IntelSnapshot.Build(feeds.Select(f => new IntelFeed(f.Feed, f.Indicators)), Some.Time));
        return store;
    }

    private static FeedIndicator Listed(ObservableType type, string value, int score) => new(Observable.Parse(type, value)) { Score = score };

    [Fact]
    public void Every_observable_gets_every_match_once_per_feed_with_score_and_reason()
    {
        var store = Store(
            ("spamhaus-drop", [Listed(ObservableType.Cidr, "203.0.113.0/24", 70)]),
            ("ipsum", [Listed(ObservableType.Ipv4, "203.0.113.7", 60)]),
            ("feodo", [Listed(ObservableType.Ipv4, "203.0.113.7", 90)]),
            ("phish", [Listed(ObservableType.Domain, "evil.example", 80)]));
        var alert = Some.Alert(observables: [Some.Ip("203.0.113.7"), Observable.Parse(ObservableType.Domain, "login.evil.example"), Some.User("jdoe"), Some.Ip("198.51.100.1")]);

        new IntelEnricher(store, new FakeTimeProvider(Some.Time)).Enrich(alert);

        Assert.Equal(
            [
                ("ipv4:203.0.113.7", "203.0.113.7", "feodo", 90, "exact"),
                ("ipv4:203.0.113.7", "203.0.113.7", "ipsum", 90, "exact"),
                ("ipv4:203.0.113.7", "203.0.113.0/24", "spamhaus-drop", 70, "cidr"),
                ("domain:login.evil.example", "evil.example", "phish", 80, "parent-domain"),
            ],
            alert.IntelHits.Select(h => (h.Observable.ToString(), h.Indicator, h.Feed, h.Score, h.Match)));
    }

    [Fact]
    public void Intel_hits_raise_the_alert_s_risk_score()
    {
        var store = Store(("feodo", [Listed(ObservableType.Ipv4, "203.0.113.7", 100)]));
        var plain = Some.Alert(observables: [Some.Ip("198.51.100.1")]);
        var listed = Some.Alert(observables: [Some.Ip("203.0.113.7")]);
        var enricher = new IntelEnricher(store, new FakeTimeProvider(Some.Time));
        enricher.Enrich(plain);
        enricher.Enrich(listed);

        Assert.True(RiskScorer.Score(listed).Total > RiskScorer.Score(plain).Total);
    }

    [Fact]
    public void Enriching_twice_adds_nothing_new()
    {
        var store = Store(("feodo", [Listed(ObservableType.Ipv4, "203.0.113.7", 90)]));
        var alert = Some.Alert(observables: [Some.Ip("203.0.113.7")]);
        var enricher = new IntelEnricher(store, new FakeTimeProvider(Some.Time));

        enricher.Enrich(alert);
        enricher.Enrich(alert);

        Assert.Single(alert.IntelHits);
    }
}
