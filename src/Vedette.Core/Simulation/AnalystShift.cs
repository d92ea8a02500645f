using System.Text;
using System.Text.Json;
using Vedette.Domain;
using Vedette.Storage;

namespace Vedette.Simulation;

/// <summary>What the simulated analysts did to the queue.</summary>
public sealed record AnalystSummary(int IncidentsAcknowledged, int TruePositive, int BenignPositive, int FalsePositive, int LeftOpen, int AlertsAcknowledged, int AlertsClosed);

/// <summary>
/// Analysts working the queue after the pipeline has run (`vedette demo --analyst`), so that MTTA, MTTR and the
/// verdict-based rates have data: each incident is acknowledged after a lognormal delay that is shorter the more severe
/// it is, then closed with the verdict the simulator's truth calls for (attack → true positive; benign noise → false or
/// benign positive); slow and low ones are still open when the shift ends. Acting goes through the lifecycle, the
/// store's versioned updates and the audit log, as an analyst's command would.
/// </summary>
public static class AnalystShift
{
    /// <summary>How long after the first alert the simulated shift ends: what would happen later stays open.</summary>
    public static readonly TimeSpan Shift = TimeSpan.FromHours(10);

    private static readonly string[] Analysts = ["amara.diallo", "bram.devries", "chen.wei", "dana.kowalski", "elif.yilmaz"];

    /// <param name="alerts">The store's alerts with their evidence, by id.</param>
    /// <param name="isAttack">Whether the simulator's truth puts the alert in an attack scenario.</param>
    public static async Task<AnalystSummary> WorkAsync(
        IStore store, IReadOnlyList<Incident> incidents, IReadOnlyDictionary<Guid, Alert> alerts, Func<Alert, bool> isAttack, int seed, CancellationToken cancellationToken)
    {
        var actions = new List<Action>();
        var open = 0;
        var queue = incidents.Where(i => i.MergedInto is null && i.Status == CaseStatus.New).ToList();
        var end = (queue.Count == 0 ? DateTimeOffset.UnixEpoch : queue.Max(i => i.CreatedAt)) + Shift;
        foreach (var incident in queue)
        {
            var members = incident.AlertIds.Select(id => alerts.GetValueOrDefault(id)).OfType<Alert>().Where(a => a.Status == CaseStatus.New).ToList();
            var key = members.Count == 0 ? incident.Title : members.Select(Key).Min(StringComparer.Ordinal)!;
            // One generator per incident, seeded by what the simulation wrote (not by ids or times): a seed replays the shift.
            var dice = new Dice(seed ^ (int)Fnv(key));
            var attack = members.Any(isAttack);
            if (!Plan(incident, members, attack, isAttack, key, dice, end, actions))
            {
                open++;
            }
        }

        // In time order, as the analysts would have done it: the audit log reads as their day.
        foreach (var action in actions.OrderBy(a => a.At).ThenBy(a => a.Key, StringComparer.Ordinal).ThenBy(a => a.Order))
        {
            await ApplyAsync(store, action, cancellationToken);
        }
        var closes = actions.Where(a => a.Item is Incident && a.Verdict is not null).ToList();
        return new AnalystSummary(
            actions.Count(a => a.Item is Incident && a.Verdict is null),
            closes.Count(a => a.Verdict == Verdict.TruePositive),
            closes.Count(a => a.Verdict == Verdict.BenignPositive),
            closes.Count(a => a.Verdict == Verdict.FalsePositive),
            open,
            actions.Count(a => a.Item is Alert && a.Verdict is null),
            actions.Count(a => a.Item is Alert && a.Verdict is not null));
    }

