using Microsoft.Extensions.Time.Testing;
using Vedette.Domain;
using Vedette.Enrich.Intel;
using Vedette.Serialization;

namespace Vedette.Storage.Tests;

/// <summary>
/// What every <see cref="IStore"/> must do. An implementation's test class derives from this, says how to open its
/// store on a database private to the test, and runs every test here unchanged.
/// </summary>
public abstract partial class StoreContract : IAsyncLifetime
{
    private IStore? _store;

    protected FakeTimeProvider Time { get; } = new(Some.Start);

    /// <summary>Bounds every store call, so that a hang fails the test instead of the run.</summary>
    protected CancellationToken Ct { get; } = new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    protected IStore Store => _store ?? throw new InvalidOperationException("the store is not open");

    /// <summary>Opens the store under test on this test's database: every call opens the same database.</summary>
    protected abstract Task<IStore> OpenStoreAsync();

    /// <summary>The schema versions recorded as applied, in order.</summary>
    protected abstract Task<IReadOnlyList<long>> AppliedMigrationsAsync();

    /// <summary>Records a schema version as applied, as a newer Vedette would have; the store is closed when this runs.</summary>
    protected abstract Task ClaimSchemaVersionAsync(long version);

    public virtual async Task InitializeAsync() => _store = await OpenStoreAsync();

