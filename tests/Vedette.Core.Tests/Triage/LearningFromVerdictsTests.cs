using Microsoft.Extensions.Time.Testing;
using Vedette.Domain;
using Vedette.Storage;
using Vedette.Storage.Sqlite;
using Vedette.Triage;

namespace Vedette.Tests.Triage;

/// <summary>
/// End to end on the real store: an analyst closes a noisy rule's alerts as false positives, the fidelity read back
/// from the store learns it, and that rule's new alerts rank below real attacks of the same level.
/// </summary>
public sealed class LearningFromVerdictsTests : IAsyncLifetime
{
    private const string Noisy = "proc_creation_win_admin_powershell";
    private const string Attack = "proc_creation_win_remote_service_install";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vedette-learning-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(Some.Time);
    private SqliteStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteStore.OpenAsync(Path.Combine(_folder, "vedette.db"), _time, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task After_enough_false_positive_verdicts_a_noisy_rule_ranks_below_real_attacks_of_the_same_level()
    {
        var noisy = await RaiseAsync(Noisy, 40);
        var attacks = await RaiseAsync(Attack, 5);

        var before = await FidelityAsync();
        Assert.True(Score(noisy[0], before).Total >= Score(attacks[0], before).Total, "with no verdicts the two rules score by level alone");

        var ana = Actor.Analyst("ana");
        var closed = 0;
        foreach (var alert in noisy.Take(30))
        {
            await CloseAsync(alert.Id, Verdict.FalsePositive, ana);
            closed++;
            if (closed == 9)
            {
                Assert.Null((await FidelityAsync()).For(Noisy));
            }
        }
        // An analyst confirms the attacks: the other rule learns too, upwards.
        foreach (var alert in attacks.Take(2))
        {
            await CloseAsync(alert.Id, Verdict.TruePositive, Actor.Analyst("bob"));
        }

        var after = await FidelityAsync();
        var learned = after.For(Noisy);
        Assert.NotNull(learned);
        Assert.True(learned.Points <= -20, learned.Reason);
        Assert.Contains("from 30 analyst verdicts (0 TP, 30 FP/BP)", learned.Reason, StringComparison.Ordinal);
        Assert.Null(after.For(Attack));

        var newNoise = await RaiseAsync(Noisy, 3);
        var newAttack = await RaiseAsync(Attack, 1);
        var queue = newNoise.Concat(newAttack).Concat(attacks.Skip(2))
            .OrderByDescending(a => Score(a, after).Total)
            .ToList();
        Assert.All(newNoise, n => Assert.True(Score(n, after).Total < Score(newAttack[0], after).Total));
        Assert.Equal(Attack, queue[0].RuleId);
        Assert.Equal([Noisy, Noisy, Noisy], queue.TakeLast(3).Select(a => a.RuleId));
        Assert.Contains(Score(newNoise[0], after).Parts, p => p.Factor == "rule fidelity" && p.Points == learned.Points);
    }

    [Fact]
    public async Task The_same_closures_made_by_the_system_leave_the_estimate_unchanged()
    {
        var noisy = await RaiseAsync(Noisy, 40);
        var attack = (await RaiseAsync(Attack, 1))[0];

        foreach (var alert in noisy.Take(30))
        {
            await CloseAsync(alert.Id, Verdict.FalsePositive, Actor.System);
        }

        var fidelity = await FidelityAsync();
        Assert.Null(fidelity.For(Noisy));
        var estimate = fidelity.Precision.For(Noisy)!;
        Assert.Equal((0, 30), (estimate.Verdicts, estimate.SystemClosed));
        Assert.Equal(RulePrecision.Neutral(fidelity.Precision.Options), estimate.Precision);
        var fresh = (await RaiseAsync(Noisy, 1))[0];
        Assert.Equal(Score(attack, fidelity).Total, Score(fresh, fidelity).Total);
    }

    [Fact]
    public async Task An_incident_closed_as_false_positive_teaches_about_each_of_its_alerts_rules()
    {
        var incident = new Incident(Ids.New(_time), _time.GetUtcNow(), "Admin PowerShell on many hosts", Some.Time);
        var noisy = await RaiseAsync(Noisy, 12, incident.Id);
        incident.AlertIds.AddRange(noisy.Select(a => a.Id));
        var batch = new StoreBatch();
        batch.Incidents.Add(incident);
        await _store.WriteAsync(batch, CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(5));
        var read = (await _store.GetIncidentAsync(incident.Id, CancellationToken.None))!;
        read.Close(Verdict.FalsePositive, Actor.Analyst("ana"), _time.GetUtcNow());
        Assert.Equal(UpdateResult.Updated, await _store.UpdateIncidentAsync(read, CancellationToken.None));

        var learned = (await FidelityAsync()).For(Noisy);
        Assert.NotNull(learned);
        Assert.Contains("from 12 analyst verdicts (0 TP, 12 FP/BP)", learned.Reason, StringComparison.Ordinal);
    }

    private static RiskScore Score(Alert alert, IRuleFidelity fidelity) => RiskScorer.Score(alert, fidelity);

    private Task<RuleFidelity> FidelityAsync() => RuleFidelity.LoadAsync(_store, _time, options: null, CancellationToken.None);

    private async Task<List<Alert>> RaiseAsync(string ruleId, int count, Guid? incidentId = null)
    {
        var batch = new StoreBatch();
        for (var i = 0; i < count; i++)
        {
            var now = _time.GetUtcNow();
            var alert = new Alert(Ids.New(_time), now, ruleId, ruleId, Severity.Medium, AlertOrigin.Rule, now, now) { IncidentId = incidentId };
            alert.AddObservable(Some.Host($"wks{i:000}.corp.example"));
            alert.Risk = RiskScorer.Score(alert);
            batch.NewAlerts.Add(alert);
            _time.Advance(TimeSpan.FromSeconds(1));
        }
        await _store.WriteAsync(batch, CancellationToken.None);
        return batch.NewAlerts;
    }

    /// <summary>What `vedette alerts close` does: read, close, save with the version read.</summary>
    private async Task CloseAsync(Guid id, Verdict verdict, Actor by)
    {
        _time.Advance(TimeSpan.FromMinutes(1));
        var alert = (await _store.GetAlertAsync(id, CancellationToken.None))!;
        alert.Close(verdict, by, _time.GetUtcNow());
        Assert.Equal(UpdateResult.Updated, await _store.UpdateAlertAsync(alert, CancellationToken.None));
    }
}
