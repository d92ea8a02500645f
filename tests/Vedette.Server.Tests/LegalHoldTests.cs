using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Vedette.Domain;
using Vedette.Identity;
using Vedette.Storage;

namespace Vedette.Server.Tests;

/// <summary>Legal hold over the API (lead and up, audited) and the scheduled retention job of `vedette serve`.</summary>
public sealed class LegalHoldTests
{
    private static async Task<Incident> StoreClosedIncidentAsync(IStore store, DateTimeOffset at)
    {
        var alert = new Alert(Guid.CreateVersion7(at), at, "proc_creation_win_whoami", "whoami", Severity.High, AlertOrigin.Rule, at, at);
        alert.AddObservable(new Observable(ObservableType.Host, "ws-01"));
        alert.Evidence.Add(new EvidenceEvent(new RecordRef("events.ndjson", 1), at, """{"EventID":4688}"""));
        var incident = new Incident(Guid.CreateVersion7(at), at, "whoami on ws-01", at) { Severity = Severity.High, Score = 40, DueAt = at };
        incident.AlertIds.Add(alert.Id);
        alert.IncidentId = incident.Id;
        var batch = new StoreBatch();
        batch.NewAlerts.Add(alert);
        batch.Incidents.Add(incident);
        await store.WriteAsync(batch, CancellationToken.None);
        incident.Close(Verdict.TruePositive, Actor.Analyst("ana"), at.AddMinutes(5));
        Assert.Equal(UpdateResult.Updated, await store.UpdateIncidentAsync(incident, CancellationToken.None));
        return incident;
    }

    [Fact]
    public async Task A_lead_places_and_releases_a_hold_shown_in_the_incident_and_each_step_is_audited()
    {
        await using var server = await TestServer.StartAsync();
        var incident = await StoreClosedIncidentAsync(server.Store, DateTimeOffset.UtcNow);
        using var lead = server.Client(Role.Lead);
        var path = $"/api/v1/incidents/{incident.Id}/hold";

        var (placed, body) = await Json.PostAsync(lead, path, new { reason = "litigation 2025-17" });

        Assert.Equal(HttpStatusCode.OK, placed.StatusCode);
        Assert.Equal(("lead", "litigation 2025-17"), (body.GetProperty("hold").GetProperty("by").GetString(), body.GetProperty("hold").GetProperty("reason").GetString()));
        var (_, shown) = await Json.GetAsync(lead, $"/api/v1/incidents/{incident.Id}");
        Assert.Equal("litigation 2025-17", shown.GetProperty("hold").GetProperty("reason").GetString());
        var (again, refusal) = await Json.PostAsync(lead, path, new { reason = "another" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already under legal hold, placed by lead", refusal.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await Json.PostAsync(lead, path, new { reason = "  " })).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Json.PostAsync(lead, $"/api/v1/incidents/{Guid.CreateVersion7()}/hold", new { reason = "x" })).Response.StatusCode);
        using var analyst = server.Client(Role.SeniorAnalyst);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.DeleteAsync(path)).StatusCode);

        var released = await lead.DeleteAsync(path);

        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.False((await Json.ReadAsync(released)).TryGetProperty("hold", out _));
        Assert.Equal(HttpStatusCode.Conflict, (await lead.DeleteAsync(path)).StatusCode);
        var audit = (await server.AuditAsync()).Where(e => e.Target == $"incident/{incident.Id}").ToList();
        Assert.Equal([("lead", "incident.hold"), ("lead", "incident.release")], audit.Select(e => (e.Actor, e.Action)));
        Assert.Equal("""{"reason":"litigation 2025-17"}""", audit[0].Details);
        using var released0 = JsonDocument.Parse(audit[1].Details);
        Assert.Equal(("litigation 2025-17", "lead"), (released0.RootElement.GetProperty("reason").GetString(), released0.RootElement.GetProperty("heldBy").GetString()));
    }

    [Fact]
    public async Task The_server_applies_the_configured_retention_on_its_schedule_and_audits_each_run()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TestServer.StartAsync(options => options with { Retention = new RetentionConfig { Incidents = "90d", Interval = "1h" } }, time);
        var old = await StoreClosedIncidentAsync(server.Store, time.GetUtcNow().AddDays(-200));
        var held = await StoreClosedIncidentAsync(server.Store, time.GetUtcNow().AddDays(-200));
        Assert.Equal(HoldResult.Done, await server.Store.PlaceHoldAsync(held.Id, new LegalHold("lead", time.GetUtcNow(), "case 7"), CancellationToken.None));

        // The run at start may come before or after these are stored; the later ones come an hour of fake time apart.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await server.Store.GetIncidentAsync(old.Id, CancellationToken.None) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the scheduled run did not delete the old incident");
            time.Advance(TimeSpan.FromHours(1));
            await Task.Delay(100);
        }

        Assert.NotNull(await server.Store.GetIncidentAsync(held.Id, CancellationToken.None));
        // The run at start may already have seen them; either way, one more interval brings one more run.
        var before = (await server.AuditAsync()).Count(e => e.Action == "retention.run");
        while ((await server.AuditAsync()).Count(e => e.Action == "retention.run") == before)
        {
            Assert.True(DateTime.UtcNow < deadline, "no run an interval after the last one");
            // Again each time: an advance made before the job started its wait would wake nothing.
            time.Advance(TimeSpan.FromHours(1));
            await Task.Delay(100);
        }
        var runs = (await server.AuditAsync()).Where(e => e.Action == "retention.run").ToList();
        Assert.All(runs, r => Assert.Equal("system:retention", r.Actor));
        Assert.Contains(runs, r => r.Details.StartsWith("""{"incidents":1,"alerts":1,"events":1,""", StringComparison.Ordinal));
    }
}
