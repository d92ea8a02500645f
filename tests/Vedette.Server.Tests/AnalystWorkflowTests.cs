using System.Net;
using System.Text.Json;
using Vedette.Identity;
using Vedette.Simulation;

namespace Vedette.Server.Tests;

/// <summary>
/// The whole analyst path through the real HTTP stack: simulator output posted to /api/v1/events, the incidents it
/// raised listed, then acknowledged, assigned, closed with a verdict, merged and split, each step in the audit log.
/// </summary>
public sealed class AnalystWorkflowTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Simulated_attacks_posted_as_events_become_incidents_that_analysts_work_through_to_closure()
    {
        var accepted = await PostSimulationAsync(_server.Client(Role.Analyst), events: 20_000, seed: 7);
        Assert.Equal(20_000, accepted);

        var viewer = _server.Client(Role.Viewer);
        var (listed, queue) = await Json.GetAsync(viewer, "/api/v1/incidents?limit=10");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var incidents = queue.GetProperty("items").EnumerateArray().ToList();
        Assert.True(incidents.Count >= 3, $"only {incidents.Count} incidents");
        Assert.Equal(JsonValueKind.String, queue.GetProperty("next").ValueKind);
        var (nextPage, second) = await Json.GetAsync(viewer, $"/api/v1/incidents?limit=10&after={Uri.EscapeDataString(queue.GetProperty("next").GetString()!)}");
        Assert.Equal(HttpStatusCode.OK, nextPage.StatusCode);
        Assert.DoesNotContain(second.GetProperty("items").EnumerateArray().Select(Id), incidents.Select(Id).Contains);

        var analyst = _server.Client(Role.Analyst);
        var top = Id(incidents[0]);
        var (ack, acknowledged) = await Json.PostAsync(analyst, $"/api/v1/incidents/{top}/acknowledge", new { note = "on it" });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        Assert.Equal("acknowledged", acknowledged.GetProperty("status").GetString());

        // A second analyst acting on the version read before the acknowledgement loses the race: 409, nothing saved.
        var stale = incidents[0].GetProperty("version").GetInt32();
        var (conflict, _) = await Json.PostAsync(analyst, $"/api/v1/incidents/{top}/assign", new { assignee = "analyst", version = stale });
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        var (assign, assigned) = await Json.PostAsync(analyst, $"/api/v1/incidents/{top}/assign", new { assignee = "senior-analyst", version = acknowledged.GetProperty("version").GetInt32() });
        Assert.Equal(HttpStatusCode.OK, assign.StatusCode);
        Assert.Equal("senior-analyst", assigned.GetProperty("assignee").GetString());
        var (unknownUser, _) = await Json.PostAsync(analyst, $"/api/v1/incidents/{top}/assign", new { assignee = "nobody-here" });
        Assert.Equal(HttpStatusCode.BadRequest, unknownUser.StatusCode);

        var (investigate, _) = await Json.PostAsync(analyst, $"/api/v1/incidents/{top}/status", new { status = "investigating" });
        Assert.Equal(HttpStatusCode.OK, investigate.StatusCode);
        var (withoutVerdict, _) = await Json.PostAsync(analyst, $"/api/v1/incidents/{top}/status", new { status = "closed" });
        Assert.Equal(HttpStatusCode.Conflict, withoutVerdict.StatusCode);
        var (close, closed) = await Json.PostAsync(analyst, $"/api/v1/incidents/{top}/status", new { status = "closed", verdict = "true-positive", note = "contained" });
        Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        Assert.Equal(("closed", "true-positive"), (closed.GetProperty("status").GetString(), closed.GetProperty("verdict").GetString()));
        var (comment, _) = await Json.PostAsync(analyst, $"/api/v1/incidents/{top}/comments", new { text = "host reimaged" });
        Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
        var (_, comments) = await Json.GetAsync(viewer, $"/api/v1/incidents/{top}/comments");
        Assert.Equal("host reimaged", Assert.Single(comments.GetProperty("items").EnumerateArray()).GetProperty("text").GetString());

        // An alert of its own: acknowledged by the analyst, shown with its evidence.
        var (_, alerts) = await Json.GetAsync(viewer, $"/api/v1/alerts?incident={Id(incidents[1])}&limit=5");
        var alertId = Id(alerts.GetProperty("items")[0]);
        var (alertAck, alert) = await Json.PostAsync(analyst, $"/api/v1/alerts/{alertId}/acknowledge", new { });
        Assert.Equal(HttpStatusCode.OK, alertAck.StatusCode);
        Assert.Equal("acknowledged", alert.GetProperty("status").GetString());
        Assert.True(alert.GetProperty("evidence").GetArrayLength() > 0);

        // Merge two incidents, then split the merged alerts back out.
        var senior = _server.Client(Role.SeniorAnalyst);
        var target = Id(incidents[1]);
        var source = Id(incidents[2]);
        var (_, sourceAlerts) = await Json.GetAsync(viewer, $"/api/v1/incidents/{source}/alerts?limit=1000");
        var moving = sourceAlerts.GetProperty("items").EnumerateArray().Select(Id).ToList();
        var (analystMerge, _) = await Json.PostAsync(analyst, $"/api/v1/incidents/{target}/merge", new { sources = new[] { source } });
        Assert.Equal(HttpStatusCode.Forbidden, analystMerge.StatusCode);
        var (merge, merged) = await Json.PostAsync(senior, $"/api/v1/incidents/{target}/merge", new { sources = new[] { source }, note = "same intrusion" });
        Assert.Equal(HttpStatusCode.OK, merge.StatusCode);
        Assert.Equal(moving.Count, merged.GetProperty("moved").GetInt32());
        var (_, mergedSource) = await Json.GetAsync(viewer, $"/api/v1/incidents/{source}");
        Assert.Equal(target, mergedSource.GetProperty("mergedInto").GetString());
        var (actOnMerged, _) = await Json.PostAsync(analyst, $"/api/v1/incidents/{source}/acknowledge", new { });
        Assert.Equal(HttpStatusCode.Conflict, actOnMerged.StatusCode);

        var (split, splitResult) = await Json.PostAsync(senior, $"/api/v1/incidents/{target}/split", new { alerts = moving, note = "separate after all" });
        Assert.Equal(HttpStatusCode.OK, split.StatusCode);
        Assert.Equal(moving.Count, splitResult.GetProperty("moved").GetInt32());
        var created = splitResult.GetProperty("incidents").EnumerateArray().Select(Id).Single(id => id != target);
        var (_, createdAlerts) = await Json.GetAsync(viewer, $"/api/v1/incidents/{created}/alerts?limit=1000");
        Assert.Equal(moving.Order(), createdAlerts.GetProperty("items").EnumerateArray().Select(Id).Order());

        var audit = await _server.AuditAsync();
        void Logged(string actor, string action, string targetId) =>
            Assert.Contains(audit, e => e.Actor == actor && e.Action == action && e.Target.EndsWith(targetId, StringComparison.Ordinal));
        Logged("analyst", "incident.acknowledge", top);
        Logged("analyst", "incident.assign", top);
        Logged("analyst", "incident.status", top);
        Logged("analyst", "incident.close", top);
        Logged("analyst", "incident.comment", top);
        Logged("analyst", "alert.acknowledge", alertId);
        Logged("senior-analyst", "incident.merge", target);
        Logged("senior-analyst", "incident.split", target);
        Assert.DoesNotContain(audit, e => e.Action == "incident.merge" && e.Actor == "analyst");
        Assert.Contains("true-positive", audit.Single(e => e.Action == "incident.close").Details, StringComparison.Ordinal);

        var (_, metrics) = await Json.GetAsync(viewer, "/api/v1/metrics");
        Assert.Equal(1, metrics.GetProperty("incidents").GetProperty("byStatus").GetProperty("closed").GetInt32());
        Assert.True(metrics.GetProperty("alerts").GetProperty("total").GetInt32() > 0);
        Assert.True(metrics.GetProperty("process").GetProperty("workingSetBytes").GetInt64() > 0);
    }

    /// <summary>Posts the simulator's NDJSON in requests of 5,000 lines; returns the lines accepted.</summary>
    internal static async Task<long> PostSimulationAsync(HttpClient client, int events, int seed)
    {
        using var buffer = new MemoryStream();
        new AttackSimulator().Run(new SimulationOptions(events, seed), buffer);
        var lines = System.Text.Encoding.UTF8.GetString(buffer.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        long accepted = 0;
        foreach (var chunk in lines.Chunk(5_000))
        {
            var response = await client.PostAsync("/api/v1/events", new StringContent(string.Join('\n', chunk) + "\n", System.Text.Encoding.UTF8, "application/x-ndjson"));
            var body = await Json.ReadAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {body}");
            Assert.Equal(0, body.GetProperty("rejected").GetInt32());
            accepted += body.GetProperty("accepted").GetInt64();
        }
        return accepted;
    }

    private static string Id(JsonElement item) => item.GetProperty("id").GetString()!;
}
