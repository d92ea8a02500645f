using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Domain;
using Vedette.Metrics;
using Vedette.Server.Api;
using Vedette.Server.Auth;
using Vedette.Storage;

namespace Vedette.Server.Console;

/// <summary>
/// GET /console/dashboard?range=24h|7d|30d: the SOC's KPIs over the alerts created in the range (MTTD, MTTA, MTTR,
/// false-positive rate) and charts of alert volume, open incidents by age, and the rules that raise the most alerts
/// and the most false positives. The store's light reads carry the figures; no alert document is parsed.
/// </summary>
internal static class DashboardPage
{
    /// <summary>The ranges offered, in the order of their links: hour bars for a day, day bars beyond.</summary>
    private static readonly (string Name, string Label, TimeSpan Bucket, int Buckets)[] Ranges =
    [
        ("24h", "24 hours", TimeSpan.FromHours(1), 24),
        ("7d", "7 days", TimeSpan.FromDays(1), 7),
        ("30d", "30 days", TimeSpan.FromDays(1), 30),
    ];

    private const string DefaultRange = "7d";

    private const int TopRules = 10;

    /// <summary>Most severe at the bottom of each stack, where the eye meets it first.</summary>
    private static readonly Severity[] StackOrder = [Severity.Critical, Severity.High, Severity.Medium, Severity.Low, Severity.Informational];

    public static void Map(IEndpointRouteBuilder routes) => routes.MapApi("GET", "/console/dashboard", ShowAsync);

    private static async Task<IResult> ShowAsync(HttpContext context, IStore store, TimeProvider time)
    {
        var asked = context.Request.Query["range"];
        var name = asked.Count == 0 ? DefaultRange : asked.Count == 1 ? asked[0] : null;
        var index = Array.FindIndex(Ranges, r => r.Name == name);
        if (index < 0)
        {
            return ConsolePages.Message(StatusCodes.Status400BadRequest, "Bad range", "The dashboard's range is one of 24h, 7d or 30d.");
        }
        var range = Ranges[index];
        var now = time.GetUtcNow();
        var window = KpiWindow.Ending(now, range.Bucket, range.Buckets);
        var timings = await store.ReadAlertTimingsAsync(window.From, window.To, context.RequestAborted);
        var open = await store.ReadOpenIncidentsAsync(context.RequestAborted);
        var kpis = AlertKpis.Compute(timings, window, TopRules);
        var ages = OpenIncidentAges.Of(open, now);
        var caller = Caller.From(context);
        var token = ConsoleSecurity.FormToken(context);
        return ConsolePages.Page(ConsolePages.Layout("Dashboard", caller, token, html =>
        {
            html.M("<h1>Dashboard</h1>");
            WriteRanges(html, range.Name);
            html.M("<p class=\"window\">Alerts created from ").T(ConsolePages.Time(window.From)).M(" to ").T(ConsolePages.Time(window.To))
                .M(" (the last ").T(range.Label).M(", UTC): <data id=\"alert-count\"").A("value", I(kpis.Alerts)).M(">").T(kpis.Alerts.ToString("N0", CultureInfo.InvariantCulture))
                .M("</data> alerts, suppressed ones left out.</p>");
            WriteTiles(html, kpis);
            html.M("<div class=\"charts\">");
            WriteVolume(html, kpis, range.Bucket, range.Label);
            WriteAges(html, ages);
            WriteRules(html, "top-volume", "Top rules by alerts", "Alerts", kpis.TopRulesByVolume, r => r.Alerts,
                new ChartSeriesStyle("Alerts", "bar-volume"), "No alerts in this range.");
            WriteRules(html, "top-false-positives", "Top rules by false positives", "Alerts closed as false positive", kpis.TopRulesByFalsePositives, r => r.FalsePositives,
                new ChartSeriesStyle("False positives", "bar-fp"), "No alert of this range was closed as a false positive.");
            html.M("</div>");
        }));
    }

    private static void WriteRanges(HtmlWriter html, string current)
    {
        html.M("<nav class=\"ranges\" aria-label=\"Time range\">");
        foreach (var range in Ranges)
        {
            html.M("<a").A("href", "/console/dashboard?range=" + range.Name);
            if (range.Name == current)
            {
                html.M(" aria-current=\"page\"");
            }
            html.M(">").T(range.Label).M("</a>");
        }
        html.M("</nav>");
    }

    private static void WriteTiles(HtmlWriter html, AlertKpis kpis)
    {
        html.M("<section class=\"kpis\" aria-label=\"Key figures\">");
        DurationTile(html, "mttd", "MTTD", "time to detect: first event → alert", kpis.TimeToDetect);
        DurationTile(html, "mtta", "MTTA", "time to acknowledge: alert → acknowledged", kpis.TimeToAcknowledge);
        DurationTile(html, "mttr", "MTTR", "time to resolve: alert → closed", kpis.TimeToResolve);
        html.M("<div class=\"tile\" id=\"kpi-fp\"><h2>False positives</h2><p class=\"what\">share of alerts closed with a verdict</p>");
        if (kpis.FalsePositiveRate is { } rate)
        {
            html.M("<p class=\"figure\"><data").A("value", rate.ToString("R", CultureInfo.InvariantCulture)).M(">")
                .T(rate.ToString("0.0 %", CultureInfo.InvariantCulture)).M("</data></p><p class=\"count\">")
                .M("<data class=\"fp\"").A("value", I(kpis.FalsePositives)).M(">").T(I(kpis.FalsePositives)).M("</data> of ")
                .M("<data class=\"closed\"").A("value", I(kpis.ClosedWithVerdict)).M(">").T(I(kpis.ClosedWithVerdict)).M("</data> closed</p>");
        }
        else
        {
            html.El("p", "No alert of this range is closed yet.", "empty");
        }
        html.M("</div></section>");
    }

