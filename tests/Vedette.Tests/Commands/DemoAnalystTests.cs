using System.Text.Json;
using Vedette.Domain;
using Vedette.Storage;
using Vedette.Storage.Sqlite;

namespace Vedette.Tests.Commands;

/// <summary>`demo --analyst`: simulated analysts work the queue the way the ground truth says they should.</summary>
public sealed class DemoAnalystTests
{
    [Fact]
    public async Task Analysts_acknowledge_and_close_with_the_truths_verdicts_and_leave_some_open()
    {
        using var folder = new TempFolder();
        var (demo, incidents, alerts, audit) = await RunAsync(folder, seed: 7);

        // The demo's own judgement of which incidents hold an attack's alerts.
        var attack = demo.GetProperty("queue").EnumerateArray()
            .Where(i => i.GetProperty("scenarios").GetArrayLength() > 0)
            .Select(i => i.GetProperty("incidentId").GetGuid()).ToHashSet();
        Assert.NotEmpty(attack);
        var closed = incidents.Where(i => i.Status == CaseStatus.Closed).ToList();
        Assert.Contains(closed, i => attack.Contains(i.Id));
        Assert.All(closed.Where(i => attack.Contains(i.Id)), i => Assert.Equal(Verdict.TruePositive, i.Verdict));
        Assert.All(closed.Where(i => !attack.Contains(i.Id)), i => Assert.NotEqual(Verdict.TruePositive, i.Verdict));
        Assert.Contains(closed, i => i.Verdict == Verdict.FalsePositive);
        Assert.Contains(closed, i => i.Verdict == Verdict.BenignPositive);
        Assert.Contains(incidents, i => i.Status == CaseStatus.New);
        Assert.Contains(incidents, i => i.Status == CaseStatus.Acknowledged);

        // Every step is an analyst's, after the item was created, in the lifecycle's order.
        foreach (var item in incidents.Cast<WorkItem>().Concat(alerts))
        {
            foreach (var step in item.Transitions)
            {
                Assert.False(step.By.IsSystem);
                Assert.True(step.At >= item.CreatedAt, $"{item.Id}: {step.To} at {step.At:O} before creation {item.CreatedAt:O}");
            }
        }
        var attackAlerts = alerts.Where(a => a.IncidentId is { } id && attack.Contains(id) && a.Status == CaseStatus.Closed).ToList();
        Assert.Contains(attackAlerts, a => a.Verdict == Verdict.TruePositive);
        Assert.Contains(alerts, a => a.Status == CaseStatus.Closed && a.Verdict == Verdict.FalsePositive);

        // The summary counts what the store holds, and the audit log has each action as an analyst's command writes it.
        var analysts = demo.GetProperty("analysts");
        var closedCounts = analysts.GetProperty("closed");
        Assert.Equal(closed.Count(i => i.Verdict == Verdict.TruePositive), closedCounts.GetProperty("true-positive").GetInt32());
        Assert.Equal(closed.Count(i => i.Verdict == Verdict.FalsePositive), closedCounts.GetProperty("false-positive").GetInt32());
        Assert.Equal(closed.Count(i => i.Verdict == Verdict.BenignPositive), closedCounts.GetProperty("benign-positive").GetInt32());
        Assert.Equal(incidents.Count(i => i.AcknowledgedAt is not null), analysts.GetProperty("acknowledged").GetInt32());
        Assert.Equal(incidents.Count(i => i.Status != CaseStatus.Closed), analysts.GetProperty("leftOpen").GetInt32());
        Assert.Equal(closed.Count, audit.Count(e => e.Action == "incident.close"));
        Assert.Equal(alerts.Count(a => a.Status == CaseStatus.Closed), audit.Count(e => e.Action == "alert.close"));
        var close = audit.First(e => e.Action == "incident.close");
        var target = incidents.Single(i => $"incident/{i.Id}" == close.Target);
        Assert.Equal(target.Transitions[^1].By.Name, close.Actor);
        Assert.Equal(target.ClosedAt, close.At);
        using var details = JsonDocument.Parse(close.Details);
        Assert.Equal(LifecycleNames.ToName(target.Verdict!.Value), details.RootElement.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task The_same_seed_replays_the_same_shift()
    {
        using var first = new TempFolder();
        using var second = new TempFolder();
        var a = await RunAsync(first, seed: 3);
        var b = await RunAsync(second, seed: 3);

        Assert.Equal(a.Demo.GetProperty("analysts").GetRawText(), b.Demo.GetProperty("analysts").GetRawText());
        Assert.Equal(Outcomes(a.Incidents), Outcomes(b.Incidents));
        var delaysA = Delays(a.Incidents);
        var delaysB = Delays(b.Incidents);
        Assert.Equal(delaysA.Count, delaysB.Count);
        // Times are processing time plus the drawn delay: the delays replay, to the store's timestamp precision.
        Assert.All(delaysA.Zip(delaysB), pair => Assert.True(Math.Abs(pair.First - pair.Second) < 0.01, $"{pair.First} s vs {pair.Second} s"));
    }

    private static List<string> Outcomes(IReadOnlyList<Incident> incidents) =>
        [.. incidents.Select(i => $"{i.Title}|{i.Severity}|{i.Status}|{i.Verdict}|{i.Transitions.Count}").Order(StringComparer.Ordinal)];

    private static List<double> Delays(IReadOnlyList<Incident> incidents) =>
        [.. incidents.SelectMany(i => i.Transitions.Select(t => (t.At - i.CreatedAt).TotalSeconds)).Order()];

    private static async Task<(JsonElement Demo, List<Incident> Incidents, List<Alert> Alerts, IReadOnlyList<AuditEntry> Audit)> RunAsync(TempFolder folder, int seed)
    {
        var data = folder.File("data");
        var (exit, stdout, stderr) = await Cli.RunAsync("demo", "--events", "40000", "--seed", seed.ToString(), "--data", data, "--analyst", "--format", "json");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        var demo = JsonDocument.Parse(stdout).RootElement.Clone();
        await using var store = await SqliteStore.OpenAsync(Path.Combine(data, "vedette.db"), TimeProvider.System, CancellationToken.None);
        var incidents = await store.AllIncidentsAsync(new IncidentQuery(), CancellationToken.None);
        var alerts = await store.AllAlertsAsync(new AlertQuery(), CancellationToken.None);
        var audit = new List<AuditEntry>();
        for (long after = 0; ; after = audit[^1].Sequence)
        {
            var page = await store.ReadAuditAsync(after, 1000, CancellationToken.None);
            audit.AddRange(page);
            if (page.Count < 1000)
            {
                return (demo, incidents, alerts, audit);
            }
        }
    }
}
