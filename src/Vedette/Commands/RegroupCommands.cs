using System.ComponentModel;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Domain;
using Vedette.Storage;
using Vedette.Triage;

namespace Vedette.Cli.Commands;

internal class RegroupSettings : StoreSettings
{
    [CommandOption("--analyst <NAME>")]
    [Description("Who makes the change (recorded on the incidents and in the audit log).")]
    public string Analyst { get; init; } = "";

    [CommandOption("--note <TEXT>")]
    [Description("Why.")]
    public string? Note { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Analyst) ? ValidationResult.Error("--analyst is required: every regrouping is recorded with who made it") : base.Validate();
}

internal sealed class MergeSettings : RegroupSettings
{
    [CommandArgument(0, "<TARGET>")]
    [Description("The incident that keeps all the alerts.")]
    public Guid Target { get; init; }

    [CommandArgument(1, "<SOURCE>")]
    [Description("Incidents whose alerts move into the target; they leave the queue, marked as merged.")]
    public Guid[] Sources { get; init; } = [];
}

internal sealed class SplitSettings : RegroupSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("The incident to split.")]
    public Guid Id { get; init; }

    [CommandOption("--alerts <IDS>")]
    [Description("Comma-separated ids of the alerts that move into a new incident.")]
    public string Alerts { get; init; } = "";

    public IReadOnlySet<Guid> AlertIds =>
        Alerts.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse).ToHashSet();

    public override ValidationResult Validate()
    {
        var ids = Alerts.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length == 0)
        {
            return ValidationResult.Error("--alerts must name at least one alert id");
        }
        var bad = ids.FirstOrDefault(id => !Guid.TryParse(id, out _));
        return bad is not null ? ValidationResult.Error($"--alerts: '{bad}' is not an alert id") : base.Validate();
    }
}

/// <summary>vedette incidents merge TARGET SOURCE...: one incident where triage made several.</summary>
internal sealed class IncidentMergeCommand : AsyncCommand<MergeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, MergeSettings settings, CancellationToken cancellationToken)
    {
        await using var store = await StoreAccess.OpenExistingAsync(settings, cancellationToken);
        if (await RegroupAccess.IncidentAsync(store, settings.Target, cancellationToken) is not { } target)
        {
            return RegroupAccess.NotFound;
        }
        var sources = new List<(Incident, IReadOnlyList<Alert>)>();
        foreach (var id in settings.Sources.Distinct())
        {
            if (await RegroupAccess.IncidentAsync(store, id, cancellationToken) is not { } source)
            {
                return RegroupAccess.NotFound;
            }
            sources.Add((source, await store.AlertsOfAsync(source, cancellationToken)));
        }
        var now = TimeProvider.System.GetUtcNow();
        var regrouping = IncidentRegrouper.Merge(target, sources, await store.AlertsOfAsync(target, cancellationToken), Actor.Analyst(settings.Analyst), now, settings.Note, new GroupingOptions());
        return await RegroupAccess.SaveAsync(store, settings, regrouping, "incident.merge", target.Id, $"merged {string.Join(", ", settings.Sources)} into {target.Id}", cancellationToken);
    }
}

/// <summary>vedette incidents split ID --alerts A,B: alerts that do not belong together go to a new incident.</summary>
internal sealed class IncidentSplitCommand : AsyncCommand<SplitSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SplitSettings settings, CancellationToken cancellationToken)
    {
        await using var store = await StoreAccess.OpenExistingAsync(settings, cancellationToken);
        if (await RegroupAccess.IncidentAsync(store, settings.Id, cancellationToken) is not { } incident)
        {
            return RegroupAccess.NotFound;
        }
        var alerts = await store.AlertsOfAsync(incident, cancellationToken);
        var now = TimeProvider.System.GetUtcNow();
        var regrouping = IncidentRegrouper.Split(incident, alerts, settings.AlertIds, Guid.CreateVersion7(now), Actor.Analyst(settings.Analyst), now, settings.Note, new GroupingOptions());
        return await RegroupAccess.SaveAsync(store, settings, regrouping, "incident.split", incident.Id, $"split {settings.AlertIds.Count} alert(s) into {regrouping.Created!.Id}", cancellationToken);
    }
}

internal static class RegroupAccess
{
    /// <summary>The exit code for an id that names nothing, as for every command that acts on stored items.</summary>
    public const int NotFound = 3;

    /// <summary>The incident, or null after saying on stderr that there is none.</summary>
    public static async Task<Incident?> IncidentAsync(IStore store, Guid id, CancellationToken cancellationToken)
    {
        var incident = await store.GetIncidentAsync(id, cancellationToken);
        if (incident is null)
        {
            await Console.Error.WriteLineAsync($"vedette: no incident {id}; nothing was changed");
        }
        return incident;
    }

    public static async Task<int> SaveAsync(IStore store, RegroupSettings settings, Regrouping regrouping, string action, Guid target, string summary, CancellationToken cancellationToken)
    {
        var result = await store.RegroupAsync(regrouping, cancellationToken);
        if (result != UpdateResult.Updated)
        {
            await Console.Error.WriteLineAsync(result == UpdateResult.Conflict
                ? "vedette: someone changed one of these incidents meanwhile; nothing was changed: run the command again"
                : "vedette: one of these incidents is gone; nothing was changed");
            return result == UpdateResult.Conflict ? 1 : NotFound;
        }
        var details = JsonSerializer.Serialize(new Dictionary<string, object?> { ["summary"] = summary, ["note"] = settings.Note, ["moved"] = regrouping.Moves.Count });
        await store.AppendAuditAsync(settings.Analyst, action, $"incident/{target}", details, TimeProvider.System.GetUtcNow(), cancellationToken);
        if (settings.Format == OutputFormat.Json)
        {
            StoreAccess.WriteJson(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("action", action);
                writer.WriteStartArray("incidents");
                foreach (var incident in regrouping.Changed.Append(regrouping.Created).OfType<Incident>())
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", incident.Id);
                    writer.WriteNumber("alerts", incident.MergedInto is null ? incident.AlertIds.Count : 0);
                    writer.WriteNumber("score", incident.Score);
                    writer.WriteString("mergedInto", incident.MergedInto?.ToString());
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteNumber("moved", regrouping.Moves.Count);
                writer.WriteEndObject();
            });
        }
        else
        {
            AnsiConsole.WriteLine($"{summary}: {regrouping.Moves.Count} alert(s) moved.");
        }
        return 0;
    }
}
