using Microsoft.Extensions.Time.Testing;
using Vedette.Detect;
using Vedette.Domain;
using Vedette.Enrich.Intel;

namespace Vedette.Tests.Detect;

public sealed class IndicatorMatchDetectorTests
{
    private static ObservableMap Map() => new(
        [("DestinationIp", FieldKindOfObservable.Ip), ("QueryName", FieldKindOfObservable.Domain), ("User", FieldKindOfObservable.User), ("Hashes", FieldKindOfObservable.Hashes)],
        ["windows"],
        new Dictionary<FieldKindOfObservable, IReadOnlyCollection<string>>());

    private static IndicatorMatchDetector Detector(params string[] values)
    {
        var store = new IntelStore();
        var listed = values.Select(v =>
        {
            Observable.TryDetect(v, out var o);
            return new FeedIndicator(o) { Score = 90, FirstSeen = Some.Time, LastSeen = Some.Time, Tags = ["c2"] };
        }).ToList();
        store.Swap(IntelSnapshot.Build([new IntelFeed("demo", listed)], Some.Time));
        return new IndicatorMatchDetector(store, Map(), new FakeTimeProvider(Some.Time));
    }

    [Fact]
    public void Beaconing_to_a_listed_address_is_one_alert_whose_count_grows()
    {
        var detector = Detector("198.51.100.66");
        var output = new DetectionOutput();
        for (var i = 0; i < 30; i++)
        {
            detector.Detect(Some.Event(Some.Time.AddMinutes(i), fields: [("DestinationIp", "198.51.100.66"), ("User", "CORP\\jdoe")]), output);
        }
        var alert = Assert.Single(output.Alerts);
        Assert.Equal(AlertOrigin.Indicator, alert.Origin);
        Assert.Equal(Severity.High, alert.Severity);
        Assert.Contains(Some.User("jdoe"), alert.Observables);
        Assert.Contains(Some.Host("wks001.corp.example"), alert.Observables);
        Assert.Equal(["c2"], alert.Tags);
        Assert.Empty(output.Updates);

        detector.Flush(output);
        var update = Assert.Single(output.Updates);
        Assert.Equal(alert.Id, update.AlertId);
        Assert.Equal(30, update.EventCount);
        Assert.Equal(Some.Time.AddMinutes(29), update.LastSeen);
        Assert.Equal(19, update.NewEvidence.Count); // 20 pieces of evidence at most, one already on the alert
    }

    [Fact]
    public void Sysmon_hashes_and_subdomains_of_listed_domains_match()
    {
        var detector = Detector("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "evil.example");
        var output = new DetectionOutput();
        detector.Detect(Some.Event(Some.Time, fields: [("Hashes", "MD5=D41D8CD98F00B204E9800998ECF8427E,SHA256=E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]), output);
        detector.Detect(Some.Event(Some.Time, fields: [("QueryName", "cdn.evil.example")]), output);
        Assert.Equal(2, output.Alerts.Count);
        Assert.Contains("evil.example (parent-domain)", output.Alerts[1].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Events_that_touch_nothing_listed_raise_nothing()
    {
        var detector = Detector("198.51.100.66");
        var output = new DetectionOutput();
        detector.Detect(Some.Event(Some.Time, fields: [("DestinationIp", "198.51.100.67")]), output);
        detector.Flush(output);
        Assert.Empty(output.Alerts);
        Assert.Empty(output.Updates);
    }

    [Fact]
    public void A_repeat_after_the_gap_opens_a_new_alert()
    {
        var detector = Detector("198.51.100.66");
        var output = new DetectionOutput();
        detector.Detect(Some.Event(Some.Time, fields: [("DestinationIp", "198.51.100.66")]), output);
        detector.Detect(Some.Event(Some.Time.AddHours(3), fields: [("DestinationIp", "198.51.100.66")]), output);
        Assert.Equal(2, output.Alerts.Count);
    }
}
