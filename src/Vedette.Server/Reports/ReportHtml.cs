using System.Globalization;
using System.Reflection;
using Vedette.Detection.Attack;
using Vedette.Domain;
using Vedette.Metrics;
using Vedette.Server.Console;
using Vedette.Triage;

namespace Vedette.Server.Reports;

/// <summary>
/// `vedette report --format html`: one self-contained page (the console's style sheet inlined, no script, no external
/// asset) with the KPI tiles, SVG charts drawn as the dashboard draws them, the ATT&amp;CK coverage of the rules that
/// fired, and the tables behind the figures; readable offline and printable. Every value from the store is encoded.
/// </summary>
public static class ReportHtml
{
    private const int TopRules = 10;

    /// <summary>Most severe at the bottom of each stack, as on the dashboard.</summary>
    private static readonly Severity[] StackOrder = [Severity.Critical, Severity.High, Severity.Medium, Severity.Low, Severity.Informational];

    /// <summary>The fourteen enterprise tactics, for the matrix's columns, whether or not anything fired under them.</summary>
    private static readonly string[] MatrixTactics = [.. Enumerable.Range(1, 14).Select(Tactics.Name)];

    private const string ReportStyle = """
        main { max-width: 1200px; margin: 0 auto; }
        p.window, p.note { color: var(--muted); margin: 0 0 1rem; }
        .kpis { grid-template-columns: repeat(4, minmax(0, 1fr)); }
        svg.chart g.line polyline { fill: none; stroke-width: 2; }
        .line-mttd { stroke: #0550ae; fill: #0550ae; }
        .line-mttr { stroke: #bc4c00; fill: #bc4c00; }
        svg.chart rect.swatch.line-mttd, svg.chart rect.swatch.line-mttr { stroke: none; }
        .bar-source { fill: #1a7f37; }
        .bar-tactic { fill: #6639ba; }
        table.attack { table-layout: fixed; font-size: .75rem; }
        table.attack th { font-size: .7rem; text-transform: capitalize; overflow-wrap: break-word; hyphens: auto; }
        table.attack td { padding: .2rem; }
        table.attack ul { list-style: none; margin: 0; padding: 0; }
        table.attack li { margin: 0 0 .2rem; padding: .15rem .25rem; background: #ddf4ff; border-left: 3px solid #0550ae; overflow-wrap: break-word; }
        table.attack li strong { white-space: nowrap; font-size: .68rem; }
        table.attack li.hot { background: #ffebe9; border-left-color: #cf222e; }
        table.attack th.covered { background: #ddf4ff; }
        section { break-inside: avoid-page; }
        @page { size: A4 landscape; margin: 12mm; }
        @media print {
          body { font-size: 11px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          main { max-width: none; padding: 0; }
          .charts { grid-template-columns: repeat(2, minmax(0, 1fr)); }
          figure.chart, table, .kpis .tile { break-inside: avoid; }
          h2 { break-after: avoid; }
        }
        """;

