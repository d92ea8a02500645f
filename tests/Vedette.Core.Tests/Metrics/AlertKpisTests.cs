using Vedette.Domain;
using Vedette.Metrics;
using Vedette.Storage;

namespace Vedette.Tests.Metrics;

/// <summary>The KPIs of a handful of alerts whose figures are worked out by hand in the comments.</summary>
public sealed class AlertKpisTests
{
    private static readonly DateTimeOffset Day0 = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly KpiWindow ThreeDays = new(Day0, Day0.AddDays(3), TimeSpan.FromDays(1));

    private static AlertTiming Alert(
        string rule, Severity severity, DateTimeOffset created, TimeSpan detectedAfter,
        TimeSpan? acknowledged = null, TimeSpan? closed = null, Verdict? verdict = null,
        TimeSpan? incidentAcknowledged = null, TimeSpan? incidentClosed = null, Verdict? incidentVerdict = null) =>
        new(Guid.NewGuid(), rule, $"Title of {rule}", severity, created - detectedAfter, created,
            created + acknowledged, created + closed, verdict, created + incidentAcknowledged, created + incidentClosed, incidentVerdict);

    private static TimeSpan Min(double minutes) => TimeSpan.FromMinutes(minutes);

    /// <summary>
    ///            detect  acknowledge               resolve                          verdict
    /// brute  1   2       5 (own)                   30 (own)                         FP
    /// brute  2   10      20 (incident)             60 (incident)                    FP (incident)
    /// brute  3   0       10 (incident's, before    60 (own; the incident's later    TP (own)
    ///                    its own at 40)            close does not count)
    /// beacon 4   0 (event after creation)  0 (joined an incident acknowledged an hour before)
    /// beacon 5   30      —                         —
    /// scan   6   60      —                         120 (own)                        BP
    /// old    7   outside the window: ignored
    /// </summary>
    private static readonly AlertTiming[] Alerts =
    [
        Alert("brute", Severity.High, Day0.AddHours(10), Min(2), acknowledged: Min(5), closed: Min(30), verdict: Verdict.FalsePositive),
        Alert("brute", Severity.High, Day0.AddHours(11), Min(10), incidentAcknowledged: Min(20), incidentClosed: Min(60), incidentVerdict: Verdict.FalsePositive),
        Alert("brute", Severity.Medium, Day0.AddDays(1).AddHours(8), Min(0), acknowledged: Min(40), closed: Min(60), verdict: Verdict.TruePositive,
            incidentAcknowledged: Min(10), incidentClosed: Min(120), incidentVerdict: Verdict.FalsePositive),
        Alert("beacon", Severity.Critical, Day0.AddDays(1).AddHours(9), Min(-1), incidentAcknowledged: Min(-60)),
        Alert("beacon", Severity.Low, Day0.AddDays(3).AddMinutes(-1), Min(30)),
        Alert("scan", Severity.Informational, Day0.AddDays(2), Min(60), closed: Min(120), verdict: Verdict.BenignPositive),
        Alert("old", Severity.Critical, Day0.AddMinutes(-1), Min(1), closed: Min(1), verdict: Verdict.FalsePositive),
    ];

    [Fact]
    public void Time_to_detect_covers_every_alert_in_the_window()
    {
        var kpis = AlertKpis.Compute(Alerts, ThreeDays);

        // Sorted 0, 0, 2, 10, 30, 60: ranks 3 and 6 of 6; mean 102 / 6 = 17.
        Assert.Equal(6, kpis.Alerts);
        Assert.Equal(new DurationStats(6, Min(17), Min(2), Min(60), Min(60)), kpis.TimeToDetect);
    }

    [Fact]
    public void Time_to_acknowledge_takes_the_earlier_of_the_alerts_and_its_incidents()
    {
        var kpis = AlertKpis.Compute(Alerts, ThreeDays);

        // Sorted 0, 5, 10, 20: ranks 2 and 4 of 4; mean 35 / 4 = 8.75.
        Assert.Equal(new DurationStats(4, Min(8.75), Min(5), Min(20), Min(20)), kpis.TimeToAcknowledge);
    }

    [Fact]
    public void Time_to_resolve_takes_the_alerts_own_close_before_its_incidents()
    {
        var kpis = AlertKpis.Compute(Alerts, ThreeDays);

        // Sorted 30, 60, 60, 120: ranks 2 and 4 of 4; mean 270 / 4 = 67.5.
        Assert.Equal(new DurationStats(4, Min(67.5), Min(60), Min(120), Min(120)), kpis.TimeToResolve);
    }

    [Fact]
    public void The_false_positive_rate_is_false_positives_among_alerts_closed_with_a_verdict()
    {
        var kpis = AlertKpis.Compute(Alerts, ThreeDays);

        // FP, FP (incident), TP, BP: 2 of 4. The alert outside the window is not counted.
        Assert.Equal((4, 2), (kpis.ClosedWithVerdict, kpis.FalsePositives));
        Assert.Equal(0.5, kpis.FalsePositiveRate);
    }

    [Fact]
    public void Volume_counts_each_alert_in_the_bucket_of_its_creation_by_severity()
    {
        var kpis = AlertKpis.Compute(Alerts, ThreeDays);

        Assert.Equal([Day0, Day0.AddDays(1), Day0.AddDays(2)], kpis.Volume.Select(b => b.Start));
        Assert.Equal(
            new[]
            {
                // informational, low, medium, high, critical
                new[] { 0, 0, 0, 2, 0 },
                new[] { 0, 0, 1, 0, 1 },
                new[] { 1, 1, 0, 0, 0 },
            },
            kpis.Volume.Select(b => b.BySeverity.ToArray()));
        Assert.Equal([2, 2, 2], kpis.Volume.Select(b => b.Total));
    }

    [Fact]
    public void Top_rules_are_by_alerts_and_by_false_positives_with_rules_without_any_left_out()
    {
        var kpis = AlertKpis.Compute(Alerts, ThreeDays);

        Assert.Equal(
            [new RuleFigures("brute", "Title of brute", 3, 2), new RuleFigures("beacon", "Title of beacon", 2, 0), new RuleFigures("scan", "Title of scan", 1, 0)],
            kpis.TopRulesByVolume);
        Assert.Equal([new RuleFigures("brute", "Title of brute", 3, 2)], kpis.TopRulesByFalsePositives);
    }

    [Fact]
    public void The_top_list_is_cut_at_its_length_and_ties_go_by_rule_id()
    {
        var at = Day0.AddHours(1);
        var alerts = new[] { "c", "a", "b", "a" }.Select(rule => Alert(rule, Severity.Low, at, Min(1))).ToArray();

        var kpis = AlertKpis.Compute(alerts, ThreeDays, topRules: 2);

        Assert.Equal(["a", "b"], kpis.TopRulesByVolume.Select(r => r.RuleId));
    }

    [Fact]
    public void No_alerts_give_empty_figures_and_no_false_positive_rate()
    {
        var kpis = AlertKpis.Compute([], ThreeDays);

        Assert.Equal(0, kpis.Alerts);
        Assert.Equal(DurationStats.Empty, kpis.TimeToDetect);
        Assert.Equal(DurationStats.Empty, kpis.TimeToAcknowledge);
        Assert.Null(kpis.FalsePositiveRate);
        Assert.Equal(3, kpis.Volume.Count);
        Assert.All(kpis.Volume, b => Assert.Equal(0, b.Total));
        Assert.Empty(kpis.TopRulesByVolume);
        Assert.Empty(kpis.TopRulesByFalsePositives);
    }
}
