using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Vedette.Domain;
using Vedette.Identity;
using Vedette.Storage;

namespace Vedette.Server.Tests.Console;

/// <summary>A server of its own holding a few external alerts, some acknowledged and closed through the API.</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>A rule title with markup: alert titles are data from other tools.</summary>
    public const string MarkupTitle = "Beacon <img src=x onerror=alert(1)> & \"c2\"";

    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var alerts = new List<Dictionary<string, object>>();
        void Add(string rule, string title, string severity, int minutesAgo, string host) => alerts.Add(new Dictionary<string, object>
        {
            ["title"] = title,
            ["severity"] = severity,
            ["ruleId"] = rule,
            ["producer"] = "edr",
            ["@timestamp"] = now.AddMinutes(-minutesAgo).ToString("O", CultureInfo.InvariantCulture),
            ["observables"] = new[] { new { type = "host", value = host } },
        });
        Add("edr-beacon", MarkupTitle, "critical", 3, "wks-dash-1");
        Add("edr-beacon", MarkupTitle, "high", 7, "wks-dash-6");
        Add("edr-beacon", MarkupTitle, "high", 1, "wks-dash-2");
        Add("edr-brute", "Brute force", "medium", 12, "wks-dash-3");
        Add("edr-brute", "Brute force", "medium", 30, "wks-dash-4");
        Add("edr-scan", "Port scan", "low", 45, "wks-dash-5");
        var (response, body) = await Json.PostAsync(Server.Client(Role.Analyst), "/api/v1/alerts", alerts);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToString());

        var stored = await Server.Store.AllAlertsAsync(new AlertQuery(), CancellationToken.None);
        Assert.Equal(6, stored.Count);
        var analyst = Server.Client(Role.Analyst);
        var beacons = stored.Where(a => a.RuleId == "edr-beacon").OrderBy(a => a.Id).ToList();
        var brutes = stored.Where(a => a.RuleId == "edr-brute").OrderBy(a => a.Id).ToList();
        // Alerts acted on themselves: acknowledged, then closed as false positive or true positive.
        await OkAsync(analyst, $"/api/v1/alerts/{beacons[0].Id}/acknowledge", new { note = "looking" });
        await OkAsync(analyst, $"/api/v1/alerts/{beacons[0].Id}/status", new { status = "closed", verdict = "false-positive" });
        await OkAsync(analyst, $"/api/v1/alerts/{brutes[0].Id}/acknowledge", new { note = "looking" });
        await OkAsync(analyst, $"/api/v1/alerts/{brutes[0].Id}/status", new { status = "closed", verdict = "true-positive" });
        // An incident acted on: its alerts count as handled through it.
        var incident = beacons[1].IncidentId ?? throw new InvalidOperationException("the alert joined no incident");
        await OkAsync(analyst, $"/api/v1/incidents/{incident}/acknowledge", new { note = "on it" });
        await OkAsync(analyst, $"/api/v1/incidents/{incident}/status", new { status = "closed", verdict = "false-positive" });
    }

    private static async Task OkAsync(HttpClient client, string path, object body)
    {
        var (response, answer) = await Json.PostAsync(client, path, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {answer}");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The dashboard's figures against the same figures worked out here, independently, from the store's whole alerts and incidents.</summary>
public sealed partial class DashboardPageTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task The_time_to_detect_acknowledge_and_resolve_are_those_of_the_stored_alerts()
    {
        var html = await PageAsync("/console/dashboard?range=24h");
        var expected = await ExpectedAsync();

        Assert.Equal(expected.Count.ToString(CultureInfo.InvariantCulture), Value(html, "<data id=\"alert-count\""));
        AssertTile(html, "mttd", expected.Detect);
        AssertTile(html, "mtta", expected.Acknowledge);
        AssertTile(html, "mttr", expected.Resolve);
        // Acknowledged: the beacon and the brute force alert on their own, and the incident's alerts; closed: the same.
        Assert.True(expected.Acknowledge.Count >= 3, $"only {expected.Acknowledge.Count} acknowledged alerts");
    }

    [Fact]
    public async Task The_false_positive_rate_is_that_of_the_stored_verdicts()
    {
        var html = await PageAsync("/console/dashboard");
        var expected = await ExpectedAsync();

        var tile = Tile(html, "fp");
        Assert.Equal(expected.FalsePositives, int.Parse(Value(tile, "<data class=\"fp\""), CultureInfo.InvariantCulture));
        Assert.Equal(expected.Closed, int.Parse(Value(tile, "<data class=\"closed\""), CultureInfo.InvariantCulture));
        Assert.Equal((double)expected.FalsePositives / expected.Closed, double.Parse(Value(tile, "<data"), CultureInfo.InvariantCulture));
        Assert.True(expected.FalsePositives >= 2 && expected.Closed > expected.FalsePositives, $"{expected.FalsePositives} of {expected.Closed}");
    }

    [Fact]
    public async Task The_charts_draw_every_alert_and_rank_the_rules_with_their_titles_encoded()
    {
        var html = await PageAsync("/console/dashboard?range=7d");
        var expected = await ExpectedAsync();

        // Each stacked bar's tooltip ends with its figure: they add up to the alerts.
        var volume = Chart(html, "chart-volume");
        Assert.Equal(expected.Count, BarFigures().Matches(volume).Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
        Assert.Contains("role=\"img\"", volume, StringComparison.Ordinal);
        Assert.Contains("<g class=\"legend\">", volume, StringComparison.Ordinal);

        var ranking = Chart(html, "chart-top-volume");
        var labels = Labels().Matches(ranking).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(expected.RulesByVolume, labels);
        var encoded = System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All).Encode(DashboardFixture.MarkupTitle);
        Assert.Contains(encoded, ranking, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);

        var falsePositives = Chart(html, "chart-top-false-positives");
        Assert.Equal([DashboardFixture.MarkupTitle], Labels().Matches(falsePositives).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)));

        // Open incidents: every one the store lists as not closed is in a bar.
        var open = (await Server.Store.AllIncidentsAsync(new IncidentQuery(), CancellationToken.None)).Count(i => i.Status != CaseStatus.Closed && i.MergedInto is null);
        Assert.Equal(open, BarFigures().Matches(Chart(html, "chart-ages")).Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("?range=1y")]
    [InlineData("?range=")]
    [InlineData("?range=7D")]
    [InlineData("?range=7d&range=24h")]
    public async Task A_range_other_than_24h_7d_or_30d_is_refused_with_a_400_page(string query)
    {
        var response = await Server.Client(Role.Viewer).GetAsync("/console/dashboard" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("24h, 7d or 30d", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_range_link_marks_the_range_shown()
    {
        var html = await PageAsync("/console/dashboard?range=30d");

        Assert.Contains("<a href=\"/console/dashboard?range=30d\" aria-current=\"page\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/console/dashboard?range=7d\">", html, StringComparison.Ordinal);
    }

    private async Task<string> PageAsync(string path)
    {
        var response = await Server.Client(Role.Viewer).GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {html}");
        return html;
    }

    private sealed record Expected(int Count, Stats Detect, Stats Acknowledge, Stats Resolve, int FalsePositives, int Closed, List<string> RulesByVolume);

    private sealed record Stats(int Count, long Mean, long P50, long P90);

    /// <summary>The figures from whole alerts and incidents, by the documented rules, written out plainly.</summary>
    private async Task<Expected> ExpectedAsync()
    {
        var alerts = await Server.Store.AllAlertsAsync(new AlertQuery(), CancellationToken.None);
        var incidents = new Dictionary<Guid, Incident>();
        foreach (var id in alerts.Where(a => a.IncidentId is not null).Select(a => a.IncidentId!.Value).Distinct())
        {
            incidents[id] = (await Server.Store.GetIncidentAsync(id, CancellationToken.None))!;
        }
        var detect = new List<long>();
        var acknowledge = new List<long>();
        var resolve = new List<long>();
        int falsePositives = 0, closed = 0;
        foreach (var alert in alerts)
        {
            var incident = alert.IncidentId is { } iid ? incidents[iid] : null;
            detect.Add(Math.Max(0, (alert.CreatedAt - alert.FirstSeen).Ticks));
            var acks = new[] { alert.AcknowledgedAt, incident?.AcknowledgedAt }.Where(t => t is not null).Select(t => t!.Value).ToList();
            if (acks.Count > 0)
            {
                acknowledge.Add(Math.Max(0, (acks.Min() - alert.CreatedAt).Ticks));
            }
            var (closedAt, verdict) = alert.ClosedAt is not null ? (alert.ClosedAt, alert.Verdict) : (incident?.ClosedAt, incident?.Verdict);
            if (closedAt is { } at)
            {
                resolve.Add(Math.Max(0, (at - alert.CreatedAt).Ticks));
                closed++;
                falsePositives += verdict == Verdict.FalsePositive ? 1 : 0;
            }
        }
        var byVolume = alerts.GroupBy(a => a.RuleId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(a => a.Id).First().Title).ToList();
        return new Expected(alerts.Count, Of(detect), Of(acknowledge), Of(resolve), falsePositives, closed, byVolume);
    }

    private static Stats Of(List<long> values)
    {
        values.Sort();
        long Rank(int p) => values[(int)Math.Ceiling(p / 100m * values.Count) - 1];
        return values.Count == 0 ? new Stats(0, 0, 0, 0) : new Stats(values.Count, (long)(values.Sum(v => (decimal)v) / values.Count), Rank(50), Rank(90));
    }

    private static void AssertTile(string html, string id, Stats expected)
    {
        var tile = Tile(html, id);
        Assert.Equal(expected.Count.ToString(CultureInfo.InvariantCulture), Value(tile, "<data class=\"count\""));
        Assert.Equal(expected.P50, Ticks(Value(tile, "<data class=\"p50\"")));
        Assert.Equal(expected.P90, Ticks(Value(tile, "<data class=\"p90\"")));
        Assert.Equal(expected.Mean, Ticks(Value(tile, "<data class=\"mean\"")));
    }

    private static long Ticks(string seconds) => (long)(decimal.Parse(seconds, CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond);

    private static string Tile(string html, string id)
    {
        var start = html.IndexOf($"<div class=\"tile\" id=\"kpi-{id}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no {id} tile");
        return html[start..html.IndexOf("</div>", start, StringComparison.Ordinal)];
    }

    private static string Chart(string html, string id)
    {
        var start = html.IndexOf($"<figure class=\"chart\" id=\"{id}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no chart {id} (or it shows no data)");
        return html[start..html.IndexOf("</figure>", start, StringComparison.Ordinal)];
    }

    /// <summary>The value attribute of the first element that starts with <paramref name="opening"/>.</summary>
    private static string Value(string html, string opening)
    {
        var start = html.IndexOf(opening, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no {opening} in {html}");
        var match = ValueAttribute().Match(html, start);
        return match.Groups[1].Value;
    }

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex ValueAttribute();

    [GeneratedRegex("<rect class=\"bar [^\"]+\"[^>]*><title>[^<]*: ([0-9,]+)</title>")]
    private static partial Regex BarFigures();

    [GeneratedRegex("<text class=\"label\"[^>]*>([^<]*)</text>")]
    private static partial Regex Labels();
}
