using System.ComponentModel;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Domain;
using Vedette.Metrics;
using Vedette.Serialization;
using Vedette.Storage;

namespace Vedette.Cli.Commands;

internal sealed class ReportExportSettings : ReportRangeSettings
{
    [CommandArgument(0, "<KIND>")]
    [Description("alerts or incidents.")]
    public string Kind { get; init; } = "";

    public string Format => FormatName ?? "csv";

    public override ValidationResult Validate() =>
        Kind is not ("alerts" or "incidents") ? ValidationResult.Error($"export alerts or incidents, not '{Kind}'")
        : Format is not ("csv" or "json") ? ValidationResult.Error($"--format of an export must be csv or json, not '{Format}'")
        : ValidateRange();
}

/// <summary>
/// vedette report export alerts|incidents: every alert or incident whose activity overlaps the range (last seen at or
/// after --from, first seen before --to), newest alerts first and incidents in queue order, as CSV or JSON. Streams a
/// page of the store at a time, so memory stays flat however many items the range holds.
/// </summary>
internal sealed class ReportExportCommand : AsyncCommand<ReportExportSettings>
{
    private const int PageSize = 500;

    private static readonly string[] AlertColumns =
    [
        "id", "created_at", "rule_id", "title", "severity", "status", "verdict", "source", "assignee", "score", "incident_id",
        "first_seen", "last_seen", "acknowledged_at", "closed_at", "event_count", "attack_tags", "suppressed_by",
    ];

    private static readonly string[] IncidentColumns =
    [
        "id", "created_at", "title", "severity", "score", "status", "verdict", "assignee", "first_seen", "last_seen",
        "acknowledged_at", "closed_at", "due_at", "alert_count", "rule_ids", "merged_into",
    ];

    public override async Task<int> ExecuteAsync(CommandContext context, ReportExportSettings settings, CancellationToken cancellationToken)
    {
        var range = settings.Range(TimeProvider.System.GetUtcNow());
        await using var store = await StoreAccess.OpenExistingAsync(settings.Data, cancellationToken);
        await using var output = settings.OpenOutput();
        var count = settings.Kind == "alerts"
            ? await ExportAsync(output, settings.Format, AlertColumns, after => store.ListAlertsAsync(new AlertQuery { From = range.From, To = range.To, Limit = PageSize, After = after }, cancellationToken),
                AlertRow, (writer, alert) => DomainJson.WriteAlert(writer, alert, includeEvidence: false), cancellationToken)
            : await ExportAsync(output, settings.Format, IncidentColumns, after => store.ListIncidentsAsync(new IncidentQuery { From = range.From, To = range.To, Limit = PageSize, After = after }, cancellationToken),
                IncidentRow, DomainJson.WriteIncident, cancellationToken);
        if (settings.Out is not null)
        {
            await Console.Error.WriteLineAsync($"{count:N0} {settings.Kind} written to {settings.Out}");
        }
        return 0;
    }

    private static async Task<long> ExportAsync<T>(Stream output, string format, string[] columns, Func<string?, Task<Page<T>>> read,
        Action<CsvWriter, T> row, Action<Utf8JsonWriter, T> item, CancellationToken cancellationToken)
    {
        using var csv = format == "csv" ? new CsvWriter(output) : null;
        using var json = format == "json" ? new Utf8JsonWriter(output, DomainJson.WriterOptions(indented: false)) : null;
        csv?.Row(columns);
        json?.WriteStartArray();
        long count = 0;
        string? after = null;
        do
        {
            var page = await read(after);
            foreach (var value in page.Items)
            {
                if (csv is not null)
                {
                    row(csv, value);
                }
                else
                {
                    item(json!, value);
                }
                count++;
            }
            // Each page leaves the process as it is written: memory holds one page, not the export.
            csv?.Flush();
            await (json?.FlushAsync(cancellationToken) ?? Task.CompletedTask);
            after = page.Next;
        }
        while (after is not null);
        json?.WriteEndArray();
        json?.Flush();
        csv?.Flush();
        output.WriteByte((byte)'\n');
        return count;
    }

    private static void AlertRow(CsvWriter csv, Alert alert)
    {
        csv.Value(alert.Id.ToString()).Time(alert.CreatedAt).Text(alert.RuleId).Text(alert.Title).Value(alert.Severity.ToName())
            .Value(LifecycleNames.ToName(alert.Status)).Value(alert.Verdict is { } v ? LifecycleNames.ToName(v) : null).Text(AlertFacets.Source(alert))
            .Text(alert.Assignee).Value(alert.Risk?.Total).Value(alert.IncidentId?.ToString()).Time(alert.FirstSeen).Time(alert.LastSeen)
            .Time(alert.AcknowledgedAt).Time(alert.ClosedAt).Value(alert.EventCount).Text(AlertFacets.AttackTags(alert.Tags)).Value(alert.SuppressedBy?.ToString())
            .EndRow();
    }

    private static void IncidentRow(CsvWriter csv, Incident incident)
    {
        csv.Value(incident.Id.ToString()).Time(incident.CreatedAt).Text(incident.Title).Value(incident.Severity.ToName()).Value(incident.Score)
            .Value(LifecycleNames.ToName(incident.Status)).Value(incident.Verdict is { } v ? LifecycleNames.ToName(v) : null).Text(incident.Assignee)
            .Time(incident.FirstSeen).Time(incident.LastSeen).Time(incident.AcknowledgedAt).Time(incident.ClosedAt).Time(incident.DueAt)
            .Value(incident.AlertIds.Count).Text(string.Join(' ', incident.RuleIds)).Value(incident.MergedInto?.ToString())
            .EndRow();
    }
}
