using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Domain;
using Vedette.Serialization;
using Vedette.Storage;

namespace Vedette.Cli.Commands;

/// <summary>An analyst acting on work items: who, on which ids, with an optional note.</summary>
internal class AnalystActionSettings : StoreSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("One or more ids, as printed by list.")]
    public Guid[] Ids { get; init; } = [];

    [CommandOption("--analyst <NAME>")]
    [Description("Who is acting; recorded on the transition and in the audit log.")]
    public string? Analyst { get; init; }

    [CommandOption("--note <TEXT>")]
    [Description("Why, kept with the transition.")]
    public string? Note { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Analyst) ? ValidationResult.Error("--analyst NAME is required: every change names who made it") : base.Validate();
}

internal sealed class CloseSettings : AnalystActionSettings
{
    [CommandOption("--verdict <VERDICT>")]
    [Description("true-positive, benign-positive or false-positive.")]
    public string? Verdict { get; init; }

    public Verdict ParsedVerdict => LifecycleNames.TryParseVerdict(Verdict ?? "", out var verdict) ? verdict : throw new InvalidOperationException("not validated");

    public override ValidationResult Validate() =>
        Verdict is null || !LifecycleNames.TryParseVerdict(Verdict, out _)
            ? ValidationResult.Error($"--verdict must be true-positive, benign-positive or false-positive{(Verdict is null ? "" : $", not '{Verdict}'")}")
            : base.Validate();
}

/// <summary>vedette alerts close ID... --verdict V --analyst NAME: closes alerts; analysts' verdicts teach rule fidelity.</summary>
internal sealed class AlertCloseCommand : AsyncCommand<CloseSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, CloseSettings settings, CancellationToken cancellationToken) =>
        WorkflowAction.RunAsync(settings, WorkflowAction.Alerts, "close", settings.ParsedVerdict, cancellationToken);
}

/// <summary>vedette incidents close ID... --verdict V --analyst NAME: the verdict counts for each of the incident's alerts.</summary>
internal sealed class IncidentCloseCommand : AsyncCommand<CloseSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, CloseSettings settings, CancellationToken cancellationToken) =>
        WorkflowAction.RunAsync(settings, WorkflowAction.Incidents, "close", settings.ParsedVerdict, cancellationToken);
}

/// <summary>vedette alerts acknowledge ID... --analyst NAME: someone is on it (this stops the time-to-acknowledge clock).</summary>
internal sealed class AlertAcknowledgeCommand : AsyncCommand<AnalystActionSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, AnalystActionSettings settings, CancellationToken cancellationToken) =>
        WorkflowAction.RunAsync(settings, WorkflowAction.Alerts, "acknowledge", verdict: null, cancellationToken);
}

/// <summary>
/// Read, change, save with the version read, audit: the same steps for every analyst action on alerts and incidents.
/// Each id is its own attempt, so one refused id does not hold back the others.
/// </summary>
internal static class WorkflowAction
{
    /// <summary>How to read and save one kind of work item.</summary>
    internal sealed record Kind(
        string Name,
        Func<IStore, Guid, CancellationToken, Task<WorkItem?>> GetAsync,
        Func<IStore, WorkItem, CancellationToken, Task<UpdateResult>> UpdateAsync);

    public static Kind Alerts { get; } = new("alert",
        async (store, id, ct) => await store.GetAlertAsync(id, ct),
        (store, item, ct) => store.UpdateAlertAsync((Alert)item, ct));

    public static Kind Incidents { get; } = new("incident",
        async (store, id, ct) => await store.GetIncidentAsync(id, ct),
        (store, item, ct) => store.UpdateIncidentAsync((Incident)item, ct));

    private const int Refused = 1;
    private const int NotFound = 3;

