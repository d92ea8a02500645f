using System.Globalization;
using System.Text.Json;
using Vedette.Storage.Sqlite;

namespace Vedette.Tests.Commands;

/// <summary>Analysts close alerts from the command line; `rules stats` shows what their verdicts taught.</summary>
public sealed class RulesStatsTests
{
    private static async Task<JsonDocument> JsonAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await Cli.RunAsync([.. args, "--format", "json"]);
        Assert.True(exit == 0, $"{string.Join(' ', args)}: exit {exit}: {stderr}");
        return JsonDocument.Parse(stdout);
    }

    private static JsonElement Rule(JsonDocument stats, string ruleId) =>
        stats.RootElement.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("ruleId").GetString() == ruleId);

    private static async Task<List<string>> AlertIdsAsync(string data, string ruleId)
    {
        using var page = await JsonAsync("alerts", "list", "--rule", ruleId, "--limit", "1000", "--data", data);
        return [.. page.RootElement.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()!)];
    }

    [Fact]
    public async Task Verdicts_given_with_alerts_close_and_incidents_close_show_in_rules_stats()
    {
        using var folder = new TempFolder();
        var data = folder.Path;
        await Cli.RunAsync("demo", "--events", "80000", "--seed", "3", "--data", data, "--format", "json");

        using var before = await JsonAsync("rules", "stats", "--data", data);
        var rules = before.RootElement.GetProperty("rules").EnumerateArray().ToList();
        Assert.NotEmpty(rules);
        Assert.All(rules, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("precision").ValueKind));
        // The noisiest rule (listed first) and another one.
        var noisy = rules[0].GetProperty("ruleId").GetString()!;
        var other = rules[1].GetProperty("ruleId").GetString()!;
        var noisyIds = await AlertIdsAsync(data, noisy);
        Assert.True(noisyIds.Count >= 40, $"{noisy} raised only {noisyIds.Count} alerts");

        // One call closes many alerts: how an analyst clears a noisy rule from the queue.
        using var closed = await JsonAsync(["alerts", "close", .. noisyIds.Take(40), "--verdict", "false-positive", "--analyst", "ana", "--note", "admin script", "--data", data]);
        Assert.All(closed.RootElement.GetProperty("results").EnumerateArray(), r =>
            Assert.Equal(("updated", "closed", "false-positive"), (r.GetProperty("outcome").GetString(), r.GetProperty("status").GetString(), r.GetProperty("verdict").GetString())));
        var otherId = (await AlertIdsAsync(data, other))[0];
        var (tpExit, _, tpErr) = await Cli.RunAsync("alerts", "close", otherId, "--verdict", "true-positive", "--analyst", "bob", "--data", data);
        Assert.True(tpExit == 0, tpErr);

        using var after = await JsonAsync("rules", "stats", "--data", data);
        var learned = Rule(after, noisy);
        Assert.Equal(40, learned.GetProperty("verdicts").GetProperty("falsePositive").GetInt32());
        Assert.Equal(0, learned.GetProperty("systemClosed").GetInt32());
        Assert.True(learned.GetProperty("precision").GetDouble() < 0.05);
        Assert.True(learned.GetProperty("points").GetInt32() <= -25);
        Assert.Contains("40 analyst verdicts (0 TP, 40 FP/BP)", learned.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var suggestion = learned.GetProperty("suggestion").GetString();
        Assert.NotNull(suggestion);
        Assert.StartsWith($"vedette suppress add --rule {noisy} ", suggestion, StringComparison.Ordinal);
        Assert.Contains("--reason '40 of 40 analyst verdicts were false or benign positives", suggestion, StringComparison.Ordinal);
        var confirmed = Rule(after, other);
        Assert.Equal(1, confirmed.GetProperty("verdicts").GetProperty("truePositive").GetInt32());
        Assert.Equal(JsonValueKind.Null, confirmed.GetProperty("precision").ValueKind);
        Assert.Equal(JsonValueKind.Null, confirmed.GetProperty("suggestion").ValueKind);

        await using (var store = await SqliteStore.OpenAsync(Path.Combine(data, "vedette.db"), TimeProvider.System, CancellationToken.None))
        {
            var audit = await store.ReadAuditAsync(0, 100, CancellationToken.None);
            Assert.Equal(41, audit.Count(e => e.Action == "alert.close"));
            var first = audit.First(e => e.Action == "alert.close");
            Assert.Equal(("ana", $"alert/{noisyIds[0]}"), (first.Actor, first.Target));
            Assert.Equal("""{"from":"new","to":"closed","verdict":"false-positive","note":"admin script"}""", first.Details);
        }

        // Closing an incident gives its verdict to every alert of it that has none of its own.
        using var incidents = await JsonAsync("incidents", "list", "--status", "new", "--limit", "1", "--data", data);
        var incident = incidents.RootElement.GetProperty("items")[0];
        var (incidentExit, incidentOut, incidentErr) = await Cli.RunAsync("incidents", "close", incident.GetProperty("id").GetString()!, "--verdict", "benign-positive", "--analyst", "ana", "--data", data);
        Assert.True(incidentExit == 0, incidentErr);
        Assert.Contains("closed (benign-positive) by ana", incidentOut, StringComparison.Ordinal);
        using var afterIncident = await JsonAsync("rules", "stats", "--data", data);
        var benign = afterIncident.RootElement.GetProperty("rules").EnumerateArray().Sum(r => r.GetProperty("verdicts").GetProperty("benignPositive").GetInt32());
        Assert.True(benign >= 1);
    }

    [Fact]
    public async Task The_suggested_suppression_names_the_entity_most_false_positives_share_but_never_one_of_an_attack()
    {
        using var folder = new TempFolder();
        var input = folder.File("alerts.ndjson");
        // Two hours apart, so that no repeat folds into an earlier alert. The backup server is in 61 of 70 alerts;
        // every alert names the jump host too, and so does the one real attack (on a workstation).
        var start = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        File.WriteAllLines(input, Enumerable.Range(0, 70).Select(i =>
        {
            var host = i % 8 == 7 ? $"wks{i}.corp.example" : "backup01.corp.example";
            var at = start.AddHours(2 * i).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            return $$"""{"kind":"alert","@timestamp":"{{at}}","producer":"edr","ruleId":"edr:shadow-copy","title":"Shadow copy deleted","severity":"high","observables":[{"type":"host","value":"{{host}}"},{"type":"host","value":"jump01.corp.example"},{"type":"user","value":"svc{{i}}"}]}""";
        }));
        Assert.Equal(0, (await Cli.RunAsync("ingest", input, "--data", folder.Path)).ExitCode);
        using var page = await JsonAsync("alerts", "list", "--rule", "edr:shadow-copy", "--limit", "1000", "--data", folder.Path);
        var alerts = page.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(70, alerts.Count);
        var ids = alerts.Select(a => a.GetProperty("id").GetString()!).ToList();
        var attack = alerts.Single(a => a.GetProperty("observables").EnumerateArray().Any(o => o.GetProperty("value").GetString() == "wks63.corp.example"))
            .GetProperty("id").GetString()!;

        Assert.Equal(0, (await Cli.RunAsync(["alerts", "close", .. ids.Where(id => id != attack), "--verdict", "false-positive", "--analyst", "ana", "--data", folder.Path])).ExitCode);
        Assert.Equal(0, (await Cli.RunAsync("alerts", "close", attack, "--verdict", "true-positive", "--analyst", "ana", "--data", folder.Path)).ExitCode);

        using var stats = await JsonAsync("rules", "stats", "--data", folder.Path);
        var suggestion = Rule(stats, "edr:shadow-copy").GetProperty("suggestion").GetString();
        Assert.NotNull(suggestion);
        Assert.Contains("--rule edr:shadow-copy --entity host:backup01.corp.example --expires 30d --reason '69 of 70 analyst verdicts", suggestion, StringComparison.Ordinal);
        Assert.DoesNotContain("jump01", suggestion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_table_names_the_model_and_a_rule_without_verdicts_shows_a_dash()
    {
        using var folder = new TempFolder();
        var input = folder.File("alerts.ndjson");
        File.WriteAllLines(input, Enumerable.Range(0, 3).Select(i =>
            $$"""{"kind":"alert","@timestamp":"2026-11-02T09:0{{i}}:00Z","producer":"edr","title":"Alert {{i}}","severity":"medium","observables":[{"type":"host","value":"wks{{i}}.corp.example"}]}"""));
        Assert.Equal(0, (await Cli.RunAsync("ingest", input, "--data", folder.Path)).ExitCode);

        var (exit, stdout, stderr) = await Cli.RunAsync("rules", "stats", "--data", folder.Path);

        Assert.True(exit == 0, stderr);
        Assert.Contains("Beta(2, 2) prior", stdout, StringComparison.Ordinal);
        Assert.Contains("—", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alerts", "close", "01a22471-a5ae-7107-b95e-670f844f4bbf", "--verdict", "maybe", "--analyst", "ana")]
    [InlineData("alerts", "close", "01a22471-a5ae-7107-b95e-670f844f4bbf", "--analyst", "ana")]
    [InlineData("alerts", "close", "01a22471-a5ae-7107-b95e-670f844f4bbf", "--verdict", "false-positive")]
    [InlineData("incidents", "close", "01a22471-a5ae-7107-b95e-670f844f4bbf", "--verdict", "closed", "--analyst", "ana")]
    [InlineData("alerts", "acknowledge", "01a22471-a5ae-7107-b95e-670f844f4bbf")]
    public async Task A_missing_analyst_or_a_bad_verdict_is_a_usage_error(params string[] args)
    {
        using var folder = new TempFolder();

        var (exit, _, stderr) = await Cli.RunAsync([.. args, "--data", folder.Path]);

        Assert.Equal(64, exit);
        Assert.Matches("verdict|analyst", stderr);
    }

    [Fact]
    public async Task Closing_a_closed_alert_is_refused_and_an_unknown_id_is_not_found()
    {
        using var folder = new TempFolder();
        var input = folder.File("alerts.ndjson");
        File.WriteAllLines(input, ["""{"kind":"alert","@timestamp":"2026-11-02T09:00:00Z","producer":"edr","title":"Alert","severity":"high"}"""]);
        Assert.Equal(0, (await Cli.RunAsync("ingest", input, "--data", folder.Path)).ExitCode);
        using var page = await JsonAsync("alerts", "list", "--data", folder.Path);
        var id = page.RootElement.GetProperty("items")[0].GetProperty("id").GetString()!;

        var (ackExit, _, ackErr) = await Cli.RunAsync("alerts", "acknowledge", id, "--analyst", "ana", "--data", folder.Path);
        Assert.True(ackExit == 0, ackErr);
        Assert.Equal(0, (await Cli.RunAsync("alerts", "close", id, "--verdict", "true-positive", "--analyst", "ana", "--data", folder.Path)).ExitCode);
        var (again, _, againErr) = await Cli.RunAsync("alerts", "close", id, "--verdict", "false-positive", "--analyst", "bob", "--data", folder.Path);
        var (missing, _, missingErr) = await Cli.RunAsync("alerts", "close", Guid.CreateVersion7().ToString(), "--verdict", "false-positive", "--analyst", "bob", "--data", folder.Path);

        Assert.Equal(1, again);
        Assert.Contains("already there", againErr, StringComparison.Ordinal);
        Assert.Equal(3, missing);
        Assert.Contains("no alert with this id", missingErr, StringComparison.Ordinal);
        using var shown = await JsonAsync("alerts", "show", id, "--data", folder.Path);
        Assert.Equal("true-positive", shown.RootElement.GetProperty("verdict").GetString());
    }
}
