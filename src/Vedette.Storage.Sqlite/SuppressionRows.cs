using System.Text.Json;
using Microsoft.Data.Sqlite;
using Vedette.Domain;
using Vedette.Triage;

namespace Vedette.Storage.Sqlite;

/// <summary>
/// Suppressions, one row each, never deleted: removal marks the row, so the audit trail can always say what silenced
/// an alert. Hits are counted from <c>alerts.suppressed_by</c> through its partial index, never kept as a counter.
/// </summary>
internal sealed class SuppressionRows(SqliteConnection writer, DocWriter docs) : IDisposable
{
    private const int SqliteConstraintPrimaryKey = 1555;

    private readonly Statement _insert = new(writer, """
        INSERT INTO suppressions (id, rule_id, entity_type, entity_value, fields, expires_at, reason, author, created_at, removed_at, removed_by)
        VALUES (@id, @rule_id, @entity_type, @entity_value, @fields, @expires_at, @reason, @author, @created_at, @removed_at, @removed_by)
        """);

    private readonly Statement _remove = new(writer, """
        UPDATE suppressions SET removed_at = @removed_at, removed_by = @removed_by
        WHERE id = @id AND removed_at IS NULL
        """);

    public void Insert(Suppression suppression)
    {
        _insert.Set("@id", Columns.Id(suppression.Id));
        _insert.Set("@rule_id", suppression.RuleId);
        _insert.Set("@entity_type", suppression.Entity is { } entity ? ObservableTypes.ToName(entity.Type) : null);
        _insert.Set("@entity_value", suppression.Entity?.Value);
        if (suppression.Fields.Count == 0)
        {
            _insert.Set("@fields", (string?)null);
        }
        else
        {
            _insert.Set("@fields", docs.Map(suppression.Fields).Span);
        }
        _insert.Set("@expires_at", Columns.Time(suppression.ExpiresAt));
        _insert.Set("@reason", suppression.Reason);
        _insert.Set("@author", suppression.Author);
        _insert.Set("@created_at", Columns.Time(suppression.CreatedAt));
        _insert.Set("@removed_at", Columns.Time(suppression.RemovedAt));
        _insert.Set("@removed_by", suppression.RemovedBy);
        try
        {
            _insert.Execute();
        }
        catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteConstraintPrimaryKey)
        {
            throw new InvalidOperationException($"suppression {suppression.Id} is already stored", ex);
        }
    }

    public bool Remove(Guid id, string by, DateTimeOffset at)
    {
        _remove.Set("@id", Columns.Id(id));
        _remove.Set("@removed_at", Columns.Time(at));
        _remove.Set("@removed_by", by);
        return _remove.Execute() > 0;
    }

    public static async Task<IReadOnlyList<Suppression>> ListAsync(SqliteConnection connection, bool includeRemoved, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT s.id, s.rule_id, s.entity_type, s.entity_value, s.fields, s.expires_at, s.reason, s.author, s.created_at,
                   s.removed_at, s.removed_by, (SELECT count(*) FROM alerts a WHERE a.suppressed_by = s.id)
            FROM suppressions s
            WHERE @all OR s.removed_at IS NULL
            ORDER BY s.created_at, s.id
            """;
        command.Parameters.AddWithValue("@all", includeRemoved);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var suppressions = new List<Suppression>();
        while (await reader.ReadAsync(cancellationToken))
        {
            suppressions.Add(new Suppression(
                Guid.Parse(reader.GetString(0)),
                Text(reader, 1),
                ReadEntity(reader),
                reader.IsDBNull(4) ? null : ReadFields(reader.GetString(4)),
                Time(reader, 5),
                reader.GetString(6),
                reader.GetString(7),
                Columns.ParseTime(reader.GetString(8)))
            {
                RemovedAt = Time(reader, 9),
                RemovedBy = Text(reader, 10),
                Hits = reader.GetInt64(11),
            });
        }
        return suppressions;
    }

    private static Observable? ReadEntity(SqliteDataReader reader)
    {
        if (reader.IsDBNull(2))
        {
            return null;
        }
        var typeName = reader.GetString(2);
        // Canonical when written: parsing again would only risk changing what the analyst saw when adding it.
        return ObservableTypes.TryParse(typeName, out var type)
            ? new Observable(type, reader.GetString(3))
            : throw new InvalidDataException($"suppressions holds an unknown entity type '{typeName}'");
    }

    private static Dictionary<string, string> ReadFields(string json)
    {
        using var document = JsonDocument.Parse(json);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in document.RootElement.EnumerateObject())
        {
            fields[field.Name] = field.Value.GetString()!;
        }
        return fields;
    }

    private static string? Text(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static DateTimeOffset? Time(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : Columns.ParseTime(reader.GetString(column));

    public void Dispose()
    {
        _insert.Dispose();
        _remove.Dispose();
    }
}