    /// <summary>
    /// The report as one HTML document. With an ATT&amp;CK <paramref name="catalog"/> the matrix places each technique
    /// under its catalog tactics and names it; without one, under the tactics its rules are tagged with.
    /// </summary>
    public static string Render(SocReport report, AttackCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new HtmlWriter();
        var range = $"{Time(report.From)} to {Time(report.To)}";
        html.M("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .M("<title>").T("Vedette SOC report, " + range).M("</title><style>").M(StyleSheet.Value).M(ReportStyle).M("</style></head><body><main>")
            .M("<h1>SOC report</h1><p class=\"window\">Alerts and incidents created from ").T(Time(report.From)).M(" to ").T(Time(report.To))
            .M(" (UTC), suppressed alerts and merged incidents left out; open incidents as of ").T(Time(report.GeneratedAt)).M(".</p>");
        WriteTiles(html, report);
        html.M("<section aria-label=\"Charts\"><h2>Over time</h2><div class=\"charts\">");
        WriteVolume(html, report);
        WriteTrend(html, report);
        html.M("</div><h2>Rules and sources</h2><div class=\"charts\">");
        var byVolume = report.Rules.Take(TopRules).Select(r => (r.Title, r.Alerts)).ToList();
        Bars(html, "top-volume", "Top rules by alerts", "Alerts", byVolume, new ChartSeriesStyle("Alerts", "bar-volume"), "No alerts in this range.");
        var byFalsePositives = report.Rules.Where(r => r.FalsePositives > 0)
            .OrderByDescending(r => r.FalsePositives).ThenBy(r => r.RuleId, StringComparer.Ordinal).Take(TopRules).Select(r => (r.Title, r.FalsePositives)).ToList();
        Bars(html, "top-false-positives", "Top rules by false positives", "Alerts closed as false positive", byFalsePositives,
            new ChartSeriesStyle("False positives", "bar-fp"), "No alert of this range was closed as a false positive.");
        Bars(html, "by-source", "Alerts by source", "Alerts", [.. report.BySource.Select(s => (s.Name, s.Count))],
            new ChartSeriesStyle("Alerts", "bar-source"), "No alerts in this range.");
        Bars(html, "by-tactic", "Alerts by ATT&CK tactic", "Alerts (one alert counts under each of its tactics)", [.. report.ByTactic.Select(t => (t.Name, t.Count))],
            new ChartSeriesStyle("Alerts", "bar-tactic"), "No alert of this range carries an ATT&CK tactic tag.");
        html.M("</div></section>");
        WriteMatrix(html, report, catalog);
        WriteRules(html, report);
        WriteSla(html, report);
        WriteBacklog(html, report);
        html.M("<p class=\"note\">Percentiles are nearest-rank: the p-th percentile is the value of rank ⌈p/100 · n⌉ in ascending order. Generated by Vedette at ")
            .T(Time(report.GeneratedAt)).M(".</p></main></body></html>");
        return html.ToString();
    }

    private static void WriteTiles(HtmlWriter html, SocReport report)
    {
        var alerts = report.Alerts;
        html.M("<section class=\"kpis\" aria-label=\"Key figures\">");
        DashboardPage.DurationTile(html, "mttd", "MTTD", "time to detect: first event → alert", alerts.TimeToDetect);
        DashboardPage.DurationTile(html, "mtta", "MTTA", "time to acknowledge: alert → acknowledged", alerts.TimeToAcknowledge);
        DashboardPage.DurationTile(html, "mttr", "MTTR", "time to resolve: alert → closed", alerts.TimeToResolve);
        html.M("<div class=\"tile\" id=\"kpi-fp\"><h2>Verdicts</h2><p class=\"what\">alerts closed with a verdict</p><dl>");
        Rate(html, "false positives", "fp-rate", alerts.FalsePositiveRate);
        Rate(html, "precision", "precision", report.Precision);
        html.M("<dt>closed</dt><dd>").T(N(alerts.ClosedWithVerdict)).M(" of ").T(N(alerts.Alerts)).M("</dd></dl></div>");
        DashboardPage.DurationTile(html, "incident-mtta", "Incident MTTA", "incident created → acknowledged", report.Incidents.TimeToAcknowledge, "incidents");
        DashboardPage.DurationTile(html, "incident-mttr", "Incident MTTR", "incident created → closed", report.Incidents.TimeToResolve, "incidents");
        var sla = report.Incidents.Sla;
        html.M("<div class=\"tile\" id=\"kpi-sla\"><h2>SLA</h2><p class=\"what\">incidents answered by their due time</p><dl>");
        Rate(html, "compliance", "compliance", sla.Compliance);
        html.M("<dt>met</dt><dd>").T(N(sla.Met)).M("</dd><dt>breached</dt><dd>").T(N(sla.Breached)).M("</dd><dt>pending</dt><dd>").T(N(sla.Pending)).M("</dd></dl></div>");
        var backlog = report.Backlog;
        html.M("<div class=\"tile\" id=\"kpi-backlog\"><h2>Backlog</h2><p class=\"what\">open incidents now</p><dl><dt>open</dt><dd>").T(N(backlog.Open))
            .M("</dd><dt>overdue</dt><dd>").T(N(backlog.Overdue)).M("</dd><dt>median age</dt><dd>").T(backlog.Open == 0 ? "–" : DashboardPage.Duration(backlog.Age.P50))
            .M("</dd></dl></div></section>");
    }

    private static void Rate(HtmlWriter html, string label, string cssClass, double? rate) =>
        html.M("<dt>").T(label).M("</dt><dd><data").A("class", cssClass).A("value", rate?.ToString("R", CultureInfo.InvariantCulture) ?? "")
            .M(">").T(rate?.ToString("0.0 %", CultureInfo.InvariantCulture) ?? "–").M("</data></dd>");

    private static void WriteVolume(HtmlWriter html, SocReport report)
    {
        var volume = report.Alerts.Volume;
        var (unit, categories) = Categories(report);
        var series = StackOrder.Select(s => new ChartSeries(Capitalised(s), "bar-" + s.ToName(), [.. volume.Select(b => b.BySeverity[(int)s])])).ToList();
        var summary = $"{N(report.Alerts.Alerts)} alerts per {unit} and severity.";
        SvgCharts.StackedBars(html, "chart-volume", "Alert volume by severity", summary, $"{Capitalised(unit)} (UTC)", "Alerts",
            categories, series, "No alerts in this range.", LabelEvery(categories.Count));
    }

    private static void WriteTrend(HtmlWriter html, SocReport report)
    {
        var (unit, categories) = Categories(report);
        var longest = report.Trend.Select(b => Math.Max(b.TimeToDetect.Mean.TotalSeconds, b.TimeToResolve.Mean.TotalSeconds)).DefaultIfEmpty(0).Max();
        var (scaleName, seconds) = longest >= 2 * 86400 ? ("days", 86400.0) : longest >= 2 * 3600 ? ("hours", 3600.0) : longest >= 120 ? ("minutes", 60.0) : ("seconds", 1.0);
        double? Mean(DurationStats stats) => stats.Count == 0 ? null : stats.Mean.TotalSeconds / seconds;
        string Format(double value) => DashboardPage.Duration(TimeSpan.FromSeconds(value * seconds));
        var series = new List<LineSeries>
        {
            new("Mean time to detect", "line-mttd", [.. report.Trend.Select(b => Mean(b.TimeToDetect))], Format),
            new("Mean time to resolve", "line-mttr", [.. report.Trend.Select(b => Mean(b.TimeToResolve))], Format),
        };
        var summary = $"Mean MTTD and MTTR of the alerts created in each {unit}: overall MTTD {DashboardPage.Duration(report.Alerts.TimeToDetect.Mean)}, MTTR "
            + (report.Alerts.TimeToResolve.Count == 0 ? "not measured (no alert closed)." : DashboardPage.Duration(report.Alerts.TimeToResolve.Mean) + ".");
        SvgCharts.Lines(html, "chart-trend", "MTTD and MTTR trend", summary, $"{Capitalised(unit)} (UTC)", Capitalised(scaleName),
            categories, series, "No alerts in this range.", LabelEvery(categories.Count));
    }

    private static void Bars(HtmlWriter html, string id, string title, string axis, IReadOnlyList<(string Label, int Value)> bars, ChartSeriesStyle style, string emptyMessage)
    {
        var summary = bars.Count == 0 ? emptyMessage : $"{bars.Count} bars, most first: " + string.Join("; ", bars.Select(b => $"{b.Label} {N(b.Value)}")) + ".";
        SvgCharts.HorizontalBars(html, "chart-" + id, title, summary, axis, bars, style, emptyMessage);
    }

    /// <summary>
    /// Tactics as columns, the techniques that fired in each: with a catalog under the catalog's tactics, else under
    /// the tactics tagged beside them; a technique tagged with no tactic goes to a last column of its own.
    /// </summary>
    private static void WriteMatrix(HtmlWriter html, SocReport report, AttackCatalog? catalog)
    {
        html.M("<section id=\"attack-matrix\" aria-labelledby=\"attack-title\"><h2 id=\"attack-title\">ATT&amp;CK coverage of the rules that fired</h2>");
        if (report.Techniques.Count == 0)
        {
            html.El("p", "No alert of this range carries an ATT&CK technique tag.", "empty").M("</section>");
            return;
        }
        var cells = MatrixTactics.ToDictionary(t => t, _ => new List<(TechniqueFigures Figures, string? Name)>(), StringComparer.Ordinal);
        var unplaced = new List<(TechniqueFigures, string?)>();
        foreach (var technique in report.Techniques)
        {
            string? name = null;
            IEnumerable<string> tactics = technique.Tactics;
            if (catalog is not null && catalog.TryGetTechnique(technique.Id, out var known))
            {
                name = known.Name;
                tactics = known.Tactics.Select(t => t.ToLowerInvariant().Replace(' ', '-'));
            }
            var placed = false;
            foreach (var tactic in tactics)
            {
                if (cells.TryGetValue(tactic, out var cell))
                {
                    cell.Add((technique, name));
                    placed = true;
                }
            }
            if (!placed)
            {
                unplaced.Add((technique, name));
            }
        }
        var hot = report.Techniques.Max(t => t.Alerts) / 2;
        html.M("<p class=\"note\">").T($"{N(report.Techniques.Count)} techniques in {N(MatrixTactics.Count(t => cells[t].Count > 0))} of 14 tactics; "
            + "each lists its alerts and rules; the busiest are marked.").M("</p><table class=\"attack\"><thead><tr>");
        foreach (var tactic in MatrixTactics)
        {
            html.M("<th scope=\"col\"").A("class", cells[tactic].Count > 0 ? "covered" : null).M(">").T(tactic.Replace('-', ' ')).M("</th>");
        }
        if (unplaced.Count > 0)
        {
            html.M("<th scope=\"col\">no tactic</th>");
        }
        html.M("</tr></thead><tbody><tr>");
        foreach (var tactic in MatrixTactics)
        {
            Cell(html, cells[tactic], hot);
        }
        if (unplaced.Count > 0)
        {
            Cell(html, unplaced, hot);
        }
        html.M("</tr></tbody></table></section>");
    }

    private static void Cell(HtmlWriter html, List<(TechniqueFigures Figures, string? Name)> techniques, int hot)
    {
        html.M("<td><ul>");
        foreach (var (figures, name) in techniques)
        {
            html.M("<li").A("class", figures.Alerts > hot ? "technique hot" : "technique").A("data-technique", figures.Id)
                .A("title", $"{figures.Id}{(name is null ? "" : " " + name)}: {N(figures.Alerts)} alerts from {string.Join(", ", figures.RuleIds)}")
                .M("><strong>").T(figures.Id).M("</strong>");
            if (name is not null)
            {
                html.M(" ").T(name);
            }
            html.M("<br>").T($"{N(figures.Alerts)} alerts, {N(figures.RuleIds.Count)} rule{(figures.RuleIds.Count == 1 ? "" : "s")}").M("</li>");
        }
        html.M("</ul></td>");
    }

    private static void WriteRules(HtmlWriter html, SocReport report)
    {
        html.M("<section id=\"rules\"><h2>Rules</h2>");
        if (report.Rules.Count == 0)
        {
            html.El("p", "No alerts in this range.", "empty").M("</section>");
            return;
        }
        html.M("<table><thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Alerts</th><th scope=\"col\">True positives</th><th scope=\"col\">Benign positives</th>")
            .M("<th scope=\"col\">False positives</th><th scope=\"col\">Precision</th></tr></thead><tbody>");
        foreach (var rule in report.Rules)
        {
            html.M("<tr><td>").T(rule.Title).M("<br><small>").T(rule.RuleId).M("</small></td>");
            html.El("td", N(rule.Alerts), "num").El("td", N(rule.TruePositives), "num").El("td", N(rule.BenignPositives), "num").El("td", N(rule.FalsePositives), "num")
                .El("td", rule.Precision?.ToString("0.0 %", CultureInfo.InvariantCulture) ?? "–", "num").M("</tr>");
        }
        html.M("</tbody></table></section>");
    }

    private static void WriteSla(HtmlWriter html, SocReport report)
    {
        html.M("<section id=\"sla\"><h2>SLA by severity</h2><p class=\"note\">An incident meets its SLA when it is first acknowledged (or closed) at or before its due time; ")
            .M("it is breached when that came later or has not come by its due time; pending until then. Compliance is met over met and breached.</p>")
            .M("<table><thead><tr><th scope=\"col\">Severity</th><th scope=\"col\">Incidents</th><th scope=\"col\">Met</th><th scope=\"col\">Breached</th>")
            .M("<th scope=\"col\">Pending</th><th scope=\"col\">Compliance</th></tr></thead><tbody>");
        foreach (var severity in StackOrder)
        {
            var sla = report.Incidents.SlaBySeverity[(int)severity];
            html.M("<tr>").El("td", Capitalised(severity), "sev sev-" + severity.ToName()).El("td", N(sla.Incidents), "num").El("td", N(sla.Met), "num")
                .El("td", N(sla.Breached), "num").El("td", N(sla.Pending), "num")
                .El("td", sla.Compliance?.ToString("0.0 %", CultureInfo.InvariantCulture) ?? "–", "num").M("</tr>");
        }
        html.M("</tbody></table></section>");
    }

    private static void WriteBacklog(HtmlWriter html, SocReport report)
    {
        var backlog = report.Backlog;
        html.M("<section id=\"backlog\"><h2>Open incidents by age</h2>");
        var categories = OpenIncidentAges.Ages.Select(AgeLabel).ToList();
        var series = StackOrder.Select(s => new ChartSeries(Capitalised(s), "bar-" + s.ToName(), [.. OpenIncidentAges.Ages.Select(a => backlog.Ages.Count(a, s))])).ToList();
        var summary = $"{N(backlog.Open)} open incidents, {N(backlog.Overdue)} past their due time; by time since they were created: "
            + string.Join(", ", OpenIncidentAges.Ages.Select(a => $"{AgeLabel(a)} {StackOrder.Sum(s => backlog.Ages.Count(a, s))}")) + ".";
        SvgCharts.StackedBars(html, "chart-ages", "Open incidents by age and severity", summary, "Open for", "Incidents", categories, series, "No open incidents.");
        html.M("</section>");
    }

    private static (string Unit, List<string> Categories) Categories(SocReport report)
    {
        var bucket = report.Alerts.Window.Bucket;
        var (unit, format) = bucket < TimeSpan.FromDays(1) ? ("hour", "HH:mm") : bucket == TimeSpan.FromDays(1) ? ("day", "MMM d") : ("week", "yyyy-MM-dd");
        if (bucket > TimeSpan.FromDays(7))
        {
            unit = "4 weeks";
        }
        return (unit, [.. report.Alerts.Volume.Select(b => b.Start.UtcDateTime.ToString(format, CultureInfo.InvariantCulture))]);
    }

    /// <summary>At most eight labels under a chart: more overlap at its width.</summary>
    private static int LabelEvery(int categories) => Math.Max(1, (categories + 7) / 8);

    private static string AgeLabel(IncidentAge age) => DashboardPage.AgeLabel(age);

    private static string Capitalised(Severity severity) => DashboardPage.Capitalised(severity);

    private static string Capitalised(string text) => string.Concat(text[..1].ToUpperInvariant(), text.AsSpan(1));

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The console's own style sheet, compiled into this assembly: the report looks like the dashboard.</summary>
    private static readonly Lazy<string> StyleSheet = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Vedette.Server.Console.Assets.console.css")
            ?? throw new InvalidOperationException("the console style sheet is not compiled into Vedette.Server");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
