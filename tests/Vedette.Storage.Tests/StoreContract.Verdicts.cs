using Vedette.Domain;

namespace Vedette.Storage.Tests;

public abstract partial class StoreContract
{
    private async Task CloseAlertAsync(Guid id, Verdict verdict, Actor by)
    {
        var alert = (await Store.GetAlertAsync(id, Ct))!;
        alert.Close(verdict, by, Time.GetUtcNow());
        Assert.Equal(UpdateResult.Updated, await Store.UpdateAlertAsync(alert, Ct));
    }

    [Fact]
    public async Task Verdicts_are_each_alerts_last_close_with_its_time_and_actor()
    {
        var falsePositive = Some.Alert(Time, ruleId: "noisy");
        var bySystem = Some.Alert(Time, ruleId: "noisy");
        var open = Some.Alert(Time, ruleId: "noisy");
        var reopened = Some.Alert(Time, ruleId: "sharp");
        var reclosed = Some.Alert(Time, ruleId: "sharp");
        await Store.WriteAsync(Some.Batch(falsePositive, bySystem, open, reopened, reclosed), Ct);

        var closedAt = Time.GetUtcNow();
        await CloseAlertAsync(falsePositive.Id, Verdict.FalsePositive, Some.Ana);
        await CloseAlertAsync(bySystem.Id, Verdict.BenignPositive, Actor.System);
        await CloseAlertAsync(reopened.Id, Verdict.FalsePositive, Some.Ana);
        await CloseAlertAsync(reclosed.Id, Verdict.FalsePositive, Some.Ana);
        Time.Advance(TimeSpan.FromMinutes(10));
        foreach (var id in new[] { reopened.Id, reclosed.Id })
        {
            var alert = (await Store.GetAlertAsync(id, Ct))!;
            alert.Reopen(Some.Bob, Time.GetUtcNow(), "not so sure");
            Assert.Equal(UpdateResult.Updated, await Store.UpdateAlertAsync(alert, Ct));
        }
        Time.Advance(TimeSpan.FromMinutes(10));
        await CloseAlertAsync(reclosed.Id, Verdict.TruePositive, Some.Bob);

        var verdicts = await Store.ReadVerdictsAsync(Some.Start, Ct);

        Assert.Equal(
            new[]
            {
                new RuleVerdict("noisy", falsePositive.Id, Verdict.FalsePositive, closedAt, IsSystem: false, ViaIncident: false),
                new RuleVerdict("noisy", bySystem.Id, Verdict.BenignPositive, closedAt, IsSystem: true, ViaIncident: false),
                new RuleVerdict("sharp", reclosed.Id, Verdict.TruePositive, Time.GetUtcNow(), IsSystem: false, ViaIncident: false),
            }.OrderBy(v => v.AlertId),
            verdicts.OrderBy(v => v.AlertId));
    }

    [Fact]
    public async Task An_incidents_verdict_is_given_for_each_of_its_alerts_beside_their_own()
    {
        var first = Some.Alert(Time, ruleId: "noisy");
        var second = Some.Alert(Time, ruleId: "other");
        var outside = Some.Alert(Time, ruleId: "noisy");
        var incident = Some.Incident(Time, alerts: [first, second]);
        var batch = Some.Batch(first, second, outside);
        batch.Incidents.Add(incident);
        await Store.WriteAsync(batch, Ct);
        await CloseAlertAsync(first.Id, Verdict.TruePositive, Some.Bob);
        Time.Advance(TimeSpan.FromMinutes(1));

        var read = (await Store.GetIncidentAsync(incident.Id, Ct))!;
        read.Close(Verdict.FalsePositive, Some.Ana, Time.GetUtcNow(), "the admin's weekly script");
        Assert.Equal(UpdateResult.Updated, await Store.UpdateIncidentAsync(read, Ct));

        var verdicts = await Store.ReadVerdictsAsync(Some.Start, Ct);

        Assert.Equal(
            new[]
            {
                ("noisy", first.Id, Verdict.TruePositive, false),
                ("noisy", first.Id, Verdict.FalsePositive, true),
                ("other", second.Id, Verdict.FalsePositive, true),
            }.Order(),
            verdicts.Select(v => (v.RuleId, v.AlertId, v.Verdict, v.ViaIncident)).Order());
        Assert.All(verdicts.Where(v => v.ViaIncident), v => Assert.Equal((Time.GetUtcNow(), false), (v.At, v.IsSystem)));
    }

    [Fact]
    public async Task Verdicts_given_before_the_start_of_the_range_are_not_read()
    {
        var old = Some.Alert(Time, ruleId: "noisy");
        var recent = Some.Alert(Time, ruleId: "noisy");
        await Store.WriteAsync(Some.Batch(old, recent), Ct);
        await CloseAlertAsync(old.Id, Verdict.FalsePositive, Some.Ana);
        Time.Advance(TimeSpan.FromDays(400));
        var since = Time.GetUtcNow();
        await CloseAlertAsync(recent.Id, Verdict.FalsePositive, Some.Ana);

        var verdicts = await Store.ReadVerdictsAsync(since, Ct);

        Assert.Equal([recent.Id], verdicts.Select(v => v.AlertId));
        Assert.Empty(await Store.ReadVerdictsAsync(since.AddTicks(1), Ct));
    }

    [Fact]
    public async Task Rule_counts_give_alerts_open_alerts_and_the_newest_title_per_rule()
    {
        Assert.Empty(await Store.ReadRuleCountsAsync(Ct));
        var alerts = new[] { Some.Alert(Time, ruleId: "noisy"), Some.Alert(Time, ruleId: "sharp"), Some.Alert(Time, ruleId: "noisy"), Some.Alert(Time, ruleId: "noisy") };
        await Store.WriteAsync(Some.Batch(alerts), Ct);
        await CloseAlertAsync(alerts[0].Id, Verdict.FalsePositive, Some.Ana);

        var counts = await Store.ReadRuleCountsAsync(Ct);

        Assert.Equal(
            [
                new RuleAlertCount("noisy", alerts[3].Title, 3, 2, alerts[3].CreatedAt),
                new RuleAlertCount("sharp", alerts[1].Title, 1, 1, alerts[1].CreatedAt),
            ],
            counts.OrderBy(c => c.RuleId, StringComparer.Ordinal));
    }
}
