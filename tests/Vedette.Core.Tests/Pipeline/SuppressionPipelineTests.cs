using Microsoft.Extensions.Time.Testing;
using Vedette.Detect;
using Vedette.Domain;
using Vedette.Enrich;
using Vedette.Ingest;
using Vedette.Pipeline;
using Vedette.Storage;
using Vedette.Storage.Sqlite;
using Vedette.Triage;

namespace Vedette.Tests.Pipeline;

/// <summary>The triage stage against a real store: silenced alerts are stored and counted, and join no incident.</summary>
public sealed class SuppressionPipelineTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vedette-suppression-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(Some.Time);
    private readonly CancellationToken _ct = new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;
    private SqliteStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteStore.OpenAsync(Path.Combine(_folder, "vedette.db"), _time, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static string Alert(string minute, string rule, string observables, string extra = "") =>
        $$"""{"kind":"alert","@timestamp":"2026-11-02T09:{{minute}}:00Z","ruleId":"{{rule}}","title":"{{rule}} fired","severity":"medium","producer":"edr"{{extra}},"observables":[{{observables}}]}""";

    private static string Ip(string value) => $$"""{"type":"ipv4","value":"{{value}}"}""";

    private static string Host(string value) => $$"""{"type":"host","value":"{{value}}"}""";

    private static string User(string value) => $$"""{"type":"user","value":"{{value}}"}""";

    private async Task<PipelineResult> RunAsync(IReadOnlyList<Suppression> suppressions, params string[] lines)
    {
        foreach (var suppression in suppressions)
        {
            await _store.AddSuppressionAsync(suppression, _ct);
        }
        var active = new ActiveSuppressions();
        active.Swap(new SuppressionSet(await _store.ListSuppressionsAsync(includeRemoved: false, _ct)));
        var input = Path.Combine(_folder, "alerts.ndjson");
        await File.WriteAllLinesAsync(input, lines, _ct);
        var errors = new ErrorReport();
        var pipeline = new EventPipeline(
            new RecordNormalizer(_time), new CompositeDetector([]), new CompositeEnricher([]), new IncidentGrouper(new GroupingOptions(), _time), _store, [], errors,
            suppressions: active);
        var result = await pipeline.RunAsync(new FileSource(input, new LineReader()), _ct);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Kept));
        return result;
    }

    private async Task<List<Alert>> AlertsAsync() => [.. (await _store.ListAlertsAsync(new AlertQuery { Limit = 100 }, _ct)).Items];

    [Fact]
    public async Task A_suppressed_alert_is_stored_scored_and_counted_but_joins_no_incident()
    {
        var scanner = Suppression.Create("noisy-scan", Observable.Parse(ObservableType.Ipv4, "10.9.0.5"), null, null, "vulnerability scanner", "ana", Some.Time.AddDays(-1));
        var lab = Suppression.Create(null, null, new Dictionary<string, string> { ["lab"] = "YES" }, null, "lab machines", "ana", Some.Time.AddDays(-1));
        var expired = Suppression.Create("other", null, null, Some.Time.AddHours(-1), "was noisy last week", "bob", Some.Time.AddDays(-7));

        var result = await RunAsync(
            [scanner, lab, expired],
            Alert("00", "noisy-scan", $"{Ip("10.9.0.5")},{Host("wks1.corp.example")}"),
            Alert("05", "mshta", $"{Host("wks1.corp.example")},{User("jdoe")}"),
            Alert("06", "proxy-download", User("jdoe")),
            Alert("10", "noisy-scan", $"{Ip("10.9.0.5")},{Host("wks1.corp.example")}"),
            Alert("20", "other", Host("wks2.corp.example")),
            Alert("30", "lab-test", $"{Host("wks1.corp.example")},{User("jdoe")}", extra: ""","lab":"yes" """));

        Assert.Equal((5L, 2L), (result.Alerts, result.Suppressed));
        Assert.True(result.AlertUpdates >= 1);
        var counts = await _store.CountAsync(_ct);
        Assert.Equal((5L, 2L, 2L), (counts.Alerts, counts.Suppressed, counts.Incidents));

        var alerts = (await AlertsAsync()).ToDictionary(a => a.RuleId);
        var scan = alerts["noisy-scan"];
        Assert.Equal((scanner.Id, (Guid?)null, 2), (scan.SuppressedBy, scan.IncidentId, scan.EventCount));
        Assert.NotNull(scan.Risk);
        Assert.Contains(scan.Risk.Parts, p => p.Factor == "rule level");
        Assert.Equal((lab.Id, (Guid?)null), (alerts["lab-test"].SuppressedBy, alerts["lab-test"].IncidentId));
        Assert.Null(alerts["other"].SuppressedBy);

        // The rest is grouped as it would be without the suppressed alerts: mshta and the download share the user.
        var incidents = (await _store.ListIncidentsAsync(new IncidentQuery(), _ct)).Items;
        Assert.Equal(
            [[alerts["mshta"].Id, alerts["proxy-download"].Id], [alerts["other"].Id]],
            incidents.Select(i => i.AlertIds.ToArray()).OrderByDescending(ids => ids.Length));
        Assert.DoesNotContain(incidents, i => i.AlertIds.Contains(scan.Id) || i.AlertIds.Contains(alerts["lab-test"].Id));
        Assert.Equal(alerts["mshta"].IncidentId, alerts["proxy-download"].IncidentId);

        var hits = (await _store.ListSuppressionsAsync(includeRemoved: false, _ct)).ToDictionary(s => s.Id, s => s.Hits);
        Assert.Equal(new Dictionary<Guid, long> { [scanner.Id] = 1, [lab.Id] = 1, [expired.Id] = 0 }, hits);
    }

    [Fact]
    public async Task Without_suppressions_the_same_alerts_are_all_grouped()
    {
        var result = await RunAsync(
            [],
            Alert("00", "noisy-scan", $"{Ip("10.9.0.5")},{Host("wks1.corp.example")}"),
            Alert("05", "mshta", $"{Host("wks1.corp.example")},{User("jdoe")}"));

        Assert.Equal((2L, 0L), (result.Alerts, result.Suppressed));
        var alerts = await AlertsAsync();
        Assert.All(alerts, a => Assert.Null(a.SuppressedBy));
        Assert.Single(alerts.Select(a => a.IncidentId).Distinct());
        Assert.NotNull(alerts[0].IncidentId);
        Assert.Equal(0, (await _store.CountAsync(_ct)).Suppressed);
    }
}
