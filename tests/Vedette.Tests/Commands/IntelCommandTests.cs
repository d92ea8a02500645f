using System.Text.Json;

namespace Vedette.Tests.Commands;

/// <summary>The intel commands as a user runs them: the real binary, the real feed files, a store on disk.</summary>
public sealed class IntelCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Intel(params string[] parts) => SharedData.Path(["intel", .. parts]);

    private async Task<JsonElement> JsonAsync(int expectedExit, params string[] args)
    {
        var (exit, stdout, stderr) = await Cli.RunAsync([.. args, "--data", _temp.Path, "--format", "json"]);
        Assert.True(exit == expectedExit, $"exit {exit}, expected {expectedExit}: {stderr}\n{stdout}");
        using var document = JsonDocument.Parse(stdout);
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task Load_reports_what_each_real_file_contributed_and_what_it_declares()
    {
        var drop = await JsonAsync(0, "intel", "load", Intel("spamhaus", "drop_v4.json"), "--kind", "spamhaus", "--name", "spamhaus-drop");
        var asn = await JsonAsync(0, "intel", "load", Intel("spamhaus", "asn_drop.json"), "--kind", "spamhaus", "--name", "spamhaus-asn-drop");
        var ipsum = await JsonAsync(0, "intel", "load", Intel("ipsum", "ipsum.txt"), "--kind", "list");
        var apt1 = await JsonAsync(0, "intel", "load", Intel("stix21", "examples", "threat-reports", "apt1.json"), "--kind", "stix");
        var feodo = await JsonAsync(0, "intel", "load", Intel("abusech-feodo", "ipblocklist.csv"), "--kind", "csv", "--columns", "feodo");

        Assert.Equal(("spamhaus-drop", 1406, 1406, 1406), (drop.GetProperty("feed").GetString(), drop.GetProperty("indicators").GetInt32(), drop.GetProperty("declared").GetInt32(), drop.GetProperty("byType").GetProperty("ipv4").GetInt32()));
        Assert.Equal((201, 201), (asn.GetProperty("indicators").GetInt32(), asn.GetProperty("byType").GetProperty("asn").GetInt32()));
        Assert.Equal(("ipsum", 120_430), (ipsum.GetProperty("feed").GetString(), ipsum.GetProperty("indicators").GetInt32()));
        Assert.Equal(12, apt1.GetProperty("declared").GetInt32());
        // Its unsupported x509 patterns are errors naming feed, file and line, not silently dropped.
        var errors = apt1.GetProperty("errors").EnumerateArray().ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.StartsWith("apt1 (", e.GetProperty("source").GetString(), StringComparison.Ordinal));
        Assert.All(errors, e => Assert.True(e.GetProperty("line").GetInt64() > 0));
        Assert.Equal((28, 28), (feodo.GetProperty("indicators").GetInt32(), feodo.GetProperty("declared").GetInt32()));
    }

    [Fact]
    public async Task Lookup_names_the_range_the_parent_domain_and_every_feed()
    {
        await JsonAsync(0, "intel", "load", Intel("spamhaus", "drop_v4.json"), "--kind", "spamhaus", "--name", "spamhaus-drop");
        await JsonAsync(0, "intel", "load", Intel("firehol", "firehol_level1.netset"), "--kind", "list", "--name", "firehol");
        var list = _temp.File("mine.txt");
        await File.WriteAllTextAsync(list, "# our own\nevil.example\n", CancellationToken.None);
        await JsonAsync(0, "intel", "load", list, "--kind", "list", "--score", "90");

        var result = await JsonAsync(0, "intel", "lookup", "1.10.16.77", "a.b.evil.example", "8.8.8.8");

        var results = result.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["1.10.16.77", "a.b.evil.example", "8.8.8.8"], results.Select(r => r.GetProperty("value").GetString()));
        var range = results[0].GetProperty("matches")[0];
        Assert.Equal(("1.10.16.0/20", "ipv4", "cidr"), (range.GetProperty("indicator").GetString(), range.GetProperty("type").GetString(), range.GetProperty("reason").GetString()));
        Assert.Equal(["firehol", "spamhaus-drop"], range.GetProperty("feeds").EnumerateArray().Select(f => f.GetString()));
        var parent = Assert.Single(results[1].GetProperty("matches").EnumerateArray());
        Assert.Equal(("evil.example", "domain", "parent-domain", 90), (parent.GetProperty("indicator").GetString(), parent.GetProperty("type").GetString(), parent.GetProperty("reason").GetString(), parent.GetProperty("score").GetInt32()));
        Assert.Empty(results[2].GetProperty("matches").EnumerateArray());
    }

    [Fact]
    public async Task A_truncated_file_fails_with_the_feed_and_line_and_the_store_keeps_the_previous_load()
    {
        var bundle = _temp.File("vendor.json");
        var text = await File.ReadAllTextAsync(Intel("stix21", "examples", "threat-reports", "poisonivy.json"), CancellationToken.None);
        await File.WriteAllTextAsync(bundle, text, CancellationToken.None);
        var first = await JsonAsync(0, "intel", "load", bundle, "--kind", "stix");
        await File.WriteAllTextAsync(bundle, text[..(text.Length / 3)], CancellationToken.None);

        var second = await JsonAsync(1, "intel", "load", bundle, "--kind", "stix");

        Assert.False(second.GetProperty("updated").GetBoolean());
        Assert.Matches(@"^vendor \(.*vendor\.json\): line \d+: ", second.GetProperty("failure").GetString());
        Assert.Equal(first.GetProperty("indicators").GetInt32(), second.GetProperty("indicators").GetInt32());
        var stats = await JsonAsync(0, "intel", "stats");
        var feed = Assert.Single(stats.GetProperty("feeds").EnumerateArray());
        Assert.Equal(first.GetProperty("indicators").GetInt32(), feed.GetProperty("live").GetInt32());
        Assert.Equal(second.GetProperty("failure").GetString(), feed.GetProperty("lastError").GetString());
    }

    [Fact]
    public async Task Update_runs_the_feeds_of_a_YAML_file_and_a_second_run_finds_them_unchanged()
    {
        var config = _temp.File("feeds.yml");
        await File.WriteAllTextAsync(config, $"""
            feeds:
              - name: drop
                kind: spamhaus
                location: {Intel("spamhaus", "drop_v4.json")}
                schedule: "0 */12 * * *"
              - name: feodo
                kind: csv
                location: {Intel("abusech-feodo", "ipblocklist.csv")}
                csv: {"{"} value: dst_ip, type: ipv4, first-seen: first_seen_utc, tags: [malware] {"}"}
              - name: off
                kind: list
                location: nowhere.txt
                enabled: false
            """, CancellationToken.None);

        var first = await JsonAsync(0, "intel", "update", "--config", config);
        var second = await JsonAsync(0, "intel", "update", "--config", config);

        Assert.Equal([("drop", 1406), ("feodo", 28)], first.GetProperty("feeds").EnumerateArray().Select(f => (f.GetProperty("feed").GetString(), f.GetProperty("indicators").GetInt32())));
        Assert.All(second.GetProperty("feeds").EnumerateArray(), f => Assert.True(f.GetProperty("notModified").GetBoolean()));
        Assert.Equal(1406 + 28, second.GetProperty("indicators").GetInt32());
    }

    [Fact]
    public async Task A_feeds_file_with_mistakes_is_refused_whole_with_its_lines()
    {
        var config = _temp.File("feeds.yml");
        await File.WriteAllTextAsync(config, "feeds:\n  - name: a\n    kind: nonsense\n    location: x\n  - name: b\n    kind: list\n    location: y\n    colour: red\n", CancellationToken.None);

        var (exit, _, stderr) = await Cli.RunAsync("intel", "update", "--config", config, "--data", _temp.Path);

        Assert.NotEqual(0, exit);
        Assert.Contains("feeds.yml", stderr, StringComparison.Ordinal);
        Assert.Contains("nonsense", stderr, StringComparison.Ordinal);
        Assert.Contains("colour", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_arguments_are_refused_before_anything_is_read()
    {
        var (exit, _, stderr) = await Cli.RunAsync("intel", "load", Intel("abusech-feodo", "ipblocklist.csv"), "--kind", "csv", "--data", _temp.Path);

        Assert.Equal(64, exit);
        Assert.Contains("--columns", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_temp.Path, "vedette.db")));
    }
}