    internal static void DurationTile(HtmlWriter html, string id, string name, string what, DurationStats stats, string counted = "alerts")
    {
        html.M("<div class=\"tile\"").A("id", "kpi-" + id).M("><h2>").T(name).M("</h2>").El("p", what, "what");
        if (stats.Count == 0)
        {
            html.El("p", "No data in this range.", "empty").M("</div>");
            return;
        }
        html.M("<dl>");
        Figure(html, "p50", "median (p50)", stats.P50);
        Figure(html, "p90", "p90", stats.P90);
        Figure(html, "mean", "mean", stats.Mean);
        html.M("<dt>").T(counted).M("</dt><dd><data class=\"count\"").A("value", I(stats.Count)).M(">").T(stats.Count.ToString("N0", CultureInfo.InvariantCulture)).M("</data></dd></dl></div>");
    }

    /// <summary>A duration for people, with its exact value in seconds for machines (and tests).</summary>
    private static void Figure(HtmlWriter html, string cssClass, string label, TimeSpan value) =>
        html.M("<dt>").T(label).M("</dt><dd><data").A("class", cssClass).A("value", Seconds(value)).M(">").T(Duration(value)).M("</data></dd>");

    private static void WriteVolume(HtmlWriter html, AlertKpis kpis, TimeSpan bucket, string rangeLabel)
    {
        var hourly = bucket < TimeSpan.FromDays(1);
        var categories = kpis.Volume.Select(b => b.Start.UtcDateTime.ToString(hourly ? "HH:mm" : "MMM d", CultureInfo.InvariantCulture)).ToList();
        var series = StackOrder.Select(s => new ChartSeries(Capitalised(s), "bar-" + s.ToName(), [.. kpis.Volume.Select(b => b.BySeverity[(int)s])])).ToList();
        var busiest = kpis.Volume.Count == 0 ? null : kpis.Volume.MaxBy(b => b.Total);
        var summary = $"{kpis.Alerts.ToString("N0", CultureInfo.InvariantCulture)} alerts over the last {rangeLabel}, per {(hourly ? "hour" : "day")} and severity"
            + (busiest is { Total: > 0 } ? $"; the busiest {(hourly ? "hour" : "day")} began {ConsolePages.Time(busiest.Start)} with {busiest.Total.ToString("N0", CultureInfo.InvariantCulture)}." : ".");
        SvgCharts.StackedBars(html, "chart-volume", "Alert volume by severity", summary, hourly ? "Hour (UTC)" : "Day (UTC)", "Alerts",
            categories, series, "No alerts in this range.", labelEvery: kpis.Volume.Count > 12 ? (hourly ? 3 : 5) : 1);
    }

    private static void WriteAges(HtmlWriter html, OpenIncidentAges ages)
    {
        var categories = OpenIncidentAges.Ages.Select(AgeLabel).ToList();
        var series = StackOrder.Select(s => new ChartSeries(Capitalised(s), "bar-" + s.ToName(), [.. OpenIncidentAges.Ages.Select(a => ages.Count(a, s))])).ToList();
        var summary = $"{ages.Total.ToString("N0", CultureInfo.InvariantCulture)} open incidents by time since they were created, and severity: "
            + string.Join(", ", OpenIncidentAges.Ages.Select(a => $"{AgeLabel(a)} {StackOrder.Sum(s => ages.Count(a, s))}")) + ".";
        SvgCharts.StackedBars(html, "chart-ages", "Open incidents by age and severity", summary, "Open for", "Incidents",
            categories, series, "No open incidents.");
    }

    private static void WriteRules(HtmlWriter html, string id, string title, string axis, IReadOnlyList<RuleFigures> rules, Func<RuleFigures, int> value,
        ChartSeriesStyle style, string emptyMessage)
    {
        var bars = rules.Select(r => (r.Title, value(r))).ToList();
        var summary = bars.Count == 0 ? emptyMessage
            : $"{bars.Count} rules, most first: " + string.Join("; ", bars.Select(b => $"{b.Title} {b.Item2}")) + ".";
        SvgCharts.HorizontalBars(html, "chart-" + id, title, summary, axis, bars, style, emptyMessage);
    }

    internal static string AgeLabel(IncidentAge age) => age switch
    {
        IncidentAge.UnderOneHour => "< 1 h",
        IncidentAge.OneToFourHours => "1–4 h",
        IncidentAge.FourHoursToOneDay => "4–24 h",
        IncidentAge.OneToSevenDays => "1–7 d",
        IncidentAge.OverSevenDays => "> 7 d",
        _ => throw new ArgumentOutOfRangeException(nameof(age), age, null),
    };

    internal static string Capitalised(Severity severity)
    {
        var name = severity.ToName();
        return string.Concat(name[..1].ToUpperInvariant(), name.AsSpan(1));
    }

    /// <summary>Two units at most, largest first ("3 h 05 m"), to the second; under a second in tenths.</summary>
    internal static string Duration(TimeSpan value)
    {
        if (value < TimeSpan.FromSeconds(1))
        {
            return value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
        }
        var seconds = (long)value.TotalSeconds;
        var (d, h, m, s) = (seconds / 86400, seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
        return d > 0 ? F($"{d} d {h} h")
            : h > 0 ? F($"{h} h {m:00} m")
            : m > 0 ? F($"{m} m {s:00} s")
            : F($"{s} s");
    }

    /// <summary>Exact: every tick, so that a figure read from the page equals the one computed.</summary>
    internal static string Seconds(TimeSpan value) => ((decimal)value.Ticks / TimeSpan.TicksPerSecond).ToString("0.#######", CultureInfo.InvariantCulture);

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
