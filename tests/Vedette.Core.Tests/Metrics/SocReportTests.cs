using Vedette.Domain;
using Vedette.Metrics;
using Vedette.Storage;

namespace Vedette.Tests.Metrics;

/// <summary>The report of a handful of alerts and incidents whose figures are worked out by hand in the comments.</summary>
public sealed class SocReportTests
{
    private static readonly DateTimeOffset Day0 = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = Day0.AddDays(6);

    private const string Brute = "attack.credential-access attack.t1110";

    private static AlertTiming Alert(
        string rule, Severity severity, DateTimeOffset created, double detectedAfter, string source, string? tags,
        double? acknowledged = null, double? closed = null, Verdict? verdict = null,
        double? incidentAcknowledged = null, double? incidentClosed = null, Verdict? incidentVerdict = null) =>
        new(Guid.NewGuid(), rule, $"Title of {rule}", severity, created - Min(detectedAfter), created,
            created + Min(acknowledged), created + Min(closed), verdict, created + Min(incidentAcknowledged), created + Min(incidentClosed), incidentVerdict,
            source, tags);

    private static TimeSpan Min(double minutes) => TimeSpan.FromMinutes(minutes);

    private static TimeSpan? Min(double? minutes) => minutes is { } m ? TimeSpan.FromMinutes(m) : null;

    /// <summary>
    ///    rule           created    detect  acknowledge        resolve              verdict   source       tactics
    /// 1  brute          d0 10:00   2       5                  30                   FP        rule         credential-access
    /// 2  brute          d0 11:00   10      20 (incident)      60 (incident)        FP (inc.) rule         credential-access
    /// 3  brute          d1 08:00   0       10 (incident's)    60 (own)             TP (own)  rule         credential-access
    /// 4  lateral        d1 09:00   4       1                  90                   TP        correlation  lateral-movement, credential-access
    /// 5  suricata-scan  d2 01:00   30      —                  —                              suricata     —
    /// 6  scan           d3 00:00   60      —                  120                  BP        rule         discovery
    /// 7  brute          before the range: ignored
    /// </summary>
    private static readonly AlertTiming[] Alerts =
    [
        Alert("brute", Severity.High, Day0.AddHours(10), 2, "rule", Brute, acknowledged: 5, closed: 30, verdict: Verdict.FalsePositive),
        Alert("brute", Severity.High, Day0.AddHours(11), 10, "rule", Brute, incidentAcknowledged: 20, incidentClosed: 60, incidentVerdict: Verdict.FalsePositive),
        Alert("brute", Severity.Medium, Day0.AddDays(1).AddHours(8), 0, "rule", Brute, acknowledged: 40, closed: 60, verdict: Verdict.TruePositive,
            incidentAcknowledged: 10, incidentClosed: 120, incidentVerdict: Verdict.FalsePositive),
        Alert("lateral", Severity.Critical, Day0.AddDays(1).AddHours(9), 4, "correlation", "attack.lateral-movement attack.t1021.002 attack.credential-access",
            acknowledged: 1, closed: 90, verdict: Verdict.TruePositive),
        Alert("suricata-scan", Severity.Low, Day0.AddDays(2).AddHours(1), 30, "suricata", null),
        Alert("scan", Severity.Informational, Day0.AddDays(3), 60, "rule", "attack.discovery attack.t1046", closed: 120, verdict: Verdict.BenignPositive),
        Alert("brute", Severity.High, Day0.AddMinutes(-1), 1, "rule", Brute, closed: 1, verdict: Verdict.FalsePositive),
    ];

    private static IncidentTiming Incident(Severity severity, DateTimeOffset created, double? acknowledged, double? closed, double due) =>
        new(Guid.NewGuid(), severity, created, created + Min(acknowledged), created + Min(closed), closed is null ? null : Verdict.TruePositive, created + Min(due));

    /// <summary>
    ///    severity  created     acknowledged  closed  due after   SLA at d6
    /// 1  high      d0 10:00    20            60      4 h         met (20 m)
    /// 2  critical  d1 09:00    90            100     1 h         breached (90 m)
    /// 3  medium    d2          —             30      24 h        met (closed at 30 m, never acknowledged)
    /// 4  low       d5 12:00    —             —       3 d         pending (due d8 12:00)
    /// 5  high      d3          —             —       4 h         breached (nobody answered by d3 04:00)
    /// 6  high      before the range: ignored
    /// </summary>
    private static readonly IncidentTiming[] Incidents =
    [
        Incident(Severity.High, Day0.AddHours(10), 20, 60, 240),
        Incident(Severity.Critical, Day0.AddDays(1).AddHours(9), 90, 100, 60),
        Incident(Severity.Medium, Day0.AddDays(2), null, 30, 24 * 60),
        Incident(Severity.Low, Day0.AddDays(5).AddHours(12), null, null, 3 * 24 * 60),
        Incident(Severity.High, Day0.AddDays(3), null, null, 240),
        Incident(Severity.High, Day0.AddHours(-1), 1, 2, 240),
    ];

