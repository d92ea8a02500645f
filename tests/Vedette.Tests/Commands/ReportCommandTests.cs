using System.Globalization;
using System.Text.Json;
using Vedette.Domain;
using Vedette.Storage;
using Vedette.Storage.Sqlite;

namespace Vedette.Tests.Commands;

/// <summary>
/// `vedette report` on a demo store in which analysts worked some alerts and incidents: every figure equals the one
/// computed here from the alerts and incidents as the store's documents hold them, not from the report's own reads.
/// </summary>
public sealed class ReportCommandTests : IClassFixture<ReportCommandTests.WorkedDemo>
{
    private readonly WorkedDemo _demo;

    public ReportCommandTests(WorkedDemo demo) => _demo = demo;

    /// <summary>A demo store; then, through the CLI, some alerts acknowledged and closed with each verdict, and an incident closed.</summary>
    public sealed class WorkedDemo : IAsyncLifetime
    {
        private readonly TempFolder _folder = new();

        public string Data => _folder.Path;

        public async Task InitializeAsync()
        {
            var (exit, _, stderr) = await Cli.RunAsync("demo", "--events", "20000", "--seed", "5", "--data", Data, "--format", "json");
            Assert.True(exit == 0, stderr);
            List<Guid> alerts;
            Guid incident;
            await using (var store = await OpenAsync())
            {
                alerts = [.. (await store.ListAlertsAsync(new AlertQuery { Status = CaseStatus.New, Limit = 12 }, CancellationToken.None)).Items.Select(a => a.Id)];
                incident = (await store.ListIncidentsAsync(new IncidentQuery { Status = CaseStatus.New, Limit = 1 }, CancellationToken.None)).Items[0].Id;
            }
            Assert.Equal(12, alerts.Count);
            await RunAsync(["alerts", "acknowledge", .. alerts.Take(8).Select(a => a.ToString()), "--analyst", "ana"]);
            await RunAsync(["alerts", "close", .. alerts.Take(3).Select(a => a.ToString()), "--verdict", "false-positive", "--analyst", "ana"]);
            await RunAsync(["alerts", "close", .. alerts.Skip(3).Take(2).Select(a => a.ToString()), "--verdict", "true-positive", "--analyst", "bob"]);
            await RunAsync(["alerts", "close", alerts[10].ToString(), "--verdict", "benign-positive", "--analyst", "bob"]);
            await RunAsync(["incidents", "close", incident.ToString(), "--verdict", "true-positive", "--analyst", "ana"]);
        }

        public Task<IStore> OpenAsync() => SqliteStore.OpenAsync(Path.Combine(Data, "vedette.db"), TimeProvider.System, CancellationToken.None).ContinueWith(t => (IStore)t.Result, TaskScheduler.Default);

        private async Task RunAsync(string[] args)
        {
            var (exit, _, stderr) = await Cli.RunAsync([.. args, "--data", Data]);
            Assert.True(exit == 0, $"{string.Join(' ', args)}: {stderr}");
        }

        public Task DisposeAsync()
        {
            _folder.Dispose();
            return Task.CompletedTask;
        }
    }

