using System.Text.Json;
using Vedette.Domain;
using Vedette.Storage.Sqlite;
using static Vedette.Tests.Commands.RegroupCommandTests;

namespace Vedette.Tests.Commands;

/// <summary>`vedette alerts close` and `vedette incidents close`: a verdict, who gave it and why, or a clear refusal.</summary>
public sealed class CloseCommandTests
{
    private static async Task<SqliteStore> OpenAsync(string data) =>
        await SqliteStore.OpenAsync(Path.Combine(data, "vedette.db"), TimeProvider.System, CancellationToken.None);

    [Fact]
    public async Task Closing_an_incident_records_the_verdict_the_analyst_and_the_note_and_the_verdict_counts_for_its_alerts()
    {
        using var folder = new TempFolder();
        var data = folder.Path;
        await DemoAsync(folder);
        var incident = (await QueueAsync(data)).First(i => AlertIds(i).Count >= 2);
        var at = DateTimeOffset.UtcNow;

        var closed = await JsonAsync("incidents", "close", Id(incident), "--verdict", "true-positive", "--analyst", " ana ", "--note", "contained on wks056", "--data", data);

        var result = Assert.Single(closed.GetProperty("results").EnumerateArray());
        Assert.Equal(
            (Id(incident), "incident", "updated", "closed", "true-positive", 1),
            (Id(result), result.GetProperty("kind").GetString(), result.GetProperty("outcome").GetString(), result.GetProperty("status").GetString(),
                result.GetProperty("verdict").GetString(), result.GetProperty("version").GetInt32()));
        Assert.Equal(JsonValueKind.Null, result.GetProperty("error").ValueKind);

        var stored = await IncidentAsync(data, Id(incident));
        Assert.Equal(("closed", "true-positive"), (stored.GetProperty("status").GetString(), stored.GetProperty("verdict").GetString()));
        var step = Assert.Single(stored.GetProperty("transitions").EnumerateArray());
        Assert.Equal(
            ("new", "closed", "ana", false, "true-positive", "contained on wks056"),
            (step.GetProperty("from").GetString(), step.GetProperty("to").GetString(), step.GetProperty("by").GetString(),
                step.GetProperty("system").GetBoolean(), step.GetProperty("verdict").GetString(), step.GetProperty("note").GetString()));
        Assert.True((step.GetProperty("at").GetDateTimeOffset() - at).Duration() < TimeSpan.FromMinutes(5));

        await using var store = await OpenAsync(data);
        var entry = Assert.Single(await store.ReadAuditAsync(0, 100, CancellationToken.None));
        Assert.Equal(("ana", "incident.close", $"incident/{Id(incident)}"), (entry.Actor, entry.Action, entry.Target));
        Assert.Equal("""{"from":"new","to":"closed","verdict":"true-positive","note":"contained on wks056"}""", entry.Details);
        var verdicts = await store.ReadVerdictsAsync(DateTimeOffset.MinValue, CancellationToken.None);
        Assert.Equal(AlertIds(incident).Order(), verdicts.Select(v => v.AlertId.ToString()).Order());
        Assert.All(verdicts, v => Assert.Equal((Verdict.TruePositive, true, false), (v.Verdict, v.ViaIncident, v.IsSystem)));
    }

    [Fact]
    public async Task Closing_alerts_closes_each_known_one_and_names_the_unknown_one()
    {
        using var folder = new TempFolder();
        var data = folder.Path;
        await DemoAsync(folder);
        var ids = AlertIds((await QueueAsync(data)).First(i => AlertIds(i).Count >= 2))[..2];
        var unknown = Guid.CreateVersion7().ToString();

        var (exit, stdout, stderr) = await Cli.RunAsync("alerts", "close", ids[0], unknown, ids[1], "--verdict", "benign-positive", "--analyst", "bob", "--note", "pentest", "--data", data);

        Assert.Equal(3, exit);
        Assert.Contains($"vedette: alert {unknown}: no alert with this id", stderr, StringComparison.Ordinal);
        Assert.Contains($"alert {ids[0]}: closed (benign-positive) by bob", stdout, StringComparison.Ordinal);
        Assert.Contains($"alert {ids[1]}: closed (benign-positive) by bob", stdout, StringComparison.Ordinal);
        foreach (var id in ids)
        {
            var shown = await JsonAsync("alerts", "show", id, "--data", data);
            Assert.Equal(("closed", "benign-positive"), (shown.GetProperty("status").GetString(), shown.GetProperty("verdict").GetString()));
            var step = shown.GetProperty("transitions").EnumerateArray().Last();
            Assert.Equal(("bob", "pentest"), (step.GetProperty("by").GetString(), step.GetProperty("note").GetString()));
        }
        await using var store = await OpenAsync(data);
        Assert.Equal(
            ids.Select(id => ("bob", "alert.close", $"alert/{id}")),
            (await store.ReadAuditAsync(0, 100, CancellationToken.None)).Select(e => (e.Actor, e.Action, e.Target)));
    }

