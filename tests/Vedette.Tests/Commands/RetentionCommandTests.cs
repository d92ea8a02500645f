using System.Text.Json;
using Vedette.Domain;
using Vedette.Storage;
using Vedette.Storage.Sqlite;

namespace Vedette.Tests.Commands;

/// <summary>`vedette retention run` and `vedette incidents hold|release` on a store with old, open and held incidents.</summary>
public sealed class RetentionCommandTests
{
    private static readonly DateTimeOffset LongAgo = DateTimeOffset.UtcNow.AddDays(-200);

    private static async Task<SqliteStore> OpenAsync(string data) =>
        await SqliteStore.OpenAsync(Path.Combine(data, "vedette.db"), TimeProvider.System, CancellationToken.None);

    private static async Task<Incident> StoreIncidentAsync(SqliteStore store, bool closed)
    {
        var alert = new Alert(Guid.CreateVersion7(LongAgo), LongAgo, "proc_creation_win_whoami", "whoami", Severity.High, AlertOrigin.Rule, LongAgo, LongAgo);
        alert.Evidence.Add(new EvidenceEvent(new RecordRef("events.ndjson", 1), LongAgo, """{"EventID":4688}"""));
        var incident = new Incident(Guid.CreateVersion7(LongAgo), LongAgo, "whoami", LongAgo) { Severity = Severity.High, Score = 40, DueAt = LongAgo };
        incident.AlertIds.Add(alert.Id);
        alert.IncidentId = incident.Id;
        var batch = new StoreBatch();
        batch.NewAlerts.Add(alert);
        batch.Incidents.Add(incident);
        await store.WriteAsync(batch, CancellationToken.None);
        if (closed)
        {
            incident.Close(Verdict.FalsePositive, Actor.Analyst("ana"), LongAgo.AddHours(1));
            Assert.Equal(UpdateResult.Updated, await store.UpdateIncidentAsync(incident, CancellationToken.None));
        }
        return incident;
    }

    /// <summary>An old closed incident (goes), an old open one and an old closed but held one (both stay).</summary>
    private static async Task<(Incident Old, Incident Open, Incident Held)> SeedAsync(string data)
    {
        await using var store = await OpenAsync(data);
        var old = await StoreIncidentAsync(store, closed: true);
        var open = await StoreIncidentAsync(store, closed: false);
        var held = await StoreIncidentAsync(store, closed: true);
        Assert.Equal(HoldResult.Done, await store.PlaceHoldAsync(held.Id, new LegalHold("lena", DateTimeOffset.UtcNow, "case 7"), CancellationToken.None));
        return (old, open, held);
    }

