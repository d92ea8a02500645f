using System.Text.Json;

namespace Vedette.Tests.Commands;

/// <summary>A second run on the same store (a restarted server, a later ingest) continues the incidents the first left open.</summary>
public sealed class ResumeTests
{
    [Fact]
    public async Task An_alert_in_a_later_run_joins_the_open_incident_it_shares_a_host_with_and_not_one_past_the_window()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");
        await IngestAsync(folder, data, "first.ndjson", Alert("2026-11-02T08:00:00Z", "edr-1", "Credential dumping", "wks042.corp.example"));
        await IngestAsync(folder, data, "second.ndjson", Alert("2026-11-02T08:40:00Z", "edr-2", "Ransomware behaviour", "WKS042.corp.example"));
        await IngestAsync(folder, data, "third.ndjson", Alert("2026-11-02T13:00:00Z", "edr-3", "Suspicious service", "wks042.corp.example"));

        var (exit, stdout, stderr) = await Cli.RunAsync("incidents", "list", "--data", data, "--format", "json");
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var incidents = json.RootElement.GetProperty("items").EnumerateArray()
            .Select(i => (Id: i.GetProperty("id").GetString()!, Rules: i.GetProperty("ruleIds").EnumerateArray().Select(r => r.GetString()).Order().ToList()))
            .ToList();
        Assert.Equal(2, incidents.Count);
        Assert.Contains(incidents, i => i.Rules.SequenceEqual(["edr-1", "edr-2"]));
        Assert.Contains(incidents, i => i.Rules.SequenceEqual(["edr-3"]));

        var joined = incidents.Single(i => i.Rules.Count == 2).Id;
        var (showExit, showOut, _) = await Cli.RunAsync("incidents", "show", joined, "--data", data, "--format", "json");
        Assert.Equal(0, showExit);
        using var show = JsonDocument.Parse(showOut);
        var grouping = show.RootElement.GetProperty("incident").GetProperty("grouping").EnumerateArray().Select(g => g.GetProperty("explanation").GetString()).ToList();
        Assert.Contains(grouping, r => r!.StartsWith("shares host:wks042.corp.example", StringComparison.Ordinal));
        Assert.Equal(2, show.RootElement.GetProperty("alerts").GetArrayLength());
    }

    private static async Task IngestAsync(TempFolder folder, string data, string name, string line)
    {
        var file = folder.File(name);
        await File.WriteAllTextAsync(file, line + "\n");
        var (exit, _, stderr) = await Cli.RunAsync("ingest", file, "--data", data);
        Assert.True(exit == 0, stderr);
    }

    private static string Alert(string at, string rule, string title, string host) =>
        $$"""{"kind":"alert","@timestamp":"{{at}}","producer":"edr","ruleId":"{{rule}}","title":"{{title}}","severity":"high","observables":[{"type":"host","value":"{{host}}"}]}""";
}