    private async Task<JsonElement> ReportAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await Cli.RunAsync(["report", .. args, "--data", _demo.Data]);
        Assert.True(exit == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    /// <summary>Every alert created in the range, suppressed ones left out, with its incident: read as documents.</summary>
    private async Task<List<(Alert Alert, Incident? Incident)>> AlertsAsync(DateTimeOffset from, DateTimeOffset to)
    {
        await using var store = await _demo.OpenAsync();
        var alerts = new List<(Alert, Incident?)>();
        string? after = null;
        do
        {
            var page = await store.ListAlertsAsync(new AlertQuery { Limit = 1000, After = after }, CancellationToken.None);
            foreach (var alert in page.Items.Where(a => a.CreatedAt >= from && a.CreatedAt < to && a.SuppressedBy is null))
            {
                alerts.Add((alert, alert.IncidentId is { } id ? await store.GetIncidentAsync(id, CancellationToken.None) : null));
            }
            after = page.Next;
        }
        while (after is not null);
        return alerts;
    }

    [Fact]
    public async Task The_json_report_has_every_kpi_and_each_equals_the_figure_computed_from_the_stored_alerts()
    {
        var report = await ReportAsync("--format", "json");

        var from = report.GetProperty("from").GetDateTimeOffset();
        var to = report.GetProperty("to").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromDays(30), to - from);
        var alerts = await AlertsAsync(from, to);
        Assert.True(alerts.Count > 50, $"only {alerts.Count} alerts");
        Assert.Equal(alerts.Count, report.GetProperty("alerts").GetInt32());

        var detect = alerts.Select(a => Max0(a.Alert.CreatedAt - a.Alert.FirstSeen)).ToList();
        var acknowledge = alerts.Select(a => Earliest(a.Alert.AcknowledgedAt, a.Incident?.AcknowledgedAt) - a.Alert.CreatedAt).OfType<TimeSpan>().Select(Max0).ToList();
        var closes = alerts.Select(a => a.Alert.ClosedAt is not null ? (a.Alert.ClosedAt, a.Alert.Verdict) : (a.Incident?.ClosedAt, a.Incident?.Verdict)).ToList();
        var resolve = alerts.Zip(closes).Where(p => p.Second.Item1 is not null).Select(p => Max0(p.Second.Item1!.Value - p.First.Alert.CreatedAt)).ToList();
        AssertStats(detect, report.GetProperty("mttd"));
        AssertStats(acknowledge, report.GetProperty("mtta"));
        AssertStats(resolve, report.GetProperty("mttr"));
        Assert.True(acknowledge.Count >= 8 && resolve.Count >= 6, $"{acknowledge.Count} acknowledged, {resolve.Count} resolved");

        var verdicts = closes.Select(c => c.Item2).OfType<Verdict>().ToList();
        Assert.Equal(verdicts.Count, report.GetProperty("closedWithVerdict").GetInt32());
        Assert.Equal((double)verdicts.Count(v => v == Verdict.FalsePositive) / verdicts.Count, report.GetProperty("falsePositiveRate").GetDouble());
        Assert.Equal((double)verdicts.Count(v => v == Verdict.TruePositive) / verdicts.Count, report.GetProperty("precision").GetDouble());

        var rules = report.GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(alerts.Select(a => a.Alert.RuleId).Distinct().Count(), rules.Count);
        foreach (var rule in rules)
        {
            var id = rule.GetProperty("ruleId").GetString()!;
            var own = alerts.Zip(closes).Where(p => p.First.Alert.RuleId == id).ToList();
            Assert.Equal(own.Count, rule.GetProperty("alerts").GetInt32());
            Assert.Equal(own.Count(p => p.Second.Item2 == Verdict.FalsePositive), rule.GetProperty("falsePositives").GetInt32());
            Assert.Equal(own.Count(p => p.Second.Item2 == Verdict.TruePositive), rule.GetProperty("truePositives").GetInt32());
            Assert.Equal(own.Count(p => p.Second.Item2 == Verdict.BenignPositive), rule.GetProperty("benignPositives").GetInt32());
            Assert.True(rule.TryGetProperty("title", out _) && rule.TryGetProperty("precision", out _));
        }

        var volume = report.GetProperty("volume");
        foreach (var severity in Enum.GetValues<Severity>())
        {
            Assert.Equal(alerts.Count(a => a.Alert.Severity == severity), volume.GetProperty("bySeverity").GetProperty(severity.ToName()).GetInt32());
        }
        Assert.Equal(alerts.GroupBy(a => a.Alert.Producer ?? a.Alert.Origin.ToString().ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Count()),
            volume.GetProperty("bySource").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32()));
        Assert.Equal(alerts.Count, volume.GetProperty("byRule").EnumerateObject().Sum(p => p.Value.GetInt32()));
        Assert.Equal(alerts.Count, volume.GetProperty("overTime").EnumerateArray().Sum(b => b.GetProperty("alerts").GetInt32()));
        var credentialAccess = alerts.Count(a => a.Alert.Tags.Any(t => t.Equals("attack.credential-access", StringComparison.OrdinalIgnoreCase) || t.Equals("attack.credential_access", StringComparison.OrdinalIgnoreCase)));
        Assert.True(credentialAccess > 0, "the demo raised no credential-access alert");
        Assert.Equal(credentialAccess, volume.GetProperty("byTactic").GetProperty("credential-access").GetInt32());