    public static async Task<int> RunAsync(AnalystActionSettings settings, Kind kind, string action, Verdict? verdict, CancellationToken cancellationToken)
    {
        var analyst = Actor.Analyst(settings.Analyst!.Trim());
        var status = verdict is null ? CaseStatus.Acknowledged : CaseStatus.Closed;
        await using var store = await StoreAccess.OpenExistingAsync(settings, cancellationToken);
        var results = new List<(Guid Id, string Outcome, WorkItem? Item, string? Error)>();
        var exit = 0;
        foreach (var id in settings.Ids)
        {
            var (outcome, item, error, code) = await ApplyAsync(store, kind, id, status, verdict, analyst, settings.Note, action, cancellationToken);
            results.Add((id, outcome, item, error));
            if (error is not null)
            {
                await Console.Error.WriteLineAsync($"vedette: {kind.Name} {id}: {error}");
                exit = exit == 0 ? code : exit;
            }
        }

        if (settings.Format == OutputFormat.Json)
        {
            StoreAccess.WriteJson(writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("results");
                foreach (var (id, outcome, item, error) in results)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", id);
                    writer.WriteString("kind", kind.Name);
                    writer.WriteString("outcome", outcome);
                    if (item is not null)
                    {
                        writer.WriteString("status", LifecycleNames.ToName(item.Status));
                        writer.WriteString("verdict", item.Verdict is { } v ? LifecycleNames.ToName(v) : null);
                        writer.WriteNumber("version", item.Version);
                    }
                    writer.WriteString("error", error);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            });
            return exit;
        }
        foreach (var (id, outcome, item, _) in results)
        {
            if (item is not null && outcome == "updated")
            {
                var verdictText = item.Verdict is { } v ? $" ({LifecycleNames.ToName(v)})" : "";
                AnsiConsole.MarkupLineInterpolated($"{kind.Name} {id}: {LifecycleNames.ToName(item.Status)}{verdictText} by {analyst.Name}");
            }
        }
        return exit;
    }

    private static async Task<(string Outcome, WorkItem? Item, string? Error, int Code)> ApplyAsync(
        IStore store, Kind kind, Guid id, CaseStatus status, Verdict? verdict, Actor analyst, string? note, string action, CancellationToken cancellationToken)
    {
        var item = await kind.GetAsync(store, id, cancellationToken);
        if (item is null)
        {
            return ("not-found", null, $"no {kind.Name} with this id", NotFound);
        }
        if (item is Incident { MergedInto: { } target })
        {
            // Its alerts are in the target now: a verdict here would count for none of them and leave the target open.
            return ("refused", item, $"it was merged into incident {target}: act on that one", Refused);
        }
        var from = item.Status;
        var at = TimeProvider.System.GetUtcNow();
        try
        {
            item.MoveTo(status, analyst, at, verdict, note);
        }
        catch (InvalidTransitionException ex)
        {
            return ("refused", item, ex.Message, Refused);
        }
        switch (await kind.UpdateAsync(store, item, cancellationToken))
        {
            case UpdateResult.Conflict:
                return ("conflict", null, "someone else changed it since it was read; nothing was saved: look at it again and retry", Refused);
            case UpdateResult.NotFound:
                return ("not-found", null, $"no {kind.Name} with this id", NotFound);
        }
        await store.AppendAuditAsync(analyst.Name, $"{kind.Name}.{action}", $"{kind.Name}/{id}", AuditDetails(from, item.Status, verdict, note), at, cancellationToken);
        return ("updated", item, null, 0);
    }

    private static string AuditDetails(CaseStatus from, CaseStatus to, Verdict? verdict, string? note)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, DomainJson.WriterOptions(indented: false)))
        {
            writer.WriteStartObject();
            writer.WriteString("from", LifecycleNames.ToName(from));
            writer.WriteString("to", LifecycleNames.ToName(to));
            if (verdict is { } v)
            {
                writer.WriteString("verdict", LifecycleNames.ToName(v));
            }
            if (note is not null)
            {
                writer.WriteString("note", note);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
