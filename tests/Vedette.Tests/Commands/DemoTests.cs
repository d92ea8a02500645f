using System.Text.Json;

namespace Vedette.Tests.Commands;

/// <summary>The demo end to end, judged against the simulator's ground truth.</summary>
public sealed class DemoTests
{
    [Theory]
    [InlineData(7)]
    [InlineData(1)]
    [InlineData(11)]
    public async Task Every_simulated_attack_is_detected_and_inside_an_incident(int seed)
    {
        using var folder = new TempFolder();
        var (exit, stdout, stderr) = await Cli.RunAsync("demo", "--events", "40000", "--seed", seed.ToString(), "--data", folder.Path, "--format", "json");

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(40000, root.GetProperty("events").GetInt64());
        Assert.Equal(0, root.GetProperty("errors").GetInt64());
        Assert.True(root.GetProperty("eventsPerSecond").GetDouble() > 0);
        Assert.True(root.GetProperty("elapsedSeconds").GetDouble() > 0);
        var scenarios = root.GetProperty("scenarios").EnumerateArray().ToList();
        Assert.Equal(6, scenarios.Count);
        Assert.All(scenarios, s =>
        {
            Assert.True(s.GetProperty("detected").GetBoolean(), $"{s.GetProperty("kind")} not detected");
            Assert.True(Guid.TryParse(s.GetProperty("incidentId").GetString(), out _), $"{s.GetProperty("kind")} has no incident");
        });
        Assert.True(root.GetProperty("incidents").GetInt64() >= 6);
    }

    [Fact]
    public async Task The_real_attacks_lead_the_queue_and_the_queue_commands_agree_with_the_demo()
    {
        using var folder = new TempFolder();
        var (exit, stdout, _) = await Cli.RunAsync("demo", "--events", "40000", "--seed", "7", "--data", folder.Path, "--format", "json");
        Assert.Equal(0, exit);
        using var demo = JsonDocument.Parse(stdout);
        var attackIncidents = demo.RootElement.GetProperty("scenarios").EnumerateArray().Select(s => s.GetProperty("incidentId").GetString()).ToHashSet();

        var (listExit, listOut, _) = await Cli.RunAsync("incidents", "list", "--data", folder.Path, "--format", "json", "--limit", "1000");
        Assert.Equal(0, listExit);
        using var list = JsonDocument.Parse(listOut);
        var items = list.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(demo.RootElement.GetProperty("incidents").GetInt64(), items.Count);
        var scores = items.Select(i => i.GetProperty("score").GetInt32()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        // No incident without an attack in it scores above any incident of the six attacks.
        var attackScores = items.Where(i => attackIncidents.Contains(i.GetProperty("id").GetString())).Select(i => i.GetProperty("score").GetInt32()).ToList();
        var otherScores = items.Where(i => !attackIncidents.Contains(i.GetProperty("id").GetString())).Select(i => i.GetProperty("score").GetInt32()).ToList();
        Assert.Equal(attackIncidents.Count, attackScores.Count);
        Assert.True(attackScores.Min() >= otherScores.Max(), $"attack incidents score {string.Join(",", attackScores)}; the best other incident {otherScores.Max()}");

        var incidentId = items[0].GetProperty("id").GetString()!;
        var (showExit, showOut, _) = await Cli.RunAsync("incidents", "show", incidentId, "--data", folder.Path, "--format", "json");
        Assert.Equal(0, showExit);
        using var show = JsonDocument.Parse(showOut);
        var alerts = show.RootElement.GetProperty("alerts").EnumerateArray().ToList();
        Assert.Equal(show.RootElement.GetProperty("incident").GetProperty("alertIds").GetArrayLength(), alerts.Count);
        Assert.All(alerts, a => Assert.Equal(incidentId, a.GetProperty("incidentId").GetString()));

        var alertId = alerts[0].GetProperty("id").GetString()!;
        var (alertExit, alertOut, _) = await Cli.RunAsync("alerts", "show", alertId, "--data", folder.Path, "--format", "json");
        Assert.Equal(0, alertExit);
        using var alert = JsonDocument.Parse(alertOut);
        Assert.NotEmpty(alert.RootElement.GetProperty("evidence").EnumerateArray());
        Assert.NotEmpty(alert.RootElement.GetProperty("risk").GetProperty("parts").EnumerateArray());
    }

    [Fact]
    public async Task The_table_output_prints_the_queue_and_the_scenario_check()
    {
        using var folder = new TempFolder();
        var (exit, stdout, stderr) = await Cli.RunAsync("demo", "--events", "20000", "--seed", "3", "--data", folder.Path);
        Assert.True(exit == 0, stderr);
        Assert.Contains("Incident queue", stdout, StringComparison.Ordinal);
        Assert.Contains("Attack scenarios", stdout, StringComparison.Ordinal);
        Assert.Contains("password-spraying", stdout, StringComparison.Ordinal);
        Assert.Contains("events/s", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(" NO ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_refuses_to_replace_a_store_it_did_not_create()
    {
        using var folder = new TempFolder();
        var events = folder.File("e.ndjson");
        File.WriteAllText(events, "{\"kind\":\"alert\",\"title\":\"x\",\"severity\":\"low\"}\n");
        var data = Path.Combine(folder.Path, "data");
        Assert.Equal(0, (await Cli.RunAsync("ingest", events, "--data", data)).ExitCode);

        var (exit, _, stderr) = await Cli.RunAsync("demo", "--events", "5000", "--data", data);
        Assert.NotEqual(0, exit);
        Assert.Contains("did not create", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data, "vedette.db")));
    }
}
