using Microsoft.Data.Sqlite;
using Vedette.Domain;
using Vedette.Storage.Sqlite;

namespace Vedette.Storage.Tests.Sqlite;

/// <summary>
/// Migration 7 on a store written by a Vedette that knew schema 6: each alert's source and ATT&amp;CK tags are taken
/// from its document, and the KPI reads are answered from the covering indexes alone.
/// </summary>
public sealed class ReportColumnsMigrationTests : OlderStoreFile
{
    [Fact]
    public async Task A_version_6_store_gains_each_alerts_source_and_attack_tags_from_its_document()
    {
        var from = Clock.GetUtcNow();
        var external = Some.AlertWithEverything(Clock);
        external.SuppressedBy = null;
        external.Tags.Add("Attack.T1059.001");
        var plain = Some.Alert(Clock, ruleId: "brute");
        await WriteAtVersionAsync(6, async v6 =>
        {
            foreach (var alert in new[] { external, plain })
            {
                using var insert = v6.CreateCommand();
                insert.CommandText = """
                    INSERT INTO alerts (id, rule_id, severity, status, first_seen, last_seen, created_at, event_count, version, doc)
                    VALUES (@id, @rule_id, @severity, @status, @first_seen, @first_seen, @created_at, 1, 0, @doc)
                    """;
                insert.Parameters.AddWithValue("@id", alert.Id.ToString());
                insert.Parameters.AddWithValue("@rule_id", alert.RuleId);
                insert.Parameters.AddWithValue("@severity", (int)alert.Severity);
                insert.Parameters.AddWithValue("@status", (int)alert.Status);
                insert.Parameters.AddWithValue("@first_seen", Column(alert.FirstSeen));
                insert.Parameters.AddWithValue("@created_at", Column(alert.CreatedAt));
                insert.Parameters.AddWithValue("@doc", Vedette.Serialization.DomainJson.ToJson(alert));
                await insert.ExecuteNonQueryAsync(Ct);
            }
        });

        await using var store = await SqliteStore.OpenAsync(DatabasePath, Clock, Ct);

        var timings = (await store.ReadAlertTimingsAsync(from, Clock.GetUtcNow(), Ct)).OrderBy(t => t.CreatedAt).ToList();
        Assert.Equal([external.Id, plain.Id], timings.Select(t => t.Id));
        Assert.Equal(("suricata", "attack.command_and_control attack.t1071 attack.t1059.001"), (timings[0].Source, timings[0].AttackTags));
        Assert.Equal(("rule", (string?)null), (timings[1].Source, timings[1].AttackTags));
    }

    [Fact]
    public async Task The_kpi_reads_use_covering_indexes_and_never_the_documents()
    {
        CreateFolder();
        await using (await SqliteStore.OpenAsync(DatabasePath, Clock, Ct))
        {
        }
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);

        var alerts = await PlanAsync(connection, KpiReads.Timings);
        var incidents = await PlanAsync(connection, KpiReads.IncidentTimings);

        Assert.Contains("SEARCH a USING COVERING INDEX alerts_by_created (created_at>? AND created_at<?)", alerts);
        Assert.Contains("SEARCH incidents USING COVERING INDEX incidents_by_created (created_at>? AND created_at<?)", incidents);
    }

    private static async Task<string> PlanAsync(SqliteConnection connection, string query)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + query;
        command.Parameters.AddWithValue("@from", "2026-01-01");
        command.Parameters.AddWithValue("@to", "2026-02-01");
        using var reader = await command.ExecuteReaderAsync();
        var plan = new List<string>();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }
        return string.Join("\n", plan);
    }
}
