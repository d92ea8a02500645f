using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using static Vedette.Tests.Commands.RegroupCommandTests;

namespace Vedette.Tests.Commands;

/// <summary>`vedette triage explain ID`: why an alert or an incident scores and ranks as it does.</summary>
public sealed class TriageExplainTests
{
    private static string Due(JsonElement incident) =>
        incident.GetProperty("dueAt").GetDateTimeOffset().ToString("u", CultureInfo.InvariantCulture);

    private static List<(string Factor, int Points, string Reason)> Parts(JsonElement scored) =>
        [.. scored.GetProperty("risk").GetProperty("parts").EnumerateArray()
            .Select(p => (p.GetProperty("factor").GetString()!, p.GetProperty("points").GetInt32(), p.GetProperty("reason").GetString()!))];

    /// <summary>The first incident in the queue with an alert that joined through an entity, and that alert's reason.</summary>
    private static (int Index, JsonElement Incident, JsonElement Reason) Linked(List<JsonElement> queue)
    {
        for (var i = 0; i < queue.Count; i++)
        {
            foreach (var reason in queue[i].GetProperty("grouping").EnumerateArray())
            {
                if (reason.GetProperty("via").ValueKind == JsonValueKind.Object)
                {
                    return (i, queue[i], reason);
                }
            }
        }
        throw new InvalidOperationException("the demo grouped no alert through an entity");
    }

    private static string Via(JsonElement reason) =>
        $"{reason.GetProperty("via").GetProperty("type").GetString()}:{reason.GetProperty("via").GetProperty("value").GetString()}";

    [Fact]
    public async Task An_incident_is_explained_by_its_place_in_the_queue_its_score_parts_and_why_each_alert_is_in_it()
    {
        using var folder = new TempFolder();
        var data = folder.Path;
        await DemoAsync(folder);
        var queue = await QueueAsync(data);
        var (index, incident, _) = Linked(queue);

        var explained = await JsonAsync("triage", "explain", Id(incident), "--data", data);

        Assert.Equal(("incident", Id(incident), incident.GetProperty("title").GetString()),
            (explained.GetProperty("kind").GetString(), explained.GetProperty("id").GetString(), explained.GetProperty("title").GetString()));
        Assert.Equal((index + 1, queue.Count), (explained.GetProperty("position").GetInt32(), explained.GetProperty("open").GetInt32()));
        var score = incident.GetProperty("score").GetInt32();
        Assert.Equal((score, score), (explained.GetProperty("score").GetInt32(), explained.GetProperty("risk").GetProperty("total").GetInt32()));
        Assert.Equal(incident.GetProperty("severity").GetString(), explained.GetProperty("severity").GetString());
        Assert.Equal(incident.GetProperty("dueAt").GetDateTimeOffset(), explained.GetProperty("dueAt").GetDateTimeOffset());
        var parts = Parts(explained);
        Assert.Equal(Parts(incident), parts);
        Assert.Equal("strongest alert", parts[0].Factor);
        Assert.Equal(Math.Min(100, parts.Sum(p => p.Points)), score);
        var why = explained.GetProperty("queue").GetString()!;
        Assert.StartsWith($"#{index + 1} of {queue.Count}: score {score}", why, StringComparison.Ordinal);
        Assert.EndsWith($"due {Due(incident)} ({incident.GetProperty("severity").GetString()} SLA)", why, StringComparison.Ordinal);
        if (index > 0)
        {
            Assert.Contains($"; after {Id(queue[index - 1])} (", why, StringComparison.Ordinal);
        }

        // Every alert of the incident, once, with its score and the reason it joined: through which entity.
        var alerts = (await AlertsOfAsync(data, Id(incident))).ToDictionary(Id);
        var listed = explained.GetProperty("alerts").EnumerateArray().ToList();
        Assert.Equal(AlertIds(incident), listed.Select(a => a.GetProperty("alertId").GetString()!));
        var entities = incident.GetProperty("entities").EnumerateArray().Select(e => $"{e.GetProperty("type").GetString()}:{e.GetProperty("value").GetString()}").ToHashSet();
        var grouping = incident.GetProperty("grouping").EnumerateArray().ToDictionary(r => r.GetProperty("alertId").GetString()!);
        foreach (var item in listed)
        {
            var alert = alerts[item.GetProperty("alertId").GetString()!];
            var reason = grouping[Id(alert)];
            Assert.Equal(alert.GetProperty("title").GetString(), item.GetProperty("title").GetString());
            Assert.Equal(alert.GetProperty("risk").GetProperty("total").GetInt32(), item.GetProperty("score").GetInt32());
            Assert.Equal(reason.GetProperty("explanation").GetString(), item.GetProperty("reason").GetString());
            if (reason.GetProperty("via").ValueKind == JsonValueKind.Object)
            {
                Assert.Equal(Via(reason), item.GetProperty("via").GetString());
                Assert.Contains(Via(reason), entities);
                Assert.StartsWith($"shares {Via(reason)}", item.GetProperty("reason").GetString(), StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, item.GetProperty("via").ValueKind);
            }
        }
        Assert.Contains(listed, a => a.GetProperty("via").ValueKind == JsonValueKind.String);
        Assert.Empty(explained.GetProperty("regrouped").EnumerateArray());
    }

