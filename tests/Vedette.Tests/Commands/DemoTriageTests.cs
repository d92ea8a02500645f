using System.Text.Json;

namespace Vedette.Tests.Commands;

/// <summary>
/// The triage must-show, judged on the demo's JSON against the simulator's ground truth: each attack in exactly one
/// incident, every attack incident above every benign-only one, and at least 20 alerts per incident. Run on
/// organisations of different sizes and attack mixes, so that no one seed is what passes.
/// </summary>
public sealed class DemoTriageTests
{
    [Theory]
    [InlineData("--seed", "11")]
    [InlineData("--seed", "5", "--users", "60", "--attacks", "all:2")]
    [InlineData("--seed", "3", "--users", "400", "--attacks", "ssh-bruteforce:3,new-local-admin:2,phishing-execution-beaconing:2")]
    public async Task Every_attack_is_one_incident_and_every_attack_incident_leads_the_queue(params string[] simulation)
    {
        using var folder = new TempFolder();
        string[] args = ["demo", "--events", "300000", .. simulation, "--data", folder.Path, "--format", "json"];
        var (exit, stdout, stderr) = await Cli.RunAsync(args);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");

        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        var queue = root.GetProperty("queue").EnumerateArray().ToList();
        var scenarios = root.GetProperty("scenarios").EnumerateArray().ToList();
        Assert.Equal(root.GetProperty("incidents").GetInt64(), queue.Count);
        Assert.NotEmpty(scenarios);

        var rankOf = queue.Select((entry, rank) => (Id: entry.GetProperty("incidentId").GetString()!, rank)).ToDictionary(p => p.Id, p => p.rank);
        foreach (var scenario in scenarios)
        {
            var id = scenario.GetProperty("id").GetString()!;
            Assert.True(scenario.GetProperty("detected").GetBoolean(), $"{id} missed");
            var holders = scenario.GetProperty("incidentIds").EnumerateArray().Select(i => i.GetString()!).ToList();
            var holder = Assert.Single(holders);
            var entry = queue[rankOf[holder]];
            Assert.Equal([id], entry.GetProperty("scenarios").EnumerateArray().Select(s => s.GetString()));
        }

        var attackRanks = queue.Select((entry, rank) => (entry, rank)).Where(p => p.entry.GetProperty("scenarios").GetArrayLength() > 0).Select(p => p.rank).ToList();
        var benignRanks = queue.Select((entry, rank) => (entry, rank)).Where(p => p.entry.GetProperty("scenarios").GetArrayLength() == 0).Select(p => p.rank).ToList();
        Assert.Equal(scenarios.Count, attackRanks.Count);
        Assert.NotEmpty(benignRanks);
        Assert.True(attackRanks.Max() < benignRanks.Min(), $"attack ranks {string.Join(",", attackRanks)}; first benign-only rank {benignRanks.Min()}");

        var scores = queue.Select(e => e.GetProperty("score").GetInt32()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        var alerts = root.GetProperty("alerts").GetInt64();
        Assert.Equal(alerts, queue.Sum(e => e.GetProperty("alerts").GetInt64()));
        Assert.True(alerts >= 20 * queue.Count, $"{alerts} alerts in {queue.Count} incidents");
    }
}
