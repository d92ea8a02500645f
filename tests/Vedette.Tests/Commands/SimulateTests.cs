using System.Text.Json;

namespace Vedette.Tests.Commands;

/// <summary>vedette simulate (and demo) with another organisation size and attack mix.</summary>
public sealed class SimulateTests
{
    [Fact]
    public async Task Simulate_with_users_and_attacks_writes_that_organisation_and_one_truth_entry_per_attack()
    {
        using var folder = new TempFolder();
        var (events, truth, inventory) = (folder.File("events.ndjson"), folder.File("truth.json"), folder.File("inventory.csv"));

        var (exit, stdout, stderr) = await Cli.RunAsync(
            "simulate", "--events", "20000", "--seed", "3", "--users", "100", "--attacks", "ssh-bruteforce:2",
            "--out", events, "--truth", truth, "--inventory", inventory);

        Assert.True(exit == 0, stderr);
        Assert.Contains("organisation of 100 users with 2 attack scenarios", stdout, StringComparison.Ordinal);
        Assert.Equal(20000, File.ReadLines(events).Count());
        using var json = JsonDocument.Parse(File.ReadAllText(truth));
        var scenarios = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["S1", "S2"], scenarios.Select(s => s.GetProperty("id").GetString()));
        Assert.All(scenarios, s => Assert.Equal("ssh-bruteforce", s.GetProperty("kind").GetString()));
        var entities = scenarios.Select(s => s.GetProperty("entities").EnumerateArray().Select(e => e.GetString()!).ToHashSet()).ToList();
        Assert.Empty(entities[0].Intersect(entities[1]));
        Assert.All(entities, e => Assert.Single(e, v => v.StartsWith("ipv4:", StringComparison.Ordinal)));
        var firstEnd = scenarios[0].GetProperty("end").GetDateTimeOffset();
        Assert.True(scenarios[1].GetProperty("start").GetDateTimeOffset() - firstEnd >= TimeSpan.FromHours(2));
        Assert.Equal(100, File.ReadLines(inventory).Count(l => l.Contains("role:workstation", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("--attacks", "phishing:1", "--attacks: unknown attack kind 'phishing'")]
    [InlineData("--attacks", "ssh-bruteforce:0", "--attacks: 'ssh-bruteforce:0': the count after ':' must be a whole number from 1 to 8")]
    [InlineData("--attacks", "ssh-bruteforce:two", "--attacks: 'ssh-bruteforce:two'")]
    [InlineData("--attacks", "all:2,new-local-admin:1", "--attacks: 'all' stands for every kind")]
    [InlineData("--attacks", "all:4", "--attacks: a day of 10 hours holds at most")]
    [InlineData("--attacks", "ssh-bruteforce:5", "--attacks: an organisation of 220 users has 4 Linux servers")]
    [InlineData("--users", "39", "--users: an organisation has from 40 to 5000 users, not 39")]
    [InlineData("--users", "5001", "--users: an organisation has from 40 to 5000 users")]
    public async Task A_bad_attack_spec_or_organisation_size_exits_64_naming_the_option(string option, string value, string expected)
    {
        using var folder = new TempFolder();

        var (exit, _, stderr) = await Cli.RunAsync("simulate", "--events", "20000", option, value, "--out", folder.File("events.ndjson"));

        Assert.Equal(64, exit);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("events.ndjson")));
    }

    [Fact]
    public async Task Too_few_events_for_the_attacks_exits_64_with_the_number_needed()
    {
        using var folder = new TempFolder();

        var (exit, _, stderr) = await Cli.RunAsync("simulate", "--events", "5000", "--attacks", "all:3", "--out", folder.File("events.ndjson"));

        Assert.Equal(64, exit);
        Assert.Contains("--events: 18 attacks can write", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_takes_the_same_options_and_checks_every_instance_against_the_truth()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");

        var (bad, _, badErr) = await Cli.RunAsync("demo", "--attacks", "ssh-bruteforce:x", "--data", data);
        Assert.Equal(64, bad);
        Assert.Contains("--attacks: 'ssh-bruteforce:x'", badErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data));

        var (exit, stdout, stderr) = await Cli.RunAsync(
            "demo", "--events", "30000", "--seed", "5", "--users", "400", "--attacks", "ssh-bruteforce:2,new-local-admin:2",
            "--data", data, "--format", "json");

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        using var json = JsonDocument.Parse(stdout);
        var scenarios = json.RootElement.GetProperty("scenarios").EnumerateArray().ToList();
        Assert.Equal(["ssh-bruteforce", "ssh-bruteforce", "new-local-admin", "new-local-admin"], scenarios.Select(s => s.GetProperty("kind").GetString()));
        Assert.All(scenarios, s => Assert.True(s.GetProperty("detected").GetBoolean(), $"{s.GetProperty("id")} not detected"));
        Assert.Equal(400, File.ReadLines(Path.Combine(data, "demo-input", "inventory.csv")).Count(l => l.Contains("role:workstation", StringComparison.Ordinal)));
    }
}