        foreach (var name in new[] { "incidents", "sla", "backlog" })
        {
            Assert.Equal(JsonValueKind.Object, report.GetProperty(name).ValueKind);
        }
        foreach (var stats in new[] { report.GetProperty("incidents").GetProperty("mtta"), report.GetProperty("incidents").GetProperty("mttr"), report.GetProperty("backlog").GetProperty("age") })
        {
            Assert.Equal(["count", "mean", "p50", "p90", "p99"], stats.EnumerateObject().Select(p => p.Name));
        }
        Assert.Equal(1, report.GetProperty("incidents").GetProperty("mttr").GetProperty("count").GetInt32());
        var sla = report.GetProperty("sla");
        Assert.Equal(report.GetProperty("incidents").GetProperty("count").GetInt32(),
            sla.GetProperty("met").GetInt32() + sla.GetProperty("breached").GetInt32() + sla.GetProperty("pending").GetInt32());
    }

    [Fact]
    public async Task The_csv_summary_has_one_metric_per_row_with_the_json_figures()
    {
        var json = await ReportAsync("--from", "2026-01-01", "--to", "2099-01-01", "--format", "json");
        var (exit, csv, stderr) = await Cli.RunAsync("report", "--from", "2026-01-01", "--to", "2099-01-01", "--format", "csv", "--data", _demo.Data);
        Assert.True(exit == 0, stderr);

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("metric,value", lines[0]);
        var metrics = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => f[1]);
        Assert.All(lines.Skip(1), l => Assert.Equal(2, l.Split(',').Length));
        Assert.Equal(json.GetProperty("alerts").GetInt32().ToString(CultureInfo.InvariantCulture), metrics["alerts"]);
        foreach (var kpi in new[] { "mttd", "mtta", "mttr" })
        {
            Assert.Equal(json.GetProperty(kpi).GetProperty("p90").GetDecimal(), decimal.Parse(metrics[kpi + ".p90_seconds"], CultureInfo.InvariantCulture));
            Assert.Equal(json.GetProperty(kpi).GetProperty("mean").GetDecimal(), decimal.Parse(metrics[kpi + ".mean_seconds"], CultureInfo.InvariantCulture));
        }
        Assert.Equal(json.GetProperty("falsePositiveRate").GetDouble(), double.Parse(metrics["false_positive_rate"], CultureInfo.InvariantCulture));
        Assert.Equal(json.GetProperty("backlog").GetProperty("open").GetInt32().ToString(CultureInfo.InvariantCulture), metrics["backlog.open"]);
    }

    [Fact]
    public async Task Exports_write_every_alert_and_incident_of_the_range_as_csv_and_as_json()
    {
        using var folder = new TempFolder();
        long alerts, incidents;
        await using (var store = await _demo.OpenAsync())
        {
            var counts = await store.CountAsync(CancellationToken.None);
            (alerts, incidents) = (counts.Alerts, counts.Incidents);
        }
        var csvFile = folder.File("alerts.csv");
        var (exit, _, stderr) = await Cli.RunAsync("report", "export", "alerts", "--from", "2020-01-01", "--out", csvFile, "--data", _demo.Data);
        Assert.True(exit == 0, stderr);
        Assert.Contains($"{alerts:N0} alerts written to {csvFile}", stderr, StringComparison.Ordinal);
        var rows = File.ReadAllLines(csvFile).Where(l => l.Length > 0).ToList();
        Assert.StartsWith("id,created_at,rule_id,title,severity,status,verdict,source", rows[0], StringComparison.Ordinal);
        Assert.Equal(alerts, rows.Count - 1);
        Assert.Contains(rows, r => r.Contains(",closed,false-positive,", StringComparison.Ordinal));

        var (jsonExit, json, jsonErr) = await Cli.RunAsync("report", "export", "incidents", "--from", "2020-01-01", "--format", "json", "--data", _demo.Data);
        Assert.True(jsonExit == 0, jsonErr);
        var items = JsonDocument.Parse(json).RootElement.EnumerateArray().ToList();
        Assert.Equal(incidents, items.Count);
        Assert.Equal(items.Count, items.Select(i => i.GetProperty("id").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task The_html_report_is_one_page_with_its_charts_and_the_attack_matrix()
    {
        using var folder = new TempFolder();
        var file = folder.File("report.html");
        var (exit, _, stderr) = await Cli.RunAsync("report", "--format", "html", "--out", file, "--data", _demo.Data);
        Assert.True(exit == 0, stderr);

        var html = File.ReadAllText(file);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        foreach (var id in new[] { "chart-volume", "chart-trend", "chart-top-volume", "chart-top-false-positives", "attack-matrix" })
        {
            Assert.Contains($"id=\"{id}\"", html, StringComparison.Ordinal);
        }
        // Self-contained: nothing is fetched.
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("--from", "soon", "--from 'soon' is neither now")]
    [InlineData("--to", "2026-02-30", "--to '2026-02-30'")]
    [InlineData("--format", "pdf", "--format must be json, html or csv, not 'pdf'")]
    public async Task A_bad_option_is_a_clear_error(string option, string value, string message)
    {
        var (exit, stdout, stderr) = await Cli.RunAsync("report", option, value, "--data", _demo.Data);

        Assert.Equal(64, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Empty(stdout.Trim());
    }

    [Fact]
    public async Task A_report_without_a_store_says_so_and_an_empty_range_reports_zero_alerts()
    {
        using var folder = new TempFolder();
        var (exit, _, stderr) = await Cli.RunAsync("report", "--data", folder.File("none"));
        Assert.Equal(1, exit);
        Assert.Contains("no Vedette store at", stderr, StringComparison.Ordinal);

        var empty = await ReportAsync("--from", "2001-01-01", "--to", "2001-01-02");
        Assert.Equal(0, empty.GetProperty("alerts").GetInt32());
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("falsePositiveRate").ValueKind);
        Assert.Equal(0, empty.GetProperty("mttd").GetProperty("count").GetInt32());
    }

    private static TimeSpan Max0(TimeSpan value) => value < TimeSpan.Zero ? TimeSpan.Zero : value;

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    /// <summary>Count, mean and nearest-rank percentiles worked out here, compared to the tick with the report's seconds.</summary>
    private static void AssertStats(List<TimeSpan> values, JsonElement stats)
    {
        var sorted = values.Select(v => v.Ticks).Order().ToArray();
        Assert.Equal(sorted.Length, stats.GetProperty("count").GetInt32());
        if (sorted.Length == 0)
        {
            return;
        }
        decimal Seconds(long ticks) => ticks / 10_000_000m;
        long Rank(int p) => sorted[(int)Math.Ceiling(p / 100m * sorted.Length) - 1];
        Assert.Equal(Seconds((long)(sorted.Select(t => (Int128)t).Aggregate((a, b) => a + b) / sorted.Length)), stats.GetProperty("mean").GetDecimal());
        Assert.Equal(Seconds(Rank(50)), stats.GetProperty("p50").GetDecimal());
        Assert.Equal(Seconds(Rank(90)), stats.GetProperty("p90").GetDecimal());
        Assert.Equal(Seconds(Rank(99)), stats.GetProperty("p99").GetDecimal());
    }
}
