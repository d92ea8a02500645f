using Spectre.Console;
using Vedette.Domain;

namespace Vedette.Cli.Output;

/// <summary>Terminal renderings of alerts and incidents. Every value from an event is escaped: log fields are attacker-controlled.</summary>
internal static class Tables
{
    public static Table Incidents(IEnumerable<Incident> incidents, int startRank = 1)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("#").AddColumn("score").AddColumn("severity").AddColumn("status").AddColumn("incident")
            .AddColumn("alerts").AddColumn("entities").AddColumn("first seen (UTC)").AddColumn("id");
        var rank = startRank;
        foreach (var incident in incidents)
        {
            table.AddRow(
                new Text(rank++.ToString()),
                new Text(incident.Score.ToString()),
                Severity(incident.Severity),
                new Text(Domain.LifecycleNames.ToName(incident.Status)),
                new Text(incident.Title),
                new Text(incident.AlertIds.Count.ToString()),
                new Text(Entities(incident.Entities, 3)),
                new Text(incident.FirstSeen.ToString("yyyy-MM-dd HH:mm:ss")),
                new Text(incident.Id.ToString()));
        }
        return table;
    }

    public static Table Alerts(IEnumerable<Alert> alerts)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("time (UTC)").AddColumn("score").AddColumn("severity").AddColumn("status").AddColumn("alert")
            .AddColumn("events").AddColumn("observables").AddColumn("id");
        foreach (var alert in alerts)
        {
            table.AddRow(
                new Text(alert.FirstSeen.ToString("yyyy-MM-dd HH:mm:ss")),
                new Text(alert.Risk?.Total.ToString() ?? "-"),
                Severity(alert.Severity),
                new Text(Domain.LifecycleNames.ToName(alert.Status) + (alert.SuppressedBy is null ? "" : " (suppressed)")),
                new Text(alert.Title),
                new Text(alert.EventCount.ToString()),
                new Text(Entities(alert.Observables.Where(o => o.Type is not (ObservableType.Process or ObservableType.File)), 3)),
                new Text(alert.Id.ToString()));
        }
        return table;
    }

    public static Text Severity(Severity severity) => new(severity.ToName(), severity switch
    {
        Domain.Severity.Critical => new Style(Color.White, Color.Red),
        Domain.Severity.High => new Style(Color.Red),
        Domain.Severity.Medium => new Style(Color.Yellow),
        Domain.Severity.Low => new Style(Color.Blue),
        _ => Style.Plain,
    });

    public static string Entities(IEnumerable<Observable> entities, int max)
    {
        var list = entities.ToList();
        var shown = string.Join(", ", list.Take(max));
        return list.Count > max ? $"{shown} (+{list.Count - max})" : shown;
    }
}
