using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Vedette.Domain;
using Vedette.Serialization;

namespace Vedette.Storage.Sqlite;

/// <summary>Legal holds and retention: rare writes, so plain commands rather than statements prepared at open.</summary>
public sealed partial class SqliteStore
{
    public Task<HoldResult> PlaceHoldAsync(Guid incidentId, LegalHold hold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hold);
        return InWriteTransactionAsync(transaction =>
        {
            // The hold is in the columns (for retention's query) and in the document (for reads), set together. The
            // version does not move: a hold changes nothing an analyst edits, so it must not make their save conflict.
            using var command = HoldCommand(transaction, """
                UPDATE incidents SET held_by = @by, held_at = @at, hold_reason = @reason,
                    doc = json_set(doc, '$.hold', json_object('by', @by, 'at', @at_doc, 'reason', @reason))
                WHERE id = @id AND held_at IS NULL AND merged_into IS NULL
                """, incidentId);
            command.Parameters.AddWithValue("@by", hold.By);
            command.Parameters.AddWithValue("@at", Columns.Time(hold.At));
            command.Parameters.AddWithValue("@at_doc", Columns.RoundTripTime(hold.At));
            command.Parameters.AddWithValue("@reason", hold.Reason);
            return command.ExecuteNonQuery() == 1 ? HoldResult.Done : WhyNot(transaction, incidentId, placing: true);
        }, cancellationToken);
    }

    public Task<HoldResult> ReleaseHoldAsync(Guid incidentId, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(transaction =>
        {
            using var command = HoldCommand(transaction, """
                UPDATE incidents SET held_by = NULL, held_at = NULL, hold_reason = NULL, doc = json_remove(doc, '$.hold')
                WHERE id = @id AND held_at IS NOT NULL
                """, incidentId);
            return command.ExecuteNonQuery() == 1 ? HoldResult.Done : WhyNot(transaction, incidentId, placing: false);
        }, cancellationToken);

    public Task<RetentionPlan> PlanRetentionAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken) =>
        ReadAsync(connection =>
        {
            // One read transaction: every query of the plan sees the same snapshot while the pipeline writes on.
            using var transaction = connection.BeginTransaction(deferred: true);
            return Task.FromResult(RetentionRows.Plan(connection, transaction, policy, now));
        }, cancellationToken);

    public Task<RetentionPlan> ApplyRetentionAsync(RetentionPolicy policy, DateTimeOffset now, string actor, CancellationToken cancellationToken) =>
        InWriteTransactionAsync(transaction =>
        {
            var plan = RetentionRows.Plan(_writer, transaction, policy, now);
            RetentionRows.Execute(_writer, transaction, plan);
            _audit.Append(actor, "retention.run", "retention", RetentionAuditDetails(plan), now);
            return plan;
        }, cancellationToken);

    /// <summary>Counts and the policy only: the ids are in the dry run's output, and the log must stay lean.</summary>
    private static string RetentionAuditDetails(RetentionPlan plan)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, DomainJson.WriterOptions(indented: false)))
        {
            writer.WriteStartObject();
            writer.WriteNumber("incidents", plan.Incidents.Count);
            writer.WriteNumber("alerts", plan.Alerts.Count);
            writer.WriteNumber("events", plan.Events);
            writer.WriteNumber("playbookRuns", RetentionPlan.PlaybookRuns);
            plan.Policy.WriteJson(writer, "policy");
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private SqliteCommand HoldCommand(SqliteTransaction transaction, string sql, Guid incidentId)
    {
        var command = _writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("@id", Columns.Id(incidentId));
        return command;
    }

    private HoldResult WhyNot(SqliteTransaction transaction, Guid incidentId, bool placing)
    {
        using var command = HoldCommand(transaction, "SELECT merged_into IS NOT NULL, held_at IS NOT NULL FROM incidents WHERE id = @id", incidentId);
        using var row = command.ExecuteReader();
        if (!row.Read())
        {
            return HoldResult.NotFound;
        }
        if (!placing)
        {
            return HoldResult.NotHeld;
        }
        return row.GetBoolean(1) ? HoldResult.AlreadyHeld : row.GetBoolean(0) ? HoldResult.Merged : throw new InvalidOperationException(
            string.Create(CultureInfo.InvariantCulture, $"incident {incidentId}: the hold was neither placed nor refused"));
    }
}
