using Vedette.Domain;
using Vedette.Storage;
using Vedette.Triage;

namespace Vedette.Tests.Triage;

public sealed class RulePrecisionTests
{
    private static readonly DateTimeOffset Now = Some.Time;

    private static IEnumerable<RuleVerdict> Verdicts(string ruleId, Verdict verdict, int count, TimeSpan? age = null, bool system = false, bool viaIncident = false) =>
        Enumerable.Range(0, count).Select(_ => new RuleVerdict(ruleId, Guid.NewGuid(), verdict, Now - (age ?? TimeSpan.FromHours(1)), system, viaIncident));

    [Fact]
    public void A_rule_under_the_minimum_sample_gets_no_points_and_sits_at_the_prior()
    {
        var precision = RulePrecision.Build(Verdicts("noisy", Verdict.FalsePositive, 6), Now);

        var estimate = precision.For("noisy")!;
        Assert.Null(estimate.Part);
        Assert.Null(new RuleFidelity(precision).For("noisy"));
        Assert.Null(new RuleFidelity(precision).For("never-judged"));
        Assert.Equal(6, estimate.FalsePositives);
        // Beta(2, 2) with six misses: (2 + 0) / (4 + 6), on its way down but not trusted yet.
        Assert.Equal(0.2, estimate.Precision, 3);
        Assert.Equal(0, RulePrecision.Points(0.5, precision.Options));
    }

