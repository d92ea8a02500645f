using System.Globalization;
using Microsoft.Data.Sqlite;
using Vedette.Domain;
using Vedette.Serialization;

namespace Vedette.Storage.Sqlite;

/// <summary>
/// Incident queries, in the order analysts work them: highest score, then the SLA that runs out first, then the one
/// opened first (ids are time-ordered). Merged incidents have left the queue and are not listed.
/// </summary>
internal static class IncidentReads
{
    public static async Task<Incident?> GetAsync(SqliteConnection connection, Guid id, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT doc FROM incidents WHERE id = @id";
        command.Parameters.AddWithValue("@id", Columns.Id(id));
        return await command.ExecuteScalarAsync(cancellationToken) is string doc ? DomainJson.ParseIncident(doc) : null;
    }

    public static async Task<Page<Incident>> ListAsync(SqliteConnection connection, IncidentQuery query, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        var filter = new SqlFilter(command)
            .Where("merged_into IS NULL")
            .Where("status = @status", "@status", (int?)query.Status)
            .Where("severity >= @severity", "@severity", (int?)query.MinSeverity)
            .Where("EXISTS (SELECT 1 FROM alerts WHERE alerts.incident_id = incidents.id AND alerts.rule_id = @rule)", "@rule", query.RuleId)
            .Where("last_seen >= @from", "@from", query.From is { } from ? Columns.Time(from) : null)
            .Where("first_seen < @to", "@to", query.To is { } to ? Columns.Time(to) : null);
        if (query.Assignee == IncidentQuery.Unassigned)
        {
            filter.Where("assignee IS NULL");
        }
        else
        {
            filter.Where("assignee = @assignee", "@assignee", query.Assignee);
        }
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            // Title and entities live in the document only: a scan, acceptable for an analyst's search but not for the queue's default view.
            filter.Where("""
                (instr(lower(json_extract(doc, '$.title')), lower(@text)) > 0
                 OR EXISTS (SELECT 1 FROM json_each(doc, '$.entities') AS e WHERE instr(lower(json_extract(e.value, '$.value')), lower(@text)) > 0))
                """, "@text", query.Text.Trim());
        }
        if (query.After is { } after)
        {
            // After the last item shown in (score DESC, due_at, id) order.
            var key = Paging.Decode(after, "incidents", 3);
            filter.Where("""
                (score < @after_score OR (score = @after_score AND (due_at > @after_due_at OR (due_at = @after_due_at AND id > @after_id))))
                """, "@after_score", ParseKey(key[0], after));
            command.Parameters.AddWithValue("@after_due_at", key[1]);
            command.Parameters.AddWithValue("@after_id", key[2]);
        }
        command.CommandText = $"SELECT doc FROM incidents{filter} ORDER BY score DESC, due_at, id LIMIT @limit";
        return await Paging.ReadAsync(command, "incidents", Paging.Clamp(query.Limit), DomainJson.ParseIncident, SortKey, cancellationToken);
    }

    private static string[] SortKey(Incident incident) =>
        [incident.Score.ToString(CultureInfo.InvariantCulture), Columns.Time(incident.DueAt), Columns.Id(incident.Id)];

    private static long ParseKey(string text, string cursor) =>
        long.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : throw Paging.NotACursor(cursor, "incidents");
}