    [Fact]
    public async Task The_table_prints_the_queue_line_each_score_part_and_each_alerts_reason()
    {
        using var folder = new TempFolder();
        await DemoAsync(folder);
        var queue = await QueueAsync(folder.Path);
        var (index, incident, reason) = Linked(queue);

        var (exit, stdout, stderr) = await Cli.RunAsync("triage", "explain", Id(incident), "--data", folder.Path);

        Assert.True(exit == 0, stderr);
        var score = incident.GetProperty("score").GetInt32();
        Assert.Contains($"queue: #{index + 1} of {queue.Count}: score {score}", stdout, StringComparison.Ordinal);
        Assert.Contains($"due {Due(incident)} ({incident.GetProperty("severity").GetString()} SLA)", stdout, StringComparison.Ordinal);
        Assert.Contains($"score {score}", stdout, StringComparison.Ordinal);
        foreach (var (factor, points, _) in Parts(incident))
        {
            Assert.Matches($@"│ {Regex.Escape(factor)} +│ {points} +│", stdout);
        }
        Assert.Contains("why each alert is in it", stdout, StringComparison.Ordinal);
        Assert.Contains($"shares {Via(reason)}", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Guid.Empty.ToString(), stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_alert_is_explained_by_its_score_parts_its_incident_and_the_entity_that_linked_it()
    {
        using var folder = new TempFolder();
        var data = folder.Path;
        await DemoAsync(folder);
        var (_, incident, reason) = Linked(await QueueAsync(data));
        var alertId = reason.GetProperty("alertId").GetString()!;
        var shown = await JsonAsync("alerts", "show", alertId, "--data", data);

        var explained = await JsonAsync("triage", "explain", alertId, "--data", data);
        var (exit, stdout, stderr) = await Cli.RunAsync("triage", "explain", alertId, "--data", data);

        Assert.Equal(("alert", alertId, shown.GetProperty("ruleId").GetString()),
            (explained.GetProperty("kind").GetString(), explained.GetProperty("id").GetString(), explained.GetProperty("ruleId").GetString()));
        var total = shown.GetProperty("risk").GetProperty("total").GetInt32();
        Assert.Equal(total, explained.GetProperty("risk").GetProperty("total").GetInt32());
        var parts = Parts(explained);
        Assert.Equal(Parts(shown), parts);
        Assert.NotEmpty(parts);
        Assert.Equal(Math.Clamp(parts.Sum(p => p.Points), 0, 100), total);
        Assert.Equal(Id(incident), explained.GetProperty("incidentId").GetString());
        Assert.Equal(Via(reason), explained.GetProperty("via").GetString());
        Assert.Equal(reason.GetProperty("explanation").GetString(), explained.GetProperty("grouping").GetString());

        Assert.True(exit == 0, stderr);
        Assert.Contains($"score {total}", stdout, StringComparison.Ordinal);
        foreach (var (factor, points, _) in parts)
        {
            Assert.Matches($@"│ {Regex.Escape(factor)} +│ {points} +│", stdout);
        }
        Assert.Contains($"In incident {Id(incident)} (", stdout, StringComparison.Ordinal);
        Assert.Contains($"shares {Via(reason)}", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_merges_splits_and_closes_the_explanation_follows_the_alerts()
    {
        using var folder = new TempFolder();
        var data = folder.Path;
        await DemoAsync(folder);
        var queue = await QueueAsync(data);
        var incident = queue.First(i => AlertIds(i).Count >= 3);
        var leaving = AlertIds(incident)[^1];
        var split = await JsonAsync("incidents", "split", Id(incident), "--alerts", leaving, "--analyst", "bob", "--note", "other host", "--data", data);
        var created = Id(split.GetProperty("incidents")[1]);

        var alone = await JsonAsync("triage", "explain", leaving, "--data", data);
        Assert.Equal(created, alone.GetProperty("incidentId").GetString());
        Assert.Matches($"^split from incident {Id(incident)} by bob at .+Z: other host$", alone.GetProperty("grouping").GetString());
        Assert.Equal(JsonValueKind.Null, alone.GetProperty("via").ValueKind);

        // Merged back: the alert's latest reason is the merge, not the one it had before it left.
        Assert.Equal(0, (await Cli.RunAsync("incidents", "merge", Id(incident), created, "--analyst", "ana", "--note", "same host after all", "--data", data)).ExitCode);
        var back = await JsonAsync("triage", "explain", leaving, "--data", data);
        Assert.Equal(Id(incident), back.GetProperty("incidentId").GetString());
        Assert.Matches($"^merged from incident {created} by ana at .+Z: same host after all$", back.GetProperty("grouping").GetString());

        var home = await JsonAsync("triage", "explain", Id(incident), "--data", data);
        var listed = home.GetProperty("alerts").EnumerateArray().ToList();
        Assert.Equal(AlertIds(incident), listed.Select(a => a.GetProperty("alertId").GetString()));
        Assert.Equal(back.GetProperty("grouping").GetString(), listed[^1].GetProperty("reason").GetString());
        Assert.StartsWith($"1 alert(s) split into incident {created} by bob at ", Assert.Single(home.GetProperty("regrouped").EnumerateArray()).GetString(), StringComparison.Ordinal);

        var merged = await JsonAsync("triage", "explain", created, "--data", data);
        Assert.Equal(JsonValueKind.Null, merged.GetProperty("position").ValueKind);
        Assert.Equal($"merged into {Id(incident)}", merged.GetProperty("queue").GetString());
        Assert.Equal(queue.Count, merged.GetProperty("open").GetInt32());
        Assert.Empty(merged.GetProperty("alerts").EnumerateArray());
        Assert.StartsWith($"merged into incident {Id(incident)} by ana at ", Assert.Single(merged.GetProperty("regrouped").EnumerateArray()).GetString(), StringComparison.Ordinal);
        var (exit, stdout, _) = await Cli.RunAsync("triage", "explain", created, "--data", data);
        Assert.Equal(0, exit);
        Assert.Contains($"queue: merged into {Id(incident)}", stdout, StringComparison.Ordinal);
        Assert.Contains("It holds no alerts now.", stdout, StringComparison.Ordinal);
        Assert.Contains($"regrouped: merged into incident {Id(incident)} by ana", stdout, StringComparison.Ordinal);

        // A closed incident leaves the queue too, and the one below it moves up.
        var first = Id(queue[0]) == Id(incident) ? queue[1] : queue[0];
        Assert.Equal(0, (await Cli.RunAsync("incidents", "close", Id(first), "--verdict", "true-positive", "--analyst", "ana", "--data", data)).ExitCode);
        var closed = await JsonAsync("triage", "explain", Id(first), "--data", data);
        Assert.Equal(JsonValueKind.Null, closed.GetProperty("position").ValueKind);
        Assert.Equal("not in the queue (closed)", closed.GetProperty("queue").GetString());
        Assert.Equal(queue.Count - 1, closed.GetProperty("open").GetInt32());
    }

    [Fact]
    public async Task An_unknown_id_is_not_found_and_a_malformed_or_missing_one_is_a_usage_error()
    {
        using var folder = new TempFolder();
        await DemoAsync(folder);
        var unknown = Guid.CreateVersion7().ToString();

        var (missing, missingOut, missingErr) = await Cli.RunAsync("triage", "explain", unknown, "--data", folder.Path);
        var (malformed, _, malformedErr) = await Cli.RunAsync("triage", "explain", "INC-42", "--data", folder.Path);
        var (absent, _, absentErr) = await Cli.RunAsync("triage", "explain", "--data", folder.Path);
        var (noStore, _, noStoreErr) = await Cli.RunAsync("triage", "explain", unknown, "--data", Path.Combine(folder.Path, "nowhere"));

        Assert.Equal(3, missing);
        Assert.Equal("", missingOut);
        Assert.Contains($"vedette: no alert or incident {unknown}", missingErr, StringComparison.Ordinal);
        Assert.Equal(64, malformed);
        Assert.Contains("Failed to convert 'INC-42' to Guid", malformedErr, StringComparison.Ordinal);
        Assert.Equal(64, absent);
        Assert.Contains("missing required argument 'ID'", absentErr, StringComparison.Ordinal);
        Assert.Equal(1, noStore);
        Assert.Contains("no Vedette store at", noStoreErr, StringComparison.Ordinal);
    }
}
