using System.ComponentModel;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Cli.Hosting;
using Vedette.Cli.Output;
using Vedette.Domain;
using Vedette.Serialization;
using Vedette.Storage;
using Vedette.Storage.Sqlite;

namespace Vedette.Cli.Commands;

internal class ListSettings : StoreSettings
{
    [CommandOption("--status <STATUS>")]
    [Description("new, acknowledged, investigating, escalated or closed.")]
    public string? Status { get; init; }

    [CommandOption("--severity <LEVEL>")]
    [Description("Minimum severity: informational, low, medium, high, critical.")]
    public string? Severity { get; init; }

    [CommandOption("--limit <N>")]
    [Description("Items per page (default 50, at most 1000).")]
    public int Limit { get; init; } = 50;

    [CommandOption("--after <CURSOR>")]
    [Description("Cursor printed by the previous page.")]
    public string? After { get; init; }

    public CaseStatus? ParsedStatus => Status is null ? null : LifecycleNames.TryParseStatus(Status, out var s) ? s : null;

    public Severity? ParsedSeverity => Severity is null ? null : SeverityNames.Parse(Severity);

    public override ValidationResult Validate()
    {
        if (Status is not null && !LifecycleNames.TryParseStatus(Status, out _))
        {
            return ValidationResult.Error($"unknown status '{Status}': expected new, acknowledged, investigating, escalated or closed");
        }
        if (Severity is not null && !SeverityNames.TryParse(Severity, out _))
        {
            return ValidationResult.Error($"unknown severity '{Severity}': expected informational, low, medium, high or critical");
        }
        return Limit is < 1 or > 1000 ? ValidationResult.Error("--limit must be between 1 and 1000") : base.Validate();
    }
}

internal sealed class AlertListSettings : ListSettings
{
    [CommandOption("--rule <ID>")]
    [Description("Only alerts of this rule id.")]
    public string? Rule { get; init; }

    [CommandOption("--incident <ID>")]
    [Description("Only alerts of this incident.")]
    public Guid? Incident { get; init; }
}

internal sealed class ShowSettings : StoreSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("The id, as printed by list.")]
    public Guid Id { get; init; }
}

/// <summary>Opens an existing store for reading; a missing store is a clear error, not a new empty one.</summary>
internal static class StoreAccess
{
    public static Task<IStore> OpenExistingAsync(StoreSettings settings, CancellationToken cancellationToken) =>
        OpenExistingAsync(settings.Data, cancellationToken);

    public static async Task<IStore> OpenExistingAsync(string data, CancellationToken cancellationToken)
    {
        var path = ProductPaths.Database(data);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"no Vedette store at {Path.GetFullPath(path)}: run `vedette demo` or `vedette ingest`, or pass --data DIR");
        }
        return await SqliteStore.OpenAsync(path, TimeProvider.System, cancellationToken);
    }

    public static void WriteJson(Action<Utf8JsonWriter> write)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, DomainJson.WriterOptions(indented: true)))
        {
            write(writer);
        }
        stdout.WriteByte((byte)'\n');
    }

    /// <summary>Prints one page as {"items": [...], "next": cursor} or as a table with the cursor for the next page.</summary>
    public static int PrintPage<T>(StoreSettings settings, Page<T> page, Action<Utf8JsonWriter, T> item, Func<IEnumerable<T>, Table> table)
    {
        if (settings.Format == OutputFormat.Json)
        {
            WriteJson(writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("items");
                foreach (var value in page.Items)
                {
                    item(writer, value);
                }
                writer.WriteEndArray();
                writer.WriteString("next", page.Next);
                writer.WriteEndObject();
            });
            return 0;
        }
        AnsiConsole.Write(table(page.Items));
        if (page.Next is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"next page: --after {page.Next}");
        }
        return 0;
    }
}

/// <summary>vedette alerts list: newest first, with filters and paging.</summary>
internal sealed class AlertListCommand : AsyncCommand<AlertListSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, AlertListSettings settings, CancellationToken cancellationToken)
    {
        await using var store = await StoreAccess.OpenExistingAsync(settings, cancellationToken);
        var page = await store.ListAlertsAsync(new AlertQuery
        {
            Status = settings.ParsedStatus,
            MinSeverity = settings.ParsedSeverity,
            RuleId = settings.Rule,
            IncidentId = settings.Incident,
            Limit = settings.Limit,
            After = settings.After,
        }, cancellationToken);
        return StoreAccess.PrintPage(settings, page, (writer, alert) => DomainJson.WriteAlert(writer, alert, includeEvidence: false), Tables.Alerts);
    }
}

/// <summary>vedette alerts show ID: one alert with its score breakdown, intel hits and evidence.</summary>
internal sealed class AlertShowCommand : AsyncCommand<ShowSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ShowSettings settings, CancellationToken cancellationToken)
    {
        await using var store = await StoreAccess.OpenExistingAsync(settings, cancellationToken);
        var alert = await store.GetAlertAsync(settings.Id, cancellationToken);
        if (alert is null)
        {
            await Console.Error.WriteLineAsync($"no alert {settings.Id}");
            return 3;
        }
        if (settings.Format == OutputFormat.Json)
        {
            StoreAccess.WriteJson(writer => DomainJson.WriteAlert(writer, alert, includeEvidence: true));
            return 0;
        }
        Details.Alert(alert);
        return 0;
    }
}

/// <summary>vedette incidents list: the queue in priority order.</summary>
internal sealed class IncidentListCommand : AsyncCommand<ListSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ListSettings settings, CancellationToken cancellationToken)
    {
        await using var store = await StoreAccess.OpenExistingAsync(settings, cancellationToken);
        var page = await store.ListIncidentsAsync(new IncidentQuery
        {
            Status = settings.ParsedStatus,
            MinSeverity = settings.ParsedSeverity,
            Limit = settings.Limit,
            After = settings.After,
        }, cancellationToken);
        return StoreAccess.PrintPage(settings, page, DomainJson.WriteIncident, items => Tables.Incidents(items));
    }
}

/// <summary>vedette incidents show ID: the incident, why its alerts were grouped, and the alerts themselves.</summary>
internal sealed class IncidentShowCommand : AsyncCommand<ShowSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ShowSettings settings, CancellationToken cancellationToken)
    {
        await using var store = await StoreAccess.OpenExistingAsync(settings, cancellationToken);
        var incident = await store.GetIncidentAsync(settings.Id, cancellationToken);
        if (incident is null)
        {
            await Console.Error.WriteLineAsync($"no incident {settings.Id}");
            return 3;
        }
        var alerts = await store.AllAlertsAsync(new AlertQuery { IncidentId = incident.Id }, cancellationToken);
        if (settings.Format == OutputFormat.Json)
        {
            StoreAccess.WriteJson(writer =>
            {
                writer.WriteStartObject();
                writer.WritePropertyName("incident");
                DomainJson.WriteIncident(writer, incident);
                writer.WriteStartArray("alerts");
                foreach (var alert in alerts)
                {
                    DomainJson.WriteAlert(writer, alert, includeEvidence: false);
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            });
            return 0;
        }
        Details.Incident(incident, alerts);
        return 0;
    }
}
