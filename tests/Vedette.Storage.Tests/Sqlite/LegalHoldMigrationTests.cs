using Vedette.Domain;
using Vedette.Storage.Sqlite;

namespace Vedette.Storage.Tests.Sqlite;

/// <summary>Migration 6 on a store written by a Vedette that knew schema 5: data kept, holds and retention work.</summary>
public sealed class LegalHoldMigrationTests : OlderStoreFile
{
    [Fact]
    public async Task A_version_5_store_gains_legal_holds_and_keeps_its_incidents_as_they_were()
    {
        var incident = Some.Incident(Clock, alerts: Some.Alert(Clock));
        incident.Close(Verdict.TruePositive, Some.Ana, Clock.GetUtcNow());
        await WriteAtVersionAsync(5, async v5 =>
        {
            using var insert = v5.CreateCommand();
            insert.CommandText = """
                INSERT INTO incidents (id, severity, score, status, verdict, first_seen, last_seen, created_at, closed_at, alert_count, version, doc, due_at)
                VALUES (@id, 3, 50, 4, 0, @seen, @seen, @seen, @seen, 1, 0, @doc, @seen)
                """;
            insert.Parameters.AddWithValue("@id", incident.Id.ToString());
            insert.Parameters.AddWithValue("@seen", Column(Clock.GetUtcNow()));
            insert.Parameters.AddWithValue("@doc", DomainJson(incident));
            await insert.ExecuteNonQueryAsync(Ct);
        });
        Clock.Advance(TimeSpan.FromDays(200));

        await using var store = await SqliteStore.OpenAsync(DatabasePath, Clock, Ct);

        var read = await store.GetIncidentAsync(incident.Id, Ct);
        Assert.Equal(DomainJson(incident), DomainJson(read!));
        Assert.Null(read!.Hold);
        var hold = new LegalHold("lena", Clock.GetUtcNow(), "subpoena");
        Assert.Equal(HoldResult.Done, await store.PlaceHoldAsync(incident.Id, hold, Ct));
        Assert.Equal(hold, (await store.GetIncidentAsync(incident.Id, Ct))!.Hold);
        var policy = new RetentionPolicy { Incidents = TimeSpan.FromDays(90) };
        Assert.True((await store.PlanRetentionAsync(policy, Clock.GetUtcNow(), Ct)).IsEmpty);
        Assert.Equal(HoldResult.Done, await store.ReleaseHoldAsync(incident.Id, Ct));
        Assert.Equal([incident.Id], (await store.PlanRetentionAsync(policy, Clock.GetUtcNow(), Ct)).Incidents);
    }

    private static string DomainJson(Incident incident) => Vedette.Serialization.DomainJson.ToJson(incident, indented: true);
}
