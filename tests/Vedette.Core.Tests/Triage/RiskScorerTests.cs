using Vedette.Domain;
using Vedette.Triage;

namespace Vedette.Tests.Triage;

public sealed class RiskScorerTests
{
    [Fact]
    public void Level_intel_and_asset_criticality_each_add_a_recorded_part()
    {
        var alert = Some.Alert(severity: Severity.Medium, observables: [Some.Ip("203.0.113.7"), Some.Host("dc01.corp.example")]);
        alert.IntelHits.Add(new IntelHit(Some.Ip("203.0.113.7"), "ipv4:203.0.113.7", "feodo", 80, "exact"));
        alert.IntelHits.Add(new IntelHit(Some.Ip("203.0.113.7"), "ipv4:203.0.113.7", "ipsum", 60, "exact"));
        alert.Context["host:dc01.corp.example"] = "critical";

        var score = RiskScorer.Score(alert);

        Assert.Equal(["rule level", "threat intel", "asset criticality"], score.Parts.Select(p => p.Factor));
        Assert.Equal([35, 25, 15], score.Parts.Select(p => p.Points));
        Assert.Equal(75, score.Total);
        Assert.Contains("feodo, ipsum", score.Parts[1].Reason, StringComparison.Ordinal);
        Assert.Contains("host:dc01.corp.example is critical", score.Parts[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_score_never_passes_100()
    {
        var alert = Some.Alert(severity: Severity.Critical);
        for (var i = 0; i < 5; i++)
        {
            alert.IntelHits.Add(new IntelHit(Some.Ip("203.0.113.7"), "x", $"feed{i}", 100, "exact"));
        }
        alert.Context["host:x"] = "critical";
        Assert.Equal(100, RiskScorer.Score(alert).Total);
    }
}
