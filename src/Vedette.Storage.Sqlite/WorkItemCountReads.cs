using Microsoft.Data.Sqlite;
using Vedette.Domain;

namespace Vedette.Storage.Sqlite;

/// <summary>Alerts and incidents grouped by status and severity: one index-backed aggregate per table.</summary>
internal static class WorkItemCountReads
{
    public static async Task<WorkItemCounts> ReadAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var alerts = await GroupAsync(connection, "SELECT status, severity, count(*) FROM alerts GROUP BY status, severity", cancellationToken);
        var incidents = await GroupAsync(connection, "SELECT status, severity, count(*) FROM incidents WHERE merged_into IS NULL GROUP BY status, severity", cancellationToken);
        return new WorkItemCounts(alerts, incidents);
    }

    private static async Task<IReadOnlyList<StatusCount>> GroupAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var counts = new List<StatusCount>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new StatusCount((CaseStatus)reader.GetInt64(0), (Severity)reader.GetInt64(1), reader.GetInt64(2)));
        }
        return counts;
    }
}
