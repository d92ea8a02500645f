using System.Globalization;
using System.Text.Json;
using Vedette.Storage.Sqlite;

namespace Vedette.Tests.Commands;

/// <summary>Analysts merge and split incidents from the command line, on the demo's store.</summary>
public sealed class RegroupCommandTests
{
    /// <summary>Runs a small demo into the folder: a few dozen incidents, some of several alerts.</summary>
    internal static async Task DemoAsync(TempFolder folder)
    {
        var (exit, _, stderr) = await Cli.RunAsync("demo", "--events", "20000", "--seed", "3", "--data", folder.Path, "--format", "json");
        Assert.True(exit == 0, $"demo: exit {exit}: {stderr}");
    }

    internal static async Task<JsonElement> JsonAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await Cli.RunAsync([.. args, "--format", "json"]);
        Assert.True(exit == 0, $"{string.Join(' ', args)}: exit {exit}: {stderr}");
        using var json = JsonDocument.Parse(stdout);
        return json.RootElement.Clone();
    }

    /// <summary>The queue as `incidents list` prints it: every incident that was not merged, in priority order.</summary>
    internal static async Task<List<JsonElement>> QueueAsync(string data) =>
        [.. (await JsonAsync("incidents", "list", "--limit", "1000", "--data", data)).GetProperty("items").EnumerateArray()];

    internal static async Task<List<JsonElement>> AlertsOfAsync(string data, string incidentId) =>
        [.. (await JsonAsync("alerts", "list", "--incident", incidentId, "--limit", "1000", "--data", data)).GetProperty("items").EnumerateArray()];

    internal static async Task<JsonElement> IncidentAsync(string data, string id) =>
        (await JsonAsync("incidents", "show", id, "--data", data)).GetProperty("incident");

    internal static string Id(JsonElement item) => item.GetProperty("id").GetString()!;

    internal static List<string> AlertIds(JsonElement incident) =>
        [.. incident.GetProperty("alertIds").EnumerateArray().Select(a => a.GetString()!)];

    /// <summary>Everything a refused command must leave as it was: the queue with every field, and the audit log's length.</summary>
    private static async Task<string> StateAsync(string data)
    {
        var (exit, stdout, stderr) = await Cli.RunAsync("incidents", "list", "--limit", "1000", "--data", data, "--format", "json");
        Assert.True(exit == 0, stderr);
        return $"{stdout}\naudit: {(await AuditAsync(data)).Count}";
    }

    private static async Task<IReadOnlyList<Vedette.Domain.AuditEntry>> AuditAsync(string data)
    {
        await using var store = await SqliteStore.OpenAsync(Path.Combine(data, "vedette.db"), TimeProvider.System, CancellationToken.None);
        return await store.ReadAuditAsync(0, 1000, CancellationToken.None);
    }

    /// <summary>An incident's score is the sum of its parts (at most 100), the first being its strongest alert's score.</summary>
    private static void AssertScoredFrom(JsonElement incident, IEnumerable<JsonElement> alerts)
    {
        var parts = incident.GetProperty("risk").GetProperty("parts").EnumerateArray().ToList();
        Assert.Equal("strongest alert", parts[0].GetProperty("factor").GetString());
        Assert.Equal(alerts.Max(a => a.GetProperty("risk").GetProperty("total").GetInt32()), parts[0].GetProperty("points").GetInt32());
        var score = incident.GetProperty("score").GetInt32();
        Assert.Equal(Math.Min(100, parts.Sum(p => p.GetProperty("points").GetInt32())), score);
        Assert.Equal(score, incident.GetProperty("risk").GetProperty("total").GetInt32());
        var sla = incident.GetProperty("severity").GetString() switch
        {
            "critical" => TimeSpan.FromHours(1),
            "high" => TimeSpan.FromHours(4),
            "medium" => TimeSpan.FromHours(24),
            "low" => TimeSpan.FromDays(3),
            _ => TimeSpan.FromDays(7),
        };
        Assert.Equal(incident.GetProperty("createdAt").GetDateTimeOffset() + sla, incident.GetProperty("dueAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Merge_moves_the_sources_alerts_into_the_target_which_is_rescored_while_the_sources_leave_the_queue()
    {
        using var folder = new TempFolder();
        var data = folder.Path;
        await DemoAsync(folder);
        var queue = await QueueAsync(data);
        // The weakest incident absorbs the strongest and another: its score and title must follow.
        var target = queue[^1];
        var sources = new[] { queue[0], queue[^2] };
        var moving = sources.SelectMany(AlertIds).ToList();
        var at = DateTimeOffset.UtcNow;

        var merged = await JsonAsync("incidents", "merge", Id(target), Id(sources[0]), Id(sources[1]), "--analyst", "ana", "--note", "same intrusion", "--data", data);

        Assert.Equal("incident.merge", merged.GetProperty("action").GetString());
        Assert.Equal(moving.Count, merged.GetProperty("moved").GetInt32());
        var reported = merged.GetProperty("incidents").EnumerateArray().ToList();
        Assert.Equal([Id(target), Id(sources[0]), Id(sources[1])], reported.Select(Id));
        Assert.Equal(AlertIds(target).Count + moving.Count, reported[0].GetProperty("alerts").GetInt32());
        Assert.All(reported.Skip(1), r => Assert.Equal((0, Id(target)), (r.GetProperty("alerts").GetInt32(), r.GetProperty("mergedInto").GetString())));

        var after = await QueueAsync(data);
        Assert.Equal(queue.Count - 2, after.Count);
        Assert.DoesNotContain(after, i => Id(i) == Id(sources[0]) || Id(i) == Id(sources[1]));
        var stored = after.Single(i => Id(i) == Id(target));
        Assert.Equal([.. AlertIds(target), .. moving], AlertIds(stored));
        Assert.Equal(1, stored.GetProperty("version").GetInt32());
        var alerts = await AlertsOfAsync(data, Id(target));
        Assert.Equal(AlertIds(stored).Order(), alerts.Select(Id).Order());
        Assert.All(alerts, a => Assert.Equal(Id(target), a.GetProperty("incidentId").GetString()));
        AssertScoredFrom(stored, alerts);
        var byId = alerts.ToDictionary(Id);
        var strongest = AlertIds(stored).Select(id => byId[id]).MaxBy(a => a.GetProperty("risk").GetProperty("total").GetInt32());
        Assert.Equal(strongest.GetProperty("title").GetString(), stored.GetProperty("title").GetString());
        Assert.Contains(AlertIds(sources[0]), id => id == Id(strongest));
        var entities = stored.GetProperty("entities").EnumerateArray().Select(e => e.GetRawText()).ToHashSet();
        Assert.Superset(sources.Append(target).SelectMany(i => i.GetProperty("entities").EnumerateArray()).Select(e => e.GetRawText()).ToHashSet(), entities);

        var reasons = stored.GetProperty("grouping").EnumerateArray().ToList();
        foreach (var source in sources)
        {
            Assert.Empty(await AlertsOfAsync(data, Id(source)));
            var kept = await IncidentAsync(data, Id(source));
            Assert.Equal((Id(target), "new", 1), (kept.GetProperty("mergedInto").GetString(), kept.GetProperty("status").GetString(), kept.GetProperty("version").GetInt32()));
            Assert.StartsWith($"merged into incident {Id(target)} by ana at ", kept.GetProperty("grouping").EnumerateArray().Last().GetProperty("explanation").GetString(), StringComparison.Ordinal);
            foreach (var alertId in AlertIds(source))
            {
                var reason = reasons.Single(r => r.GetProperty("alertId").GetString() == alertId).GetProperty("explanation").GetString()!;
                Assert.StartsWith($"merged from incident {Id(source)} by ana at ", reason, StringComparison.Ordinal);
                Assert.EndsWith(": same intrusion", reason, StringComparison.Ordinal);
                var when = DateTimeOffset.Parse(reason[$"merged from incident {Id(source)} by ana at ".Length..^": same intrusion".Length], CultureInfo.InvariantCulture);
                Assert.True((when - at).Duration() < TimeSpan.FromMinutes(5), $"recorded at {when}, merged at {at}");
            }
        }

        var audit = await AuditAsync(data);
        var entry = Assert.Single(audit);
        Assert.Equal(("ana", "incident.merge", $"incident/{Id(target)}"), (entry.Actor, entry.Action, entry.Target));
        using var details = JsonDocument.Parse(entry.Details);
        Assert.Equal(("same intrusion", moving.Count), (details.RootElement.GetProperty("note").GetString(), details.RootElement.GetProperty("moved").GetInt32()));
        Assert.Contains(Id(sources[0]), details.RootElement.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Merge_prints_what_moved_in_the_table_format()
    {
        using var folder = new TempFolder();
        await DemoAsync(folder);
        var queue = await QueueAsync(folder.Path);

        var (exit, stdout, stderr) = await Cli.RunAsync("incidents", "merge", Id(queue[1]), Id(queue[2]), "--analyst", "ana", "--data", folder.Path);

        Assert.True(exit == 0, stderr);
        Assert.Contains($"merged {Id(queue[2])} into {Id(queue[1])}: {AlertIds(queue[2]).Count} alert(s) moved.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Split_moves_the_named_alerts_into_a_new_incident_that_enters_the_queue_and_rescores_both()
    {
        using var folder = new TempFolder();
        var data = folder.Path;
        await DemoAsync(folder);
        var queue = await QueueAsync(data);
        var incident = queue.First(i => AlertIds(i).Count >= 3);
        var leaving = AlertIds(incident)[^2..];

        var split = await JsonAsync("incidents", "split", Id(incident), "--alerts", string.Join(" , ", leaving), "--analyst", "bob", "--note", "unrelated backup job", "--data", data);

        Assert.Equal(("incident.split", 2), (split.GetProperty("action").GetString(), split.GetProperty("moved").GetInt32()));
        var reported = split.GetProperty("incidents").EnumerateArray().ToList();
        Assert.Equal(2, reported.Count);
        Assert.Equal(Id(incident), Id(reported[0]));
        var createdId = Id(reported[1]);
        Assert.Equal((AlertIds(incident).Count - 2, 2), (reported[0].GetProperty("alerts").GetInt32(), reported[1].GetProperty("alerts").GetInt32()));

        var after = await QueueAsync(data);
        Assert.Equal(queue.Count + 1, after.Count);
        var created = after.Single(i => Id(i) == createdId);
        var stayed = after.Single(i => Id(i) == Id(incident));
        Assert.Equal(leaving, AlertIds(created));
        Assert.Equal(AlertIds(incident).Except(leaving), AlertIds(stayed));
        Assert.Equal((0, "new", 1), (created.GetProperty("version").GetInt32(), created.GetProperty("status").GetString(), stayed.GetProperty("version").GetInt32()));
        var createdAlerts = await AlertsOfAsync(data, createdId);
        var stayedAlerts = await AlertsOfAsync(data, Id(incident));
        Assert.Equal(leaving.Order(), createdAlerts.Select(Id).Order());
        Assert.Equal(AlertIds(stayed).Order(), stayedAlerts.Select(Id).Order());
        AssertScoredFrom(created, createdAlerts);
        AssertScoredFrom(stayed, stayedAlerts);
        Assert.Equal(
            createdAlerts.Select(a => a.GetProperty("ruleId").GetString()).Distinct().Order(),
            created.GetProperty("ruleIds").EnumerateArray().Select(r => r.GetString()).Order());

        Assert.All(created.GetProperty("grouping").EnumerateArray(), r =>
            Assert.Matches($"^split from incident {Id(incident)} by bob at .+Z: unrelated backup job$", r.GetProperty("explanation").GetString()));
        Assert.Equal(leaving, created.GetProperty("grouping").EnumerateArray().Select(r => r.GetProperty("alertId").GetString()));
        var record = stayed.GetProperty("grouping").EnumerateArray().Last();
        Assert.Equal(Guid.Empty.ToString(), record.GetProperty("alertId").GetString());
        Assert.StartsWith($"2 alert(s) split into incident {createdId} by bob at ", record.GetProperty("explanation").GetString(), StringComparison.Ordinal);

        var entry = Assert.Single(await AuditAsync(data));
        Assert.Equal(("bob", "incident.split", $"incident/{Id(incident)}"), (entry.Actor, entry.Action, entry.Target));
        Assert.Contains(createdId, entry.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_merges_and_splits_say_why_exit_non_zero_and_change_nothing()
    {
        using var folder = new TempFolder();
        var data = folder.Path;
        await DemoAsync(folder);
        var queue = await QueueAsync(data);
        var big = queue.First(i => AlertIds(i).Count >= 2);
        var others = queue.Where(i => Id(i) != Id(big)).ToList();
        var (target, merged, third) = (others[0], others[1], others[2]);
        Assert.Equal(0, (await Cli.RunAsync("incidents", "merge", Id(target), Id(merged), "--analyst", "ana", "--data", data)).ExitCode);
        var before = await StateAsync(data);
        var unknown = Guid.CreateVersion7().ToString();

        async Task RefusedAsync(int code, string message, params string[] args)
        {
            var (exit, stdout, stderr) = await Cli.RunAsync([.. args, "--analyst", "bob", "--data", data]);
            Assert.True(exit == code, $"{string.Join(' ', args)}: exit {exit}, expected {code}: {stderr}");
            Assert.Contains(message, stderr, StringComparison.Ordinal);
            Assert.Equal("", stdout);
        }

        await RefusedAsync(1, $"vedette: incident {Id(target)} cannot be merged into itself", "incidents", "merge", Id(target), Id(third), Id(target));
        await RefusedAsync(1, $"vedette: incident {Id(merged)} was merged into {Id(target)}: merge into that one instead", "incidents", "merge", Id(merged), Id(third));
        await RefusedAsync(1, $"vedette: incident {Id(merged)} was already merged into {Id(target)}", "incidents", "merge", Id(third), Id(merged));
        await RefusedAsync(3, $"vedette: no incident {unknown}", "incidents", "merge", unknown, Id(third));
        await RefusedAsync(3, $"vedette: no incident {unknown}", "incidents", "merge", Id(third), Id(big), unknown);
        await RefusedAsync(1, "vedette: a split must leave at least one alert on each side", "incidents", "split", Id(big), "--alerts", string.Join(",", AlertIds(big)));
        await RefusedAsync(1, $"vedette: alert {AlertIds(third)[0]} is not in incident {Id(big)}", "incidents", "split", Id(big), "--alerts", AlertIds(third)[0]);
        await RefusedAsync(1, $"vedette: incident {Id(merged)} was merged into {Id(target)}", "incidents", "split", Id(merged), "--alerts", AlertIds(merged)[0]);
        await RefusedAsync(3, $"vedette: no incident {unknown}", "incidents", "split", unknown, "--alerts", AlertIds(big)[0]);

        Assert.Equal(before, await StateAsync(data));
    }

    [Theory]
    [InlineData("--analyst is required", "incidents", "merge", "01a22471-a5ae-7107-b95e-670f844f4bbf", "01a22471-b0c4-7a31-9e2d-5f0a3c1b2d44")]
    [InlineData("--analyst is required", "incidents", "merge", "01a22471-a5ae-7107-b95e-670f844f4bbf", "01a22471-b0c4-7a31-9e2d-5f0a3c1b2d44", "--analyst", " ")]
    [InlineData("missing required argument 'SOURCE'", "incidents", "merge", "01a22471-a5ae-7107-b95e-670f844f4bbf", "--analyst", "ana")]
    [InlineData("missing required argument 'TARGET'", "incidents", "merge", "--analyst", "ana")]
    [InlineData("Failed to convert 'INC-1' to Guid", "incidents", "merge", "INC-1", "01a22471-b0c4-7a31-9e2d-5f0a3c1b2d44", "--analyst", "ana")]
    [InlineData("Failed to convert '42' to Guid", "incidents", "merge", "01a22471-a5ae-7107-b95e-670f844f4bbf", "42", "--analyst", "ana")]
    [InlineData("--analyst is required", "incidents", "split", "01a22471-a5ae-7107-b95e-670f844f4bbf", "--alerts", "01a22471-a5ae-7107-b95e-670f844f4c01")]
    [InlineData("--alerts must name at least one alert id", "incidents", "split", "01a22471-a5ae-7107-b95e-670f844f4bbf", "--analyst", "ana")]
    [InlineData("--alerts must name at least one alert id", "incidents", "split", "01a22471-a5ae-7107-b95e-670f844f4bbf", "--alerts", " , ", "--analyst", "ana")]
    [InlineData("--alerts: 'ALERT-7' is not an alert id", "incidents", "split", "01a22471-a5ae-7107-b95e-670f844f4bbf", "--alerts", "01a22471-a5ae-7107-b95e-670f844f4c01,ALERT-7", "--analyst", "ana")]
    [InlineData("Failed to convert 'INC-1' to Guid", "incidents", "split", "INC-1", "--alerts", "01a22471-a5ae-7107-b95e-670f844f4c01", "--analyst", "ana")]
    [InlineData("missing required argument 'ID'", "incidents", "split", "--alerts", "01a22471-a5ae-7107-b95e-670f844f4c01", "--analyst", "ana")]
    public async Task Missing_or_malformed_arguments_are_usage_errors_that_touch_no_store(string message, params string[] args)
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");

        var (exit, _, stderr) = await Cli.RunAsync([.. args, "--data", data]);

        Assert.Equal(64, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task Regrouping_without_a_store_says_where_it_looked()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "nowhere");

        var (exit, _, stderr) = await Cli.RunAsync("incidents", "merge", Guid.CreateVersion7().ToString(), Guid.CreateVersion7().ToString(), "--analyst", "ana", "--data", data);

        Assert.Equal(1, exit);
        Assert.Contains($"no Vedette store at {data}", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data));
    }
}