    [Fact]
    public void Many_false_positives_make_the_rule_strongly_negative_and_the_reason_names_the_numbers()
    {
        var verdicts = Verdicts("noisy", Verdict.FalsePositive, 30).Concat(Verdicts("noisy", Verdict.BenignPositive, 5)).Concat(Verdicts("noisy", Verdict.TruePositive, 2));

        var part = new RuleFidelity(RulePrecision.Build(verdicts, Now)).For("noisy");

        Assert.NotNull(part);
        Assert.Equal("rule fidelity", part.Factor);
        Assert.InRange(part.Points, -30, -20);
        Assert.StartsWith("precision 0.10 from 37 analyst verdicts (2 TP, 35 FP/BP", part.Reason, StringComparison.Ordinal);
        Assert.EndsWith("half-life 30d", part.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Many_true_positives_make_the_rule_positive_up_to_the_bonus()
    {
        var part = new RuleFidelity(RulePrecision.Build(Verdicts("sharp", Verdict.TruePositive, 40), Now)).For("sharp");

        Assert.NotNull(part);
        Assert.InRange(part.Points, 8, 10);
    }

    [Fact]
    public void Benign_positives_count_as_misses_because_the_queue_is_for_attacks()
    {
        var estimate = RulePrecision.Build(Verdicts("admin-tool", Verdict.BenignPositive, 20), Now).For("admin-tool")!;

        Assert.NotNull(estimate.Part);
        Assert.True(estimate.Part.Points < 0);
        Assert.Equal(20, estimate.BenignPositives);
    }

    [Fact]
    public void Old_verdicts_weigh_less_than_new_ones_so_a_rule_noisy_a_year_ago_and_right_now_scores_positive()
    {
        var verdicts = Verdicts("tuned", Verdict.FalsePositive, 200, age: TimeSpan.FromDays(365))
            .Concat(Verdicts("tuned", Verdict.TruePositive, 12, age: TimeSpan.FromDays(1)));

        var estimate = RulePrecision.Build(verdicts, Now).For("tuned")!;

        Assert.NotNull(estimate.Part);
        Assert.True(estimate.Part.Points > 0, estimate.Part.Reason);
        Assert.InRange(estimate.Weight, 11.5, 12.5);
        Assert.Contains("after decay", estimate.Part.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_verdict_one_half_life_old_weighs_half()
    {
        var estimate = RulePrecision.Build(Verdicts("r", Verdict.FalsePositive, 20, age: TimeSpan.FromDays(30)), Now).For("r")!;

        Assert.Equal(10, estimate.Weight, 6);
        Assert.NotNull(estimate.Part);
    }

    [Fact]
    public void Enough_verdicts_that_grow_old_fall_back_under_the_minimum()
    {
        var estimate = RulePrecision.Build(Verdicts("r", Verdict.FalsePositive, 15, age: TimeSpan.FromDays(60)), Now).For("r")!;

        Assert.Null(estimate.Part);
        Assert.Equal(15, estimate.FalsePositives);
    }

    [Fact]
    public void System_closures_are_counted_apart_and_never_change_the_estimate()
    {
        var system = RulePrecision.Build(Verdicts("noisy", Verdict.FalsePositive, 100, system: true), Now);
        var both = RulePrecision.Build(
            Verdicts("noisy", Verdict.FalsePositive, 100, system: true).Concat(Verdicts("noisy", Verdict.TruePositive, 12)), Now);
        var analystOnly = RulePrecision.Build(Verdicts("noisy", Verdict.TruePositive, 12), Now);

        Assert.Null(new RuleFidelity(system).For("noisy"));
        Assert.Equal((0, 100), (system.For("noisy")!.Verdicts, system.For("noisy")!.SystemClosed));
        Assert.Equal(analystOnly.For("noisy")!.Part, both.For("noisy")!.Part);
        Assert.Equal(analystOnly.For("noisy")!.Precision, both.For("noisy")!.Precision);
    }

    [Fact]
    public void An_incident_verdict_applies_to_its_alerts_unless_an_alert_has_its_own_analyst_verdict()
    {
        var alerts = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToList();
        var verdicts = new List<RuleVerdict>();
        foreach (var alert in alerts)
        {
            verdicts.Add(new RuleVerdict("r", alert, Verdict.TruePositive, Now, IsSystem: false, ViaIncident: true));
        }
        // Three alerts an analyst judged on their own (before the incident was closed): their verdicts win.
        foreach (var alert in alerts.Take(3))
        {
            verdicts.Add(new RuleVerdict("r", alert, Verdict.FalsePositive, Now.AddHours(-2), IsSystem: false, ViaIncident: false));
        }
        // One the system closed on its own: the incident's analyst verdict still applies to it.
        verdicts.Add(new RuleVerdict("r", alerts[5], Verdict.FalsePositive, Now, IsSystem: true, ViaIncident: false));

        var estimate = RulePrecision.Build(verdicts, Now).For("r")!;

        Assert.Equal((9, 0, 3, 0), (estimate.TruePositives, estimate.BenignPositives, estimate.FalsePositives, estimate.SystemClosed));
    }

    [Fact]
    public void Points_run_from_the_most_penalty_through_zero_at_the_prior_to_the_most_bonus()
    {
        var options = new RulePrecisionOptions();

        Assert.Equal(-30, RulePrecision.Points(0, options));
        Assert.Equal(-15, RulePrecision.Points(0.25, options));
        Assert.Equal(0, RulePrecision.Points(0.5, options));
        Assert.Equal(5, RulePrecision.Points(0.75, options));
        Assert.Equal(10, RulePrecision.Points(1, options));
    }

    [Fact]
    public void A_configured_prior_half_life_and_minimum_change_the_estimate()
    {
        var options = new RulePrecisionOptions { PriorHits = 1, PriorMisses = 9, HalfLife = TimeSpan.FromDays(7), MinimumSample = 3 };

        var estimate = RulePrecision.Build(Verdicts("r", Verdict.TruePositive, 3, age: TimeSpan.Zero), Now, options).For("r")!;

        Assert.Equal(4.0 / 13, estimate.Precision, 6);
        Assert.NotNull(estimate.Part);
        Assert.EndsWith("half-life 7d", estimate.Part.Reason, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => RulePrecision.Build([], Now, options with { PriorHits = 0 }));
    }
}
