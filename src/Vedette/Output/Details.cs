using Spectre.Console;
using Vedette.Domain;

namespace Vedette.Cli.Output;

/// <summary>The detail views of `show` commands. Everything from events is printed as text, never as markup.</summary>
internal static class Details
{
    public static void Alert(Alert alert)
    {
        var grid = Header();
        Row(grid, "alert", alert.Title);
        Row(grid, "id", alert.Id.ToString());
        Row(grid, "rule", alert.RuleId);
        Row(grid, "severity", alert.Severity.ToName());
        Row(grid, "status", LifecycleNames.ToName(alert.Status) + (alert.Verdict is { } v ? $" ({LifecycleNames.ToName(v)})" : ""));
        Row(grid, "seen", $"{alert.FirstSeen:u} – {alert.LastSeen:u} ({alert.EventCount} events)");
        Row(grid, "incident", alert.IncidentId?.ToString() ?? "-");
        if (alert.SuppressedBy is { } suppression)
        {
            Row(grid, "suppressed by", $"{suppression} (stored and counted, in no incident; see `vedette suppress list --all`)");
        }
        Row(grid, "description", alert.Description ?? "");
        Row(grid, "tags", string.Join(", ", alert.Tags));
        Row(grid, "observables", string.Join(", ", alert.Observables));
        AnsiConsole.Write(grid);
        Score(alert.Risk);
        if (alert.IntelHits.Count > 0)
        {
            var hits = new Table().Title("threat intel").AddColumn("observable").AddColumn("indicator").AddColumn("feed").AddColumn("score").AddColumn("match");
            foreach (var hit in alert.IntelHits)
            {
                hits.AddRow(new Text(hit.Observable.ToString()), new Text(hit.Indicator), new Text(hit.Feed), new Text(hit.Score.ToString()), new Text(hit.Match));
            }
            AnsiConsole.Write(hits);
        }
        foreach (var evidence in alert.Evidence)
        {
            AnsiConsole.Write(new Panel(new Text(evidence.Json)).Header(Markup.Escape($"{evidence.Ref} at {evidence.Timestamp:u}")));
        }
    }

    public static void Incident(Incident incident, IReadOnlyList<Alert> alerts)
    {
        var grid = Header();
        Row(grid, "incident", incident.Title);
        Row(grid, "id", incident.Id.ToString());
        Row(grid, "score", incident.Score.ToString());
        Row(grid, "severity", incident.Severity.ToName());
        Row(grid, "status", LifecycleNames.ToName(incident.Status) + (incident.Verdict is { } v ? $" ({LifecycleNames.ToName(v)})" : ""));
        Row(grid, "seen", $"{incident.FirstSeen:u} – {incident.LastSeen:u}");
        Row(grid, "entities", string.Join(", ", incident.Entities));
        AnsiConsole.Write(grid);
        var grouping = new Table().Title("why these alerts are together").AddColumn("alert").AddColumn("reason");
        foreach (var reason in incident.Grouping)
        {
            grouping.AddRow(new Text(reason.AlertId.ToString()), new Text(reason.Explanation));
        }
        AnsiConsole.Write(grouping);
        AnsiConsole.Write(Tables.Alerts(alerts.OrderBy(a => a.FirstSeen)));
    }

    private static void Score(RiskScore? risk)
    {
        if (risk is null)
        {
            return;
        }
        var table = new Table().Title($"risk score {risk.Total}").AddColumn("factor").AddColumn("points").AddColumn("reason");
        foreach (var part in risk.Parts)
        {
            table.AddRow(new Text(part.Factor), new Text(part.Points.ToString()), new Text(part.Reason));
        }
        AnsiConsole.Write(table);
    }

    private static Grid Header() => new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();

    private static void Row(Grid grid, string name, string value) => grid.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(value));
}