    /// <summary>At d6: new for 30 m (due in 3.5 h), acknowledged for 2 h (due an hour ago), investigating for 10 d (due 7 d ago).</summary>
    private static readonly OpenIncident[] Open =
    [
        new(Guid.NewGuid(), Severity.High, CaseStatus.New, To - Min(30), To - Min(30), To.AddHours(3.5)),
        new(Guid.NewGuid(), Severity.Critical, CaseStatus.Acknowledged, To.AddHours(-2), To.AddHours(-3), To.AddHours(-1)),
        new(Guid.NewGuid(), Severity.Low, CaseStatus.Investigating, To.AddDays(-10), To.AddDays(-10), To.AddDays(-7)),
    ];

    private static SocReport Report() => SocReport.Compute(Alerts, Incidents, Open, Day0, To, To);

    [Fact]
    public void Alert_durations_are_the_hand_computed_means_and_nearest_rank_percentiles()
    {
        var report = Report();

        Assert.Equal(6, report.Alerts.Alerts);
        // Detect, sorted 0, 2, 4, 10, 30, 60: mean 106 / 6 min = 1060 s; ranks ⌈3⌉ = 3 and ⌈5.4⌉ = 6 of 6.
        Assert.Equal(new DurationStats(6, TimeSpan.FromSeconds(1060), Min(4), Min(60), Min(60)), report.Alerts.TimeToDetect);
        // Acknowledge, sorted 1, 5, 10, 20: mean 9; ranks 2 and 4 of 4.
        Assert.Equal(new DurationStats(4, Min(9), Min(5), Min(20), Min(20)), report.Alerts.TimeToAcknowledge);
        // Resolve, sorted 30, 60, 60, 90, 120: mean 72; ranks ⌈2.5⌉ = 3 and ⌈4.5⌉ = 5 of 5.
        Assert.Equal(new DurationStats(5, Min(72), Min(60), Min(120), Min(120)), report.Alerts.TimeToResolve);
    }

    [Fact]
    public void False_positive_rate_and_precision_count_the_verdicts_overall_and_per_rule()
    {
        var report = Report();

        // Five closed with a verdict: FP 1 and 2, TP 3 and 4, BP 6.
        Assert.Equal((5, 2, 2), (report.Alerts.ClosedWithVerdict, report.Alerts.FalsePositives, report.TruePositives));
        Assert.Equal(0.4, report.Alerts.FalsePositiveRate);
        Assert.Equal(0.4, report.Precision);
        // Most alerts first, ties by rule id; a benign positive counts against precision; no verdict, no precision.
        Assert.Equal(
            [
                new RuleQuality("brute", "Title of brute", 3, 1, 0, 2),
                new RuleQuality("lateral", "Title of lateral", 1, 1, 0, 0),
                new RuleQuality("scan", "Title of scan", 1, 0, 1, 0),
                new RuleQuality("suricata-scan", "Title of suricata-scan", 1, 0, 0, 0),
            ],
            report.Rules);
        Assert.Equal(new double?[] { 1.0 / 3, 1.0, 0.0, null }, report.Rules.Select(r => r.Precision));
    }

    [Fact]
    public void Volume_is_counted_by_source_and_by_tactic_in_kill_chain_order()
    {
        var report = Report();

        Assert.Equal([new NamedCount("rule", 4), new NamedCount("correlation", 1), new NamedCount("suricata", 1)], report.BySource);
        // Alert 4 counts under both of its tactics.
        Assert.Equal([new NamedCount("credential-access", 4), new NamedCount("discovery", 1), new NamedCount("lateral-movement", 1)], report.ByTactic);
        // Informational, low, medium, high, critical.
        Assert.Equal([1, 1, 1, 2, 1], Enum.GetValues<Severity>().Select(s => report.Alerts.Volume.Sum(b => b.BySeverity[(int)s])));
    }

    [Fact]
    public void Techniques_carry_the_tactics_tagged_beside_them_their_alerts_and_rules()
    {
        var report = Report();

        Assert.Equal(["T1021.002", "T1046", "T1110"], report.Techniques.Select(t => t.Id));
        Assert.Equal(["credential-access", "lateral-movement"], report.Techniques[0].Tactics);
        Assert.Equal((1, "lateral"), (report.Techniques[0].Alerts, Assert.Single(report.Techniques[0].RuleIds)));
        Assert.Equal((3, "brute"), (report.Techniques[2].Alerts, Assert.Single(report.Techniques[2].RuleIds)));
    }

    [Fact]
    public void The_trend_gives_each_days_detect_and_resolve_times()
    {
        var report = Report();

        // Six days: day buckets (144 hours would be too many bars).
        Assert.Equal(TimeSpan.FromDays(1), report.Alerts.Window.Bucket);
        Assert.Equal(6, report.Trend.Count);
        // d0: detect 2, 10; resolve 30, 60.  d1: detect 0, 4; resolve 60, 90.  d2: detect 30, nothing closed.  d3: 60; 120.
        Assert.Equal(new DurationStats(2, Min(6), Min(2), Min(10), Min(10)), report.Trend[0].TimeToDetect);
        Assert.Equal(new DurationStats(2, Min(45), Min(30), Min(60), Min(60)), report.Trend[0].TimeToResolve);
        Assert.Equal(new DurationStats(2, Min(2), Min(0), Min(4), Min(4)), report.Trend[1].TimeToDetect);
        Assert.Equal(new DurationStats(2, Min(75), Min(60), Min(90), Min(90)), report.Trend[1].TimeToResolve);
        Assert.Equal((1, 0), (report.Trend[2].TimeToDetect.Count, report.Trend[2].TimeToResolve.Count));
        Assert.Equal(new DurationStats(1, Min(120), Min(120), Min(120), Min(120)), report.Trend[3].TimeToResolve);
        Assert.All(report.Trend.Skip(4), b => Assert.Equal((0, 0), (b.TimeToDetect.Count, b.TimeToResolve.Count)));
    }