    /// <summary>Plans one incident's handling; false when it is still open at the end of the shift.</summary>
    private static bool Plan(Incident incident, List<Alert> members, bool attack, Func<Alert, bool> isAttack, string key, Dice dice, DateTimeOffset end, List<Action> actions)
    {
        var untouched = attack ? 0 : incident.Severity switch
        {
            Severity.Critical => 0,
            Severity.High => 0.03,
            Severity.Medium => 0.12,
            Severity.Low => 0.3,
            _ => 0.45,
        };
        var analyst = Actor.Analyst(dice.Pick(Analysts));
        var acknowledgeMinutes = LogNormal(dice, incident.Severity switch
        {
            Severity.Critical => 5,
            Severity.High => 12,
            Severity.Medium => 35,
            Severity.Low => 90,
            _ => 240,
        }, 0.8);
        var keepInvestigating = dice.Chance(attack ? 0.15 : 0.08);
        var benignVerdict = dice.Chance(0.7) ? Verdict.FalsePositive : Verdict.BenignPositive;
        // An attack takes hours to scope and contain; noise is recognised in minutes.
        var closeMinutes = attack ? LogNormal(dice, 180, 0.7) : LogNormal(dice, benignVerdict == Verdict.FalsePositive ? 15 : 25, 0.9);
        if (dice.Chance(untouched))
        {
            return false;
        }
        var acknowledged = incident.CreatedAt + TimeSpan.FromMinutes(acknowledgeMinutes);
        if (acknowledged > end)
        {
            return false;
        }
        actions.Add(new Action(incident, acknowledged, analyst, null, key, 0));
        foreach (var alert in members)
        {
            actions.Add(new Action(alert, Later(acknowledged, alert.CreatedAt), analyst, null, key, 1));
        }
        var closed = acknowledged + TimeSpan.FromMinutes(closeMinutes);
        if (keepInvestigating || closed > end)
        {
            return false;
        }
        actions.Add(new Action(incident, closed, analyst, attack ? Verdict.TruePositive : benignVerdict, key, 3));
        foreach (var alert in members)
        {
            // Each alert by its own truth: a benign alert that joined an attack's incident is still benign.
            var verdict = isAttack(alert) ? Verdict.TruePositive : attack ? Verdict.BenignPositive : benignVerdict;
            actions.Add(new Action(alert, Later(closed, alert.CreatedAt), analyst, verdict, key, 2));
        }
        return true;
    }

    private static async Task ApplyAsync(IStore store, Action action, CancellationToken cancellationToken)
    {
        var item = action.Item;
        var from = item.Status;
        var to = action.Verdict is null ? CaseStatus.Acknowledged : CaseStatus.Closed;
        item.MoveTo(to, action.Analyst, action.At, action.Verdict);
        var kind = item is Incident ? "incident" : "alert";
        var result = item is Incident incident
            ? await store.UpdateIncidentAsync(incident, cancellationToken)
            : await store.UpdateAlertAsync((Alert)item, cancellationToken);
        if (result != UpdateResult.Updated)
        {
            throw new InvalidOperationException($"the simulated analyst could not update {kind} {item.Id}: {result}");
        }
        var verb = to == CaseStatus.Closed ? "close" : "acknowledge";
        await store.AppendAuditAsync(action.Analyst.Name, $"{kind}.{verb}", $"{kind}/{item.Id}", Details(from, to, action.Verdict), action.At, cancellationToken);
    }

    /// <summary>The details an analyst's own acknowledge or close writes to the audit log.</summary>
    private static string Details(CaseStatus from, CaseStatus to, Verdict? verdict)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("from", LifecycleNames.ToName(from));
            writer.WriteString("to", LifecycleNames.ToName(to));
            if (verdict is { } v)
            {
                writer.WriteString("verdict", LifecycleNames.ToName(v));
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>An alert's stable name across runs of one seed: its rule and the first event line behind it.</summary>
    private static string Key(Alert alert)
    {
        var first = alert.Evidence.Count == 0 ? "" : alert.Evidence.Select(e => $"{e.Ref.Origin}:{e.Ref.Line:D12}").Min(StringComparer.Ordinal);
        return $"{first}|{alert.RuleId}";
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>Minutes drawn from a lognormal with this median: most quick, a long tail of slow ones, as response times are.</summary>
    private static double LogNormal(Dice dice, double medianMinutes, double sigma)
    {
        // Box–Muller; 1 - u keeps the logarithm's argument above zero.
        var normal = Math.Sqrt(-2 * Math.Log(1 - dice.Fraction())) * Math.Cos(2 * Math.PI * dice.Fraction());
        return Math.Max(0.5, medianMinutes * Math.Exp(sigma * normal));
    }

    private static uint Fnv(string text)
    {
        var hash = 2166136261;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619;
        }
        return hash;
    }

    /// <summary>One step an analyst takes; <see cref="Order"/> keeps an item's steps in order when times tie.</summary>
    private sealed record Action(WorkItem Item, DateTimeOffset At, Actor Analyst, Verdict? Verdict, string Key, int Order);
}
