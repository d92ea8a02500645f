using Vedette.Domain;
using Vedette.Enrich;
using Vedette.Triage;

namespace Vedette.Tests.Triage;

public sealed class RiskScorerTests
{
    private static readonly AssetInventory Inventory = new(
    [
        new Asset(Some.Host("dc01.corp.example"), Criticality.Critical, "it-ops", ["ip:10.0.0.10"]),
        new Asset(Some.Host("scan01.corp.example"), Criticality.Low, "secops", ["role:scanner", "ip:10.0.9.9"]),
        new Asset(Some.User("CORP\\adm_jane"), Criticality.Medium, null, ["role:admin"]),
        new Asset(Some.User("CORP\\bob"), Criticality.Low, null, []),
    ]);

    [Fact]
    public void Level_intel_and_asset_criticality_each_add_a_recorded_part()
    {
        var alert = Some.Alert(severity: Severity.Medium, observables: [Some.Ip("203.0.113.7"), Some.Host("dc01.corp.example")]);
        alert.IntelHits.Add(new IntelHit(Some.Ip("203.0.113.7"), "ipv4:203.0.113.7", "feodo", 80, "exact"));
        alert.IntelHits.Add(new IntelHit(Some.Ip("203.0.113.7"), "ipv4:203.0.113.7", "ipsum", 60, "exact"));

        var score = RiskScorer.Score(alert, NoFidelity.Instance, Inventory);

        Assert.Equal(["rule level", "threat intel", "asset criticality"], score.Parts.Select(p => p.Factor));
        Assert.Equal([35, 25, 15], score.Parts.Select(p => p.Points));
        Assert.Equal(75, score.Total);
        Assert.Contains("feodo, ipsum", score.Parts[1].Reason, StringComparison.Ordinal);
        Assert.Contains("dc01.corp.example is critical", score.Parts[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_address_of_a_known_host_counts_as_that_host()
    {
        var alert = Some.Alert(severity: Severity.Low, observables: [Some.Ip("10.0.0.10")]);

        var part = Assert.Single(RiskScorer.Score(alert, NoFidelity.Instance, Inventory).Parts, p => p.Factor == "asset criticality");

        Assert.Equal(15, part.Points);
        Assert.Contains("ipv4:10.0.0.10 (host:dc01.corp.example)", part.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_privileged_account_weighs_more_than_an_ordinary_one()
    {
        var admin = RiskScorer.Score(Some.Alert(observables: [Some.User("CORP\\adm_jane")]), NoFidelity.Instance, Inventory);
        var ordinary = RiskScorer.Score(Some.Alert(observables: [Some.User("CORP\\bob")]), NoFidelity.Instance, Inventory);

        Assert.Equal(10, Assert.Single(admin.Parts, p => p.Factor == "identity privilege").Points);
        Assert.Equal(0, Assert.Single(ordinary.Parts, p => p.Factor == "identity privilege").Points);
        Assert.True(admin.Total > ordinary.Total);
    }

    [Fact]
    public void Probing_from_the_known_scanner_is_marked_down_and_says_why()
    {
        var alert = Some.Alert(severity: Severity.Medium, observables: [Some.Ip("10.0.9.9")]);

        var score = RiskScorer.Score(alert, NoFidelity.Instance, Inventory);

        var part = Assert.Single(score.Parts, p => p.Factor == "expected activity");
        Assert.Equal(RiskScorer.ScannerPoints, part.Points);
        Assert.Contains("vulnerability scanner", part.Reason, StringComparison.Ordinal);
        Assert.Equal(35 + RiskScorer.ScannerPoints, score.Total);
    }

    [Fact]
    public void Later_tactics_in_the_kill_chain_weigh_more()
    {
        var discovery = Some.Alert();
        discovery.Tags.Add("attack.discovery");
        var c2 = Some.Alert();
        c2.Tags.Add("attack.discovery");
        c2.Tags.Add("attack.command_and_control");

        var low = Assert.Single(RiskScorer.Score(discovery).Parts, p => p.Factor == "att&ck tactic");
        var high = Assert.Single(RiskScorer.Score(c2).Parts, p => p.Factor == "att&ck tactic");

        Assert.True(high.Points > low.Points);
        Assert.StartsWith("command-and-control", high.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Learned_fidelity_is_a_part_of_its_own()
    {
        var alert = Some.Alert(ruleId: "noisy", severity: Severity.High);

        var score = RiskScorer.Score(alert, new FixedFidelity("noisy", -30), AssetInventory.Empty);

        Assert.Equal(["rule level", "rule fidelity"], score.Parts.Select(p => p.Factor));
        Assert.Equal(55 - 30, score.Total);
    }

    [Fact]
    public void The_score_stays_within_0_and_100()
    {
        var alert = Some.Alert(severity: Severity.Critical, observables: [Some.Host("dc01.corp.example")]);
        for (var i = 0; i < 5; i++)
        {
            alert.IntelHits.Add(new IntelHit(Some.Ip("203.0.113.7"), "x", $"feed{i}", 100, "exact"));
        }
        Assert.Equal(100, RiskScorer.Score(alert, NoFidelity.Instance, Inventory).Total);

        var scanned = Some.Alert(ruleId: "noisy", severity: Severity.Informational, observables: [Some.Ip("10.0.9.9")]);
        Assert.Equal(0, RiskScorer.Score(scanned, new FixedFidelity("noisy", -30), Inventory).Total);
    }

    private sealed class FixedFidelity(string ruleId, int points) : IRuleFidelity
    {
        public ScorePart? For(string id) => id == ruleId ? new ScorePart("rule fidelity", points, "fixed for the test") : null;
    }
}
