using Vedette.Domain;
using Vedette.Triage;

namespace Vedette.Storage.Tests;

public abstract partial class StoreContract
{
    private Suppression NewSuppression(string? ruleId = "proc_creation_win_whoami", Observable? entity = null, Dictionary<string, string>? fields = null, DateTimeOffset? expiresAt = null)
    {
        var now = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromSeconds(1));
        return Suppression.Create(ruleId, entity, fields, expiresAt, "admin tooling on the jump host", "ana", now);
    }

    [Fact]
    public async Task A_suppression_is_stored_with_everything_it_says()
    {
        var suppression = NewSuppression(
            entity: new Observable(ObservableType.User, "svc_backup"),
            fields: new() { ["ParentImage"] = @"C:\Program Files\Agent\agent.exe", ["EventID"] = "1" },
            expiresAt: Some.Start.AddDays(7).AddTicks(1234567));
        await Store.AddSuppressionAsync(suppression, Ct);
        await ReopenAsync();

        var stored = Assert.Single(await Store.ListSuppressionsAsync(includeRemoved: false, Ct));

        Assert.Equal(suppression, stored);
        Assert.Equal(@"C:\Program Files\Agent\agent.exe", stored.Fields["parentimage"]);
        Assert.Equal(0, stored.Hits);
    }

    [Fact]
    public async Task A_suppression_without_entity_fields_or_expiry_is_stored_with_none()
    {
        var byRule = NewSuppression();
        var byFields = NewSuppression(ruleId: null, fields: new() { ["src_ip"] = "10.9.0.5" });
        await Store.AddSuppressionAsync(byRule, Ct);
        await Store.AddSuppressionAsync(byFields, Ct);

        Assert.Equal([byRule, byFields], await Store.ListSuppressionsAsync(includeRemoved: false, Ct));
    }

    [Fact]
    public async Task Storing_the_same_suppression_twice_fails()
    {
        var suppression = NewSuppression();
        await Store.AddSuppressionAsync(suppression, Ct);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Store.AddSuppressionAsync(suppression, Ct));

        Assert.Contains(suppression.Id.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Single(await Store.ListSuppressionsAsync(includeRemoved: true, Ct));
    }

    [Fact]
    public async Task A_removed_suppression_is_kept_for_the_record_and_listed_only_on_request()
    {
        var kept = NewSuppression();
        var lifted = NewSuppression(ruleId: "win_local_admin_added");
        await Store.AddSuppressionAsync(kept, Ct);
        await Store.AddSuppressionAsync(lifted, Ct);
        var at = Some.Start.AddHours(3);

        Assert.True(await Store.RemoveSuppressionAsync(lifted.Id, "bob", at, Ct));

        Assert.Equal([kept], await Store.ListSuppressionsAsync(includeRemoved: false, Ct));
        Assert.Equal([kept, lifted with { RemovedAt = at, RemovedBy = "bob" }], await Store.ListSuppressionsAsync(includeRemoved: true, Ct));
    }

    [Fact]
    public async Task Removing_an_unknown_or_already_removed_suppression_changes_nothing()
    {
        var suppression = NewSuppression();
        await Store.AddSuppressionAsync(suppression, Ct);
        Assert.True(await Store.RemoveSuppressionAsync(suppression.Id, "bob", Some.Start.AddHours(1), Ct));

        Assert.False(await Store.RemoveSuppressionAsync(suppression.Id, "carol", Some.Start.AddHours(2), Ct));
        Assert.False(await Store.RemoveSuppressionAsync(Guid.CreateVersion7(), "carol", Some.Start.AddHours(2), Ct));

        var stored = Assert.Single(await Store.ListSuppressionsAsync(includeRemoved: true, Ct));
        Assert.Equal(("bob", Some.Start.AddHours(1)), (stored.RemovedBy, stored.RemovedAt));
    }

    [Fact]
    public async Task Suppressed_alerts_are_stored_and_counted_per_suppression_and_in_total()
    {
        var noisy = NewSuppression();
        var quiet = NewSuppression(ruleId: "win_local_admin_added");
        await Store.AddSuppressionAsync(noisy, Ct);
        await Store.AddSuppressionAsync(quiet, Ct);
        var silenced = Enumerable.Range(0, 3).Select(_ => Some.Alert(Time)).ToList();
        silenced.ForEach(a => a.SuppressedBy = noisy.Id);
        var queued = Some.Alert(Time);
        var incident = Some.Incident(Time, alerts: queued);
        var batch = Some.Batch([.. silenced.Append(queued)]);
        batch.Incidents.Add(incident);
        await Store.WriteAsync(batch, Ct);
        // The noisy rule keeps firing on the same host: the update is stored like any other.
        await Store.WriteAsync(new StoreBatch { AlertUpdates = { new AlertUpdate(silenced[0].Id, 5, silenced[0].LastSeen.AddMinutes(10), []) } }, Ct);

        var counts = await Store.CountAsync(Ct);
        Assert.Equal((4L, 3L, 1L), (counts.Alerts, counts.Suppressed, counts.Incidents));
        Assert.Equal([(noisy.Id, 3L), (quiet.Id, 0L)], (await Store.ListSuppressionsAsync(includeRemoved: false, Ct)).Select(s => (s.Id, s.Hits)));
        var stored = await Store.GetAlertAsync(silenced[0].Id, Ct);
        Assert.Equal((noisy.Id, (Guid?)null, 5), (stored!.SuppressedBy, stored.IncidentId, stored.EventCount));
        Assert.Null((await Store.GetAlertAsync(queued.Id, Ct))!.SuppressedBy);
    }

    [Fact]
    public async Task A_removed_suppression_keeps_the_hits_it_had()
    {
        var suppression = NewSuppression();
        await Store.AddSuppressionAsync(suppression, Ct);
        var alert = Some.Alert(Time);
        alert.SuppressedBy = suppression.Id;
        await Store.WriteAsync(Some.Batch(alert), Ct);

        await Store.RemoveSuppressionAsync(suppression.Id, "bob", Some.Start.AddDays(1), Ct);

        Assert.Equal(1, Assert.Single(await Store.ListSuppressionsAsync(includeRemoved: true, Ct)).Hits);
        Assert.Equal(1, (await Store.CountAsync(Ct)).Suppressed);
    }
}