    private static async Task<JsonElement> JsonAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await Cli.RunAsync([.. args, "--format", "json"]);
        Assert.True(exit == 0, stderr);
        using var document = JsonDocument.Parse(stdout);
        return document.RootElement.Clone();
    }

    private static List<string> Ids(JsonElement plan, string name) =>
        [.. plan.GetProperty(name).EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetProperty("id").GetString()!)];

    [Fact]
    public async Task The_dry_run_lists_what_goes_and_deletes_nothing_and_the_real_run_deletes_exactly_that()
    {
        using var folder = new TempFolder();
        var (old, open, held) = await SeedAsync(folder.Path);

        var (exit, table, _) = await Cli.RunAsync("retention", "run", "--dry-run", "--incidents", "90d", "--alerts", "90d", "--data", folder.Path);
        Assert.Equal(0, exit);
        Assert.Contains($"incident {old.Id}", table, StringComparison.Ordinal);
        Assert.Contains($"alert {old.AlertIds[0]} (1 events)", table, StringComparison.Ordinal);
        Assert.DoesNotContain(open.Id.ToString(), table, StringComparison.Ordinal);
        Assert.DoesNotContain(held.Id.ToString(), table, StringComparison.Ordinal);
        var dryRun = await JsonAsync("retention", "run", "--dry-run", "--incidents", "90d", "--alerts", "90d", "--data", folder.Path);
        await using (var store = await OpenAsync(folder.Path))
        {
            Assert.Equal((3L, 3L), ((await store.CountAsync(CancellationToken.None)).Incidents, (await store.CountAsync(CancellationToken.None)).Alerts));
        }

        var done = await JsonAsync("retention", "run", "--incidents", "90d", "--alerts", "90d", "--data", folder.Path);

        Assert.True(dryRun.GetProperty("dryRun").GetBoolean());
        Assert.False(done.GetProperty("dryRun").GetBoolean());
        Assert.Equal([old.Id.ToString()], Ids(dryRun, "incidents"));
        Assert.Equal(Ids(dryRun, "incidents"), Ids(done, "incidents"));
        Assert.Equal(Ids(dryRun, "alerts"), Ids(done, "alerts"));
        Assert.Equal(Ids(dryRun, "evidence"), Ids(done, "evidence"));
        await using (var store = await OpenAsync(folder.Path))
        {
            Assert.Null(await store.GetIncidentAsync(old.Id, CancellationToken.None));
            Assert.Null(await store.GetAlertAsync(old.AlertIds[0], CancellationToken.None));
            Assert.NotNull(await store.GetIncidentAsync(open.Id, CancellationToken.None));
            Assert.NotNull(await store.GetIncidentAsync(held.Id, CancellationToken.None));
            var run = Assert.Single(await store.SearchAuditAsync(new AuditQuery { Action = "retention.run" }, CancellationToken.None));
            Assert.StartsWith("""{"incidents":1,"alerts":1,"events":1,""", run.Details, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_policy_comes_from_the_server_configuration_file_and_the_command_line_overrides_it()
    {
        using var folder = new TempFolder();
        var (old, _, _) = await SeedAsync(folder.Path);
        var config = folder.File("vedette.json");
        await File.WriteAllTextAsync(config, """{"urls": "http://127.0.0.1:8080", "retention": {"incidents": "90d", "interval": "6h"}}""");

        var fromFile = await JsonAsync("retention", "run", "--dry-run", "--config", config, "--data", folder.Path);
        var overridden = await JsonAsync("retention", "run", "--dry-run", "--config", config, "--incidents", "keep", "--data", folder.Path);

        Assert.Equal([old.Id.ToString()], Ids(fromFile, "incidents"));
        Assert.Equal("90d", fromFile.GetProperty("policy").GetProperty("incidents").GetString());
        Assert.Empty(Ids(overridden, "incidents"));
        Assert.Equal("keep", overridden.GetProperty("policy").GetProperty("incidents").GetString());
    }

    [Theory]
    [InlineData("--alerts", "90x", "retention for alerts: '90x' is neither 'keep' nor a duration")]
    [InlineData("--incidents", "12h", "retention for incidents: '12h' is shorter than the minimum of 1d")]
    public async Task A_bad_age_is_refused_with_the_class_and_the_value_and_nothing_is_deleted(string option, string value, string message)
    {
        using var folder = new TempFolder();
        await SeedAsync(folder.Path);

        var (exit, _, stderr) = await Cli.RunAsync("retention", "run", option, value, "--data", folder.Path);

        Assert.NotEqual(0, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        await using var store = await OpenAsync(folder.Path);
        Assert.Equal(3, (await store.CountAsync(CancellationToken.None)).Incidents);
    }

    [Fact]
    public async Task Incidents_hold_and_release_change_the_hold_audit_it_and_refuse_what_does_not_apply()
    {
        using var folder = new TempFolder();
        var (old, _, held) = await SeedAsync(folder.Path);

        var placed = await JsonAsync("incidents", "hold", old.Id.ToString(), "--reason", "subpoena 2025-3", "--data", folder.Path);
        var (twice, _, twiceError) = await Cli.RunAsync("incidents", "hold", held.Id.ToString(), "--reason", "again", "--data", folder.Path);
        var (noReason, _, noReasonError) = await Cli.RunAsync("incidents", "hold", old.Id.ToString(), "--data", folder.Path);
        var unknown = Guid.CreateVersion7();
        var (missing, _, missingError) = await Cli.RunAsync("incidents", "release", unknown.ToString(), "--data", folder.Path);
        var released = await JsonAsync("incidents", "release", held.Id.ToString(), "--data", folder.Path);

        Assert.Equal("subpoena 2025-3", placed.GetProperty("hold").GetProperty("reason").GetString());
        Assert.StartsWith("cli:", placed.GetProperty("hold").GetProperty("by").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, twice);
        Assert.Contains("already under legal hold, placed by lena", twiceError, StringComparison.Ordinal);
        Assert.NotEqual(0, noReason);
        Assert.Contains("--reason TEXT is required", noReasonError, StringComparison.Ordinal);
        Assert.Equal(3, missing);
        Assert.Contains($"no incident {unknown}", missingError, StringComparison.Ordinal);
        Assert.False(released.TryGetProperty("hold", out _));
        await using var store = await OpenAsync(folder.Path);
        var entries = await store.SearchAuditAsync(new AuditQuery { Action = "incident." }, CancellationToken.None);
        Assert.Equal(["incident.release", "incident.hold"], entries.Select(e => e.Action));
    }
}