    [Fact]
    public void Incident_times_and_sla_compliance_are_the_hand_computed_ones()
    {
        var incidents = Report().Incidents;

        Assert.Equal(5, incidents.Incidents);
        // Acknowledged 20 and 90: mean 55, ranks 1 and 2 of 2.
        Assert.Equal(new DurationStats(2, Min(55), Min(20), Min(90), Min(90)), incidents.TimeToAcknowledge);
        // Closed 30, 60, 100: mean 190 / 3 min = 3800 s; ranks 2 and 3 of 3.
        Assert.Equal(new DurationStats(3, TimeSpan.FromSeconds(3800), Min(60), Min(100), Min(100)), incidents.TimeToResolve);
        Assert.Equal(new SlaFigures(2, 2, 1), incidents.Sla);
        Assert.Equal(0.5, incidents.Sla.Compliance);
        Assert.Equal(new SlaFigures(1, 1, 0), incidents.SlaBySeverity[(int)Severity.High]);
        Assert.Equal(new SlaFigures(0, 1, 0), incidents.SlaBySeverity[(int)Severity.Critical]);
        Assert.Equal(new SlaFigures(1, 0, 0), incidents.SlaBySeverity[(int)Severity.Medium]);
        Assert.Equal(new SlaFigures(0, 0, 1), incidents.SlaBySeverity[(int)Severity.Low]);
        Assert.Null(incidents.SlaBySeverity[(int)Severity.Low].Compliance);
    }

    [Fact]
    public void The_backlog_counts_open_incidents_overdue_ones_and_their_ages()
    {
        var backlog = Report().Backlog;

        Assert.Equal((3, 2), (backlog.Open, backlog.Overdue));
        Assert.Equal([0, 1, 0, 1, 1], backlog.BySeverity);
        Assert.Equal([1, 1, 1, 0, 0], backlog.ByStatus);
        // Ages 30 m, 2 h, 10 d: mean 242.5 h / 3 = 291,000 s; ranks 2 and 3 of 3.
        Assert.Equal(new DurationStats(3, TimeSpan.FromSeconds(291_000), TimeSpan.FromHours(2), TimeSpan.FromDays(10), TimeSpan.FromDays(10)), backlog.Age);
        Assert.Equal(1, backlog.Ages.Count(IncidentAge.OverSevenDays, Severity.Low));
    }

    [Fact]
    public void An_empty_range_gives_zero_counts_and_no_rates()
    {
        var report = SocReport.Compute([], [], [], Day0, To, To);

        Assert.Equal((0, 0, 0), (report.Alerts.Alerts, report.Incidents.Incidents, report.Backlog.Open));
        Assert.Equal(DurationStats.Empty, report.Alerts.TimeToDetect);
        Assert.Null(report.Alerts.FalsePositiveRate);
        Assert.Null(report.Precision);
        Assert.Null(report.Incidents.Sla.Compliance);
        Assert.Empty(report.Rules);
        Assert.Empty(report.Techniques);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(30, 24)]
    [InlineData(365, 7 * 24)]
    [InlineData(5 * 365, 28 * 24)]
    public void Charts_use_the_shortest_bucket_that_keeps_a_range_within_120_bars(int days, int hours)
    {
        var from = Day0.AddHours(7.5);
        var window = SocReport.ChartWindow(from, from.AddDays(days));

        Assert.Equal(TimeSpan.FromHours(hours), window.Bucket);
        Assert.True(window.From <= from && window.To >= from.AddDays(days), $"{window.From:O}–{window.To:O}");
    }

    [Fact]
    public void Alert_facets_keep_only_attack_tags_in_lower_case_and_name_the_producer_or_origin()
    {
        Assert.Equal("attack.t1110 attack.credential_access", AlertFacets.AttackTags(["cve.2024.1", "attack.T1110", "Attack.Credential_Access", "car.2013"]));
        Assert.Null(AlertFacets.AttackTags(["suricata.category:scan"]));
        var external = new Alert(Guid.NewGuid(), Day0, "edr:x", "x", Severity.Low, AlertOrigin.External, Day0, Day0) { Producer = "edr" };
        Assert.Equal("edr", AlertFacets.Source(external));
        Assert.Equal("correlation", AlertFacets.Source(new Alert(Guid.NewGuid(), Day0, "c", "c", Severity.Low, AlertOrigin.Correlation, Day0, Day0)));
    }
}
