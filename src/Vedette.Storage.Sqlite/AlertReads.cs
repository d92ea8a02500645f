using Microsoft.Data.Sqlite;
using Vedette.Domain;
using Vedette.Serialization;

namespace Vedette.Storage.Sqlite;

/// <summary>Alert queries; they run on reader connections, which WAL lets proceed while the writer commits.</summary>
internal static class AlertReads
{
    public static async Task<Alert?> GetAsync(SqliteConnection connection, Guid id, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT doc FROM alerts WHERE id = @id;
            SELECT origin, line, timestamp, json FROM alert_evidence WHERE alert_id = @id ORDER BY seq;
            """;
        command.Parameters.AddWithValue("@id", Columns.Id(id));
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var alert = DomainJson.ParseAlert(reader.GetString(0));
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            alert.Evidence.Add(new EvidenceEvent(
                new RecordRef(reader.GetString(0), reader.GetInt64(1)), Columns.ParseRoundTripTime(reader.GetString(2)), reader.GetString(3)));
        }
        return alert;
    }

    /// <summary>
    /// Newest first by id (UUIDv7 ids sort by creation time). The time range selects alerts whose activity overlaps
    /// it: last seen at or after From, first seen before To.
    /// </summary>
    public static async Task<Page<Alert>> ListAsync(SqliteConnection connection, AlertQuery query, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        var filter = new SqlFilter(command)
            .Where("status = @status", "@status", (int?)query.Status)
            .Where("severity >= @severity", "@severity", (int?)query.MinSeverity)
            .Where("rule_id = @rule_id", "@rule_id", query.RuleId)
            .Where("incident_id = @incident_id", "@incident_id", Columns.Id(query.IncidentId))
            .Where("last_seen >= @from", "@from", Columns.Time(query.From))
            .Where("first_seen < @to", "@to", Columns.Time(query.To))
            .Where("id < @after", "@after", query.After is { } after ? Paging.Decode(after, "alerts", 1)[0] : null);
        command.CommandText = $"SELECT doc FROM alerts{filter} ORDER BY id DESC LIMIT @limit";
        return await Paging.ReadAsync(command, "alerts", Paging.Clamp(query.Limit), DomainJson.ParseAlert, alert => [Columns.Id(alert.Id)], cancellationToken);
    }
}
