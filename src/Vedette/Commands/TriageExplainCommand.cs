using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Domain;
using Vedette.Storage;

namespace Vedette.Cli.Commands;

/// <summary>
/// vedette triage explain ID: for an alert, its score part by part and why it joined its incident; for an incident,
/// its place in the queue and what puts it there (score, then SLA due time), its score part by part, and why each of
/// its alerts is in it.
/// </summary>
internal sealed class TriageExplainCommand : AsyncCommand<ShowSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ShowSettings settings, CancellationToken cancellationToken)
    {
        await using var store = await StoreAccess.OpenExistingAsync(settings, cancellationToken);
        if (await store.GetIncidentAsync(settings.Id, cancellationToken) is { } incident)
        {
            await ExplainIncidentAsync(store, settings, incident, cancellationToken);
            return 0;
        }
        if (await store.GetAlertAsync(settings.Id, cancellationToken) is { } alert)
        {
            var home = alert.IncidentId is { } id ? await store.GetIncidentAsync(id, cancellationToken) : null;
            ExplainAlert(settings, alert, home);
            return 0;
        }
        await Console.Error.WriteLineAsync($"vedette: no alert or incident {settings.Id}");
        return 3;
    }

    private static void ExplainAlert(ShowSettings settings, Alert alert, Incident? incident)
    {
        // The latest reason counts: an alert split off and merged back has an older one from before it left.
        var reason = incident?.Grouping.LastOrDefault(g => g.AlertId == alert.Id);
        if (settings.Format == OutputFormat.Json)
        {
            StoreAccess.WriteJson(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("kind", "alert");
                writer.WriteString("id", alert.Id);
                writer.WriteString("title", alert.Title);
                writer.WriteString("ruleId", alert.RuleId);
                WriteRisk(writer, alert.Risk);
                writer.WriteString("incidentId", alert.IncidentId?.ToString());
                writer.WriteString("via", reason?.Via?.ToString());
                writer.WriteString("grouping", reason?.Explanation);
                writer.WriteEndObject();
            });
            return;
        }
        AnsiConsole.MarkupLineInterpolated($"[bold]{alert.Title}[/] ({alert.RuleId}), {alert.Severity.ToName()}, {alert.EventCount} event(s)");
        PrintRisk(alert.Risk);
        var where = incident is null
            ? $"In no incident{(alert.IncidentId is null ? " (suppressed or not triaged)" : "")}."
            : $"In incident {incident.Id} ({incident.Title}): {reason?.Explanation ?? "no grouping reason recorded"}.";
        AnsiConsole.WriteLine(where);
    }

    private static async Task ExplainIncidentAsync(IStore store, ShowSettings settings, Incident incident, CancellationToken cancellationToken)
    {
        var (position, open, above) = await PositionAsync(store, incident, cancellationToken);
        var (members, regrouped) = Members(incident, await store.AlertsOfAsync(incident, cancellationToken));
        var why = position is null
            ? incident.MergedInto is { } target ? $"merged into {target}" : $"not in the queue ({LifecycleNames.ToName(incident.Status)})"
            : $"#{position} of {open}: score {incident.Score}{(above is null ? "" : $"; after {above.Id} ({Order(above, incident)})")}; due {incident.DueAt.ToString("u", CultureInfo.InvariantCulture)} ({incident.Severity.ToName()} SLA)";
        if (settings.Format == OutputFormat.Json)
        {
            StoreAccess.WriteJson(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("kind", "incident");
                writer.WriteString("id", incident.Id);
                writer.WriteString("title", incident.Title);
                if (position is { } p)
                {
                    writer.WriteNumber("position", p);
                }
                else
                {
                    writer.WriteNull("position");
                }
                writer.WriteNumber("open", open);
                writer.WriteString("queue", why);
                writer.WriteNumber("score", incident.Score);
                writer.WriteString("severity", incident.Severity.ToName());
                writer.WriteString("dueAt", incident.DueAt);
                WriteRisk(writer, incident.Risk);
                writer.WriteStartArray("alerts");
                foreach (var (alert, reason) in members)
                {
                    writer.WriteStartObject();
                    writer.WriteString("alertId", alert.Id);
                    writer.WriteString("title", alert.Title);
                    writer.WriteNumber("score", alert.Risk?.Total ?? 0);
                    writer.WriteString("via", reason?.Via?.ToString());
                    writer.WriteString("reason", reason?.Explanation);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteStartArray("regrouped");
                foreach (var change in regrouped)
                {
                    writer.WriteStringValue(change);
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            });
            return;
        }
        AnsiConsole.MarkupLineInterpolated($"[bold]{incident.Title}[/] — {incident.Severity.ToName()}, score {incident.Score}");
        AnsiConsole.MarkupLineInterpolated($"queue: {why}");
        PrintRisk(incident.Risk);
        if (members.Count == 0)
        {
            AnsiConsole.WriteLine("It holds no alerts now.");
        }
        else
        {
            var table = new Table().Title("why each alert is in it").AddColumns("alert", "score", "reason");
            foreach (var (alert, reason) in members)
            {
                table.AddRow(
                    new Text($"{alert.Title} ({alert.Id})"),
                    new Text(alert.Risk?.Total.ToString(CultureInfo.InvariantCulture) ?? ""),
                    new Text(reason?.Explanation ?? "no grouping reason recorded"));
            }
            AnsiConsole.Write(table);
        }
        foreach (var change in regrouped)
        {
            AnsiConsole.WriteLine($"regrouped: {change}");
        }
    }

    /// <summary>
    /// The alerts the incident holds now, each with its latest grouping reason, in the order they joined; and the
    /// analysts' merges and splits that changed it. Reasons of alerts that moved out stay in the incident's record,
    /// but they no longer say why anything is in it.
    /// </summary>
    private static (List<(Alert Alert, GroupingReason? Reason)> Members, List<string> Regrouped) Members(Incident incident, IReadOnlyList<Alert> alerts)
    {
        var latest = new Dictionary<Guid, int>();
        var regrouped = new List<string>();
        for (var i = 0; i < incident.Grouping.Count; i++)
        {
            if (incident.Grouping[i].AlertId == Guid.Empty)
            {
                regrouped.Add(incident.Grouping[i].Explanation);
            }
            else
            {
                latest[incident.Grouping[i].AlertId] = i;
            }
        }
        var members = alerts
            .Select(a => (Alert: a, At: latest.TryGetValue(a.Id, out var at) ? at : int.MaxValue))
            .OrderBy(m => m.At)
            .Select(m => (m.Alert, m.At == int.MaxValue ? null : incident.Grouping[m.At]))
            .ToList();
        return (members, regrouped);
    }

    /// <summary>The incident's 1-based place among open incidents in queue order, how many are open, and the one just above it.</summary>
    private static async Task<(int? Position, int Open, Incident? Above)> PositionAsync(IStore store, Incident incident, CancellationToken cancellationToken)
    {
        int? position = null;
        var open = 0;
        Incident? previous = null, above = null;
        string? after = null;
        do
        {
            var page = await store.ListIncidentsAsync(new IncidentQuery { Limit = 1000, After = after }, cancellationToken);
            foreach (var item in page.Items)
            {
                if (item.Status == CaseStatus.Closed)
                {
                    continue;
                }
                open++;
                if (item.Id == incident.Id)
                {
                    position = open;
                    above = previous;
                }
                previous = item;
            }
            after = page.Next;
        }
        while (after is not null);
        return (position, open, above);
    }

    private static string Order(Incident above, Incident incident) =>
        above.Score > incident.Score ? $"score {above.Score}"
        : above.DueAt < incident.DueAt ? $"same score, due earlier at {above.DueAt.ToString("u", CultureInfo.InvariantCulture)}"
        : "same score and due time, opened earlier";

    private static void PrintRisk(RiskScore? risk)
    {
        if (risk is null)
        {
            AnsiConsole.MarkupLine("[grey]no score recorded[/]");
            return;
        }
        var table = new Table().Title($"score {risk.Total}").AddColumns("factor", "points", "reason");
        foreach (var part in risk.Parts)
        {
            table.AddRow(new Text(part.Factor), new Text(part.Points.ToString(CultureInfo.InvariantCulture)), new Text(part.Reason));
        }
        AnsiConsole.Write(table);
    }

    private static void WriteRisk(Utf8JsonWriter writer, RiskScore? risk)
    {
        writer.WriteStartObject("risk");
        writer.WriteNumber("total", risk?.Total ?? 0);
        writer.WriteStartArray("parts");
        foreach (var part in risk?.Parts ?? [])
        {
            writer.WriteStartObject();
            writer.WriteString("factor", part.Factor);
            writer.WriteNumber("points", part.Points);
            writer.WriteString("reason", part.Reason);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