    public virtual async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
            _store = null;
        }
    }

    protected async Task ReopenAsync()
    {
        await CloseAsync();
        _store = await OpenStoreAsync();
    }

    protected async Task CloseAsync()
    {
        await Store.DisposeAsync();
        _store = null;
    }

    protected async Task<List<Alert>> ListAllAlertsAsync(AlertQuery query)
    {
        var all = new List<Alert>();
        for (string? cursor = null; ;)
        {
            var page = await Store.ListAlertsAsync(query with { After = cursor }, Ct);
            Assert.True(page.Items.Count <= query.Limit || query.Limit < 1, $"a page of {page.Items.Count} for a limit of {query.Limit}");
            all.AddRange(page.Items);
            if (page.Next is null)
            {
                return all;
            }
            Assert.NotEmpty(page.Items);
            cursor = page.Next;
        }
    }

    protected async Task<List<Incident>> ListAllIncidentsAsync(IncidentQuery query)
    {
        var all = new List<Incident>();
        for (string? cursor = null; ;)
        {
            var page = await Store.ListIncidentsAsync(query with { After = cursor }, Ct);
            all.AddRange(page.Items);
            if (page.Next is null)
            {
                return all;
            }
            Assert.NotEmpty(page.Items);
            cursor = page.Next;
        }
    }

    /// <summary>The JSON form covers every field, so equal JSON means nothing was lost or changed.</summary>
    protected static void AssertSame(Alert expected, Alert? actual, bool withEvidence = true)
    {
        Assert.NotNull(actual);
        Assert.Equal(DomainJson.ToJson(expected, withEvidence, indented: true), DomainJson.ToJson(actual, withEvidence, indented: true));
    }

    protected static void AssertSame(Incident expected, Incident? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(DomainJson.ToJson(expected, indented: true), DomainJson.ToJson(actual, indented: true));
    }

    [Fact]
    public async Task Data_survives_closing_and_reopening_the_store()
    {
        var alert = Some.AlertWithEverything(Time);
        var incident = Some.Incident(Time, alerts: alert);
        var batch = Some.Batch(alert);
        batch.Incidents.Add(incident);
        await Store.WriteAsync(batch, Ct);
        await Store.ReplaceFeedAsync(new FeedStatus("feed-a", FeedKind.List, "a.txt"), [new FeedIndicator(new Observable(ObservableType.Ipv4, "198.51.100.1"))], Ct);
        var entry = await Store.AppendAuditAsync("ana", "alert.acknowledge", $"alert/{alert.Id}", "{}", Time.GetUtcNow(), Ct);

        await ReopenAsync();

        AssertSame(alert, await Store.GetAlertAsync(alert.Id, Ct));
        AssertSame(incident, await Store.GetIncidentAsync(incident.Id, Ct));
        Assert.Equal([new Observable(ObservableType.Ipv4, "198.51.100.1")], (await Store.ReadFeedIndicatorsAsync("feed-a", Ct)).Select(i => i.Value));
        Assert.Equal([entry], await Store.ReadAuditAsync(0, 10, Ct));
        Assert.Equal(new StoreCounts(1, 1, 1, 1, 2, 1), await Store.CountAsync(Ct));
    }

    [Fact]
    public async Task Counts_cover_every_table()
    {
        Assert.Equal(new StoreCounts(0, 0, 0, 0, 0, 0), await Store.CountAsync(Ct));
        var first = Some.Alert(Time);
        var second = Some.Alert(Time);
        second.Evidence.Add(Some.Evidence(second.LastSeen, 2));
        var batch = Some.Batch(first, second);
        batch.Incidents.Add(Some.Incident(Time, alerts: [first, second]));
        await Store.WriteAsync(batch, Ct);
        await Store.ReplaceFeedAsync(new FeedStatus("a", FeedKind.List, "a.txt"), [new FeedIndicator(new Observable(ObservableType.Ipv4, "198.51.100.1")), new FeedIndicator(new Observable(ObservableType.Ipv4, "198.51.100.2"))], Ct);
        await Store.AppendAuditAsync("ana", "login", "session", "", Time.GetUtcNow(), Ct);

        Assert.Equal(new StoreCounts(Alerts: 2, Incidents: 1, Indicators: 2, AuditEntries: 1, EvidenceEvents: 3, Suppressed: 0), await Store.CountAsync(Ct));
    }

    [Fact]
    public async Task An_empty_batch_writes_nothing()
    {
        await Store.WriteAsync(new StoreBatch(), Ct);

        Assert.Equal(new StoreCounts(0, 0, 0, 0, 0, 0), await Store.CountAsync(Ct));
    }

    [Fact]
    public async Task A_batch_that_fails_midway_leaves_nothing_behind_and_earlier_batches_stay()
    {
        var earlier = Some.Alert(Time);
        await Store.WriteAsync(Some.Batch(earlier), Ct);
        var fresh = Some.Alert(Time);
        var failing = Some.Batch(fresh, Some.Alert(Time), DomainJson.ParseAlert(DomainJson.ToJson(earlier)));
        failing.Incidents.Add(Some.Incident(Time, alerts: fresh));

        await Assert.ThrowsAnyAsync<Exception>(() => Store.WriteAsync(failing, Ct));

        Assert.Null(await Store.GetAlertAsync(fresh.Id, Ct));
        Assert.Equal(new StoreCounts(1, 0, 0, 0, 1, 0), await Store.CountAsync(Ct));
        AssertSame(earlier, await Store.GetAlertAsync(earlier.Id, Ct));
        // The store is still usable after the rollback.
        await Store.WriteAsync(Some.Batch(fresh), Ct);
        Assert.NotNull(await Store.GetAlertAsync(fresh.Id, Ct));
    }

    [Fact]
    public async Task A_batch_whose_update_names_an_unknown_alert_fails_whole()
    {
        var fresh = Some.Alert(Time);
        var batch = Some.Batch(fresh);
        batch.AlertUpdates.Add(new AlertUpdate(Ids.New(Time), 2, Time.GetUtcNow(), []));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Store.WriteAsync(batch, Ct));

        Assert.Contains(batch.AlertUpdates[0].AlertId.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Null(await Store.GetAlertAsync(fresh.Id, Ct));
    }

    [Fact]
    public async Task Reopening_an_up_to_date_database_applies_no_migration_again()
    {
        var applied = await AppliedMigrationsAsync();
        Assert.NotEmpty(applied);
        Assert.Equal(applied.Order(), applied);
        var alert = Some.Alert(Time);
        await Store.WriteAsync(Some.Batch(alert), Ct);

        await ReopenAsync();
        await ReopenAsync();

        Assert.Equal(applied, await AppliedMigrationsAsync());
        AssertSame(alert, await Store.GetAlertAsync(alert.Id, Ct));
    }

    [Fact]
    public async Task A_database_from_a_newer_schema_is_refused_with_a_clear_error()
    {
        await CloseAsync();
        await ClaimSchemaVersionAsync(999);

        var error = await Assert.ThrowsAnyAsync<Exception>(OpenStoreAsync);

        Assert.Contains("999", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }
}