    [Fact]
    public async Task Closing_an_unknown_a_closed_or_a_merged_incident_is_refused_and_changes_nothing()
    {
        using var folder = new TempFolder();
        var data = folder.Path;
        await DemoAsync(folder);
        var queue = await QueueAsync(data);
        var (target, merged, closed) = (queue[0], queue[1], queue[2]);
        Assert.Equal(0, (await Cli.RunAsync("incidents", "merge", Id(target), Id(merged), "--analyst", "ana", "--data", data)).ExitCode);
        Assert.Equal(0, (await Cli.RunAsync("incidents", "close", Id(closed), "--verdict", "false-positive", "--analyst", "ana", "--data", data)).ExitCode);
        var before = (await Cli.RunAsync("incidents", "show", Id(merged), "--data", data, "--format", "json")).Stdout;
        var closedBefore = (await Cli.RunAsync("incidents", "show", Id(closed), "--data", data, "--format", "json")).Stdout;
        var unknown = Guid.CreateVersion7().ToString();

        var (mergedExit, _, mergedErr) = await Cli.RunAsync("incidents", "close", Id(merged), "--verdict", "true-positive", "--analyst", "bob", "--data", data);
        var (againExit, _, againErr) = await Cli.RunAsync("incidents", "close", Id(closed), "--verdict", "true-positive", "--analyst", "bob", "--data", data);
        var (unknownExit, _, unknownErr) = await Cli.RunAsync("incidents", "close", unknown, "--verdict", "true-positive", "--analyst", "bob", "--data", data);

        Assert.Equal(1, mergedExit);
        Assert.Contains($"vedette: incident {Id(merged)}: it was merged into incident {Id(target)}: act on that one", mergedErr, StringComparison.Ordinal);
        Assert.Equal(1, againExit);
        Assert.Contains($"vedette: incident {Id(closed)}: ", againErr, StringComparison.Ordinal);
        Assert.Contains("already there", againErr, StringComparison.Ordinal);
        Assert.Equal(3, unknownExit);
        Assert.Contains($"vedette: incident {unknown}: no incident with this id", unknownErr, StringComparison.Ordinal);
        Assert.Equal(before, (await Cli.RunAsync("incidents", "show", Id(merged), "--data", data, "--format", "json")).Stdout);
        Assert.Equal(closedBefore, (await Cli.RunAsync("incidents", "show", Id(closed), "--data", data, "--format", "json")).Stdout);
        await using var store = await OpenAsync(data);
        Assert.Equal(["incident.merge", "incident.close"], (await store.ReadAuditAsync(0, 100, CancellationToken.None)).Select(e => e.Action));
    }

    [Theory]
    [InlineData("--analyst NAME is required", "incidents", "close", "01a22471-a5ae-7107-b95e-670f844f4bbf", "--verdict", "true-positive")]
    [InlineData("--analyst NAME is required", "incidents", "close", "01a22471-a5ae-7107-b95e-670f844f4bbf", "--verdict", "true-positive", "--analyst", "  ")]
    [InlineData("--verdict must be true-positive, benign-positive or false-positive", "incidents", "close", "01a22471-a5ae-7107-b95e-670f844f4bbf", "--analyst", "ana")]
    [InlineData("not 'fp'", "alerts", "close", "01a22471-a5ae-7107-b95e-670f844f4bbf", "--verdict", "fp", "--analyst", "ana")]
    [InlineData("Failed to convert 'INC-9' to Guid", "incidents", "close", "INC-9", "--verdict", "true-positive", "--analyst", "ana")]
    [InlineData("Failed to convert '17' to Guid", "alerts", "close", "01a22471-a5ae-7107-b95e-670f844f4bbf", "17", "--verdict", "true-positive", "--analyst", "ana")]
    [InlineData("missing required argument 'ID'", "incidents", "close", "--verdict", "true-positive", "--analyst", "ana")]
    [InlineData("missing required argument 'ID'", "alerts", "close", "--verdict", "true-positive", "--analyst", "ana")]
    public async Task Missing_or_malformed_arguments_are_usage_errors_that_touch_no_store(string message, params string[] args)
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");

        var (exit, _, stderr) = await Cli.RunAsync([.. args, "--data", data]);

        Assert.Equal(64, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data));
    }
}
