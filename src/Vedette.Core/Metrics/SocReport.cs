using Vedette.Domain;
using Vedette.Storage;
using Vedette.Triage;

namespace Vedette.Metrics;

/// <summary>
/// One rule's alerts in the range and the verdicts they were closed with (their own, or their incident's). Precision
/// is the true positives among the alerts judged: a benign positive (the rule saw what it looks for, but it was allowed)
/// counts against it, as in the rule statistics; null while none was judged.
/// </summary>
public sealed record RuleQuality(string RuleId, string Title, int Alerts, int TruePositives, int BenignPositives, int FalsePositives)
{
    public int Judged => TruePositives + BenignPositives + FalsePositives;

    public double? Precision => Judged == 0 ? null : (double)TruePositives / Judged;
}

/// <summary>Time to detect and to resolve of the alerts created in one bucket of the report's window.</summary>
public sealed record TrendBucket(DateTimeOffset Start, DurationStats TimeToDetect, DurationStats TimeToResolve);

/// <summary>
/// An ATT&amp;CK technique the fired rules are tagged with: the tactics tagged beside it, its alerts, and its rules.
/// An alert is counted under each of its techniques.
/// </summary>
public sealed record TechniqueFigures(string Id, IReadOnlyList<string> Tactics, int Alerts, IReadOnlyList<string> RuleIds);

/// <summary>A count under a name (a source, a tactic, a severity), for the volume breakdowns.</summary>
public sealed record NamedCount(string Name, int Count);

/// <summary>
/// Everything `vedette report` shows for the alerts and incidents created in [<see cref="From"/>, <see cref="To"/>):
/// the alert KPIs (<see cref="AlertKpis"/>: MTTD, MTTA, MTTR, false-positive rate, volume by severity over time), the
/// incident KPIs and SLA, every rule's quality, volume by source and ATT&amp;CK tactic, the techniques that fired, the
/// daily trend of MTTD and MTTR, and the backlog of open incidents at <see cref="GeneratedAt"/>.
/// </summary>
public sealed record SocReport(
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset GeneratedAt,
    AlertKpis Alerts,
    IncidentKpis Incidents,
    IReadOnlyList<RuleQuality> Rules,
    IReadOnlyList<NamedCount> BySource,
    IReadOnlyList<NamedCount> ByTactic,
    IReadOnlyList<TechniqueFigures> Techniques,
    IReadOnlyList<TrendBucket> Trend,
    Backlog Backlog)
{
    /// <summary>Bucket lengths for the charts, the shortest that keeps a range within <see cref="MaxBuckets"/> bars.</summary>
    private static readonly TimeSpan[] BucketLengths = [TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(7), TimeSpan.FromDays(28)];

    private const int MaxBuckets = 120;

    public int TruePositives => Rules.Sum(r => r.TruePositives);

    public int BenignPositives => Rules.Sum(r => r.BenignPositives);

    /// <summary>True positives among the alerts closed with a verdict; null when none was.</summary>
    public double? Precision => Alerts.ClosedWithVerdict == 0 ? null : (double)TruePositives / Alerts.ClosedWithVerdict;

    /// <summary>
    /// The report of <paramref name="alerts"/> and <paramref name="incidents"/> created in [from, to) (others are
    /// ignored) and of the <paramref name="open"/> incidents at <paramref name="now"/>: a pass over the alerts and
    /// one sort per duration, as in <see cref="AlertKpis.Compute"/>.
    /// </summary>
    public static SocReport Compute(IReadOnlyList<AlertTiming> alerts, IReadOnlyList<IncidentTiming> incidents, IReadOnlyList<OpenIncident> open,
        DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(incidents);
        ArgumentNullException.ThrowIfNull(open);
        if (from >= to)
        {
            throw new ArgumentException($"a report needs from before to, not [{from:O}, {to:O})", nameof(to));
        }
        var window = ChartWindow(from, to);
        // The chart window is whole buckets around [from, to): what falls outside the range must not be counted in it.
        var inRange = alerts.All(a => a.CreatedAt >= from && a.CreatedAt < to) ? alerts : [.. alerts.Where(a => a.CreatedAt >= from && a.CreatedAt < to)];
        var incidentsInRange = incidents.All(i => i.CreatedAt >= from && i.CreatedAt < to) ? incidents : [.. incidents.Where(i => i.CreatedAt >= from && i.CreatedAt < to)];
        var kpis = AlertKpis.Compute(inRange, window, topRules: 10);

        var rules = new Dictionary<string, RuleTally>(StringComparer.Ordinal);
        var sources = new Dictionary<string, int>(StringComparer.Ordinal);
        var tagged = new Dictionary<(string RuleId, string Tags), int>();
        var detect = new List<long>[window.Buckets];
        var resolve = new List<long>[window.Buckets];
        for (var i = 0; i < window.Buckets; i++)
        {
            (detect[i], resolve[i]) = ([], []);
        }
        foreach (var alert in inRange)
        {
            if (!rules.TryGetValue(alert.RuleId, out var rule))
            {
                rule = new RuleTally(alert.RuleId, alert.RuleTitle);
                rules.Add(alert.RuleId, rule);
            }
            rule.Alerts++;
            var (closedAt, verdict) = AlertKpis.Closed(alert);
            switch (verdict)
            {
                case Verdict.TruePositive:
                    rule.TruePositives++;
                    break;
                case Verdict.BenignPositive:
                    rule.BenignPositives++;
                    break;
                case Verdict.FalsePositive:
                    rule.FalsePositives++;
                    break;
            }
            sources[alert.Source] = sources.GetValueOrDefault(alert.Source) + 1;
            if (alert.AttackTags is { } tags)
            {
                var key = (alert.RuleId, tags);
                tagged[key] = tagged.GetValueOrDefault(key) + 1;
            }
            var bucket = window.BucketOf(alert.CreatedAt);
            detect[bucket].Add(AlertKpis.DetectTicks(alert));
            if (closedAt is { } closed)
            {
                resolve[bucket].Add(Math.Max(0, closed.UtcTicks - alert.CreatedAt.UtcTicks));
            }
        }

        var trend = new TrendBucket[window.Buckets];
        for (var i = 0; i < trend.Length; i++)
        {
            trend[i] = new TrendBucket(window.BucketStart(i), DurationStats.Of([.. detect[i]], detect[i].Count), DurationStats.Of([.. resolve[i]], resolve[i].Count));
        }
        var (byTactic, techniques) = Attack(tagged);
        return new SocReport(from, to, now, kpis, IncidentKpis.Compute(incidentsInRange, now),
            [.. rules.Values.OrderByDescending(r => r.Alerts).ThenBy(r => r.RuleId, StringComparer.Ordinal)
                .Select(r => new RuleQuality(r.RuleId, r.Title, r.Alerts, r.TruePositives, r.BenignPositives, r.FalsePositives))],
            [.. sources.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => new NamedCount(s.Key, s.Value))],
            byTactic, techniques, trend, Backlog.Of(open, now));
    }

    /// <summary>
    /// Whole buckets around [from, to) on UTC boundaries: hours for up to five days, days up to 120, then weeks, then
    /// 28 days. The first and last buckets may reach outside the range; only alerts inside it are counted.
    /// </summary>
    public static KpiWindow ChartWindow(DateTimeOffset from, DateTimeOffset to)
    {
        var bucket = BucketLengths.FirstOrDefault(b => (to - from).Ticks / b.Ticks < MaxBuckets, BucketLengths[^1]);
        var start = from.UtcTicks / bucket.Ticks * bucket.Ticks;
        var end = (to.UtcTicks + bucket.Ticks - 1) / bucket.Ticks * bucket.Ticks;
        return new KpiWindow(new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(end, TimeSpan.Zero), bucket);
    }

    /// <summary>Alerts per tactic (kill-chain order) and per technique, from the alerts counted per rule and tag list.</summary>
    private static (List<NamedCount> ByTactic, List<TechniqueFigures> Techniques) Attack(Dictionary<(string RuleId, string Tags), int> tagged)
    {
        var tactics = new Dictionary<string, int>(StringComparer.Ordinal);
        var techniques = new Dictionary<string, (SortedSet<string> Tactics, int Alerts, SortedSet<string> Rules)>(StringComparer.Ordinal);
        foreach (var ((ruleId, text), count) in tagged)
        {
            var tags = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var named = Tactics.Of(tags).Distinct(StringComparer.Ordinal).ToList();
            foreach (var tactic in named)
            {
                tactics[tactic] = tactics.GetValueOrDefault(tactic) + count;
            }
            foreach (var tag in tags.Where(IsTechnique).Distinct(StringComparer.Ordinal))
            {
                var id = tag[7..].ToUpperInvariant();
                if (!techniques.TryGetValue(id, out var figures))
                {
                    figures = (new SortedSet<string>(Comparer<string>.Create((a, b) => Tactics.Stage(a).CompareTo(Tactics.Stage(b)))), 0, new SortedSet<string>(StringComparer.Ordinal));
                }
                figures.Tactics.UnionWith(named);
                figures.Rules.Add(ruleId);
                techniques[id] = (figures.Tactics, figures.Alerts + count, figures.Rules);
            }
        }
        return (
            [.. tactics.OrderBy(t => Tactics.Stage(t.Key)).Select(t => new NamedCount(t.Key, t.Value))],
            [.. techniques.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new TechniqueFigures(t.Key, [.. t.Value.Tactics], t.Value.Alerts, [.. t.Value.Rules]))]);
    }

    /// <summary>attack.t1234 or attack.t1234.567 (lower case: the store keeps ATT&amp;CK tags lowered).</summary>
    public static bool IsTechnique(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var id = tag.AsSpan();
        if (!id.StartsWith("attack.t", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        id = id[8..];
        return (id.Length == 4 && IsDigits(id)) || (id.Length == 8 && IsDigits(id[..4]) && id[4] == '.' && IsDigits(id[5..]));
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    private sealed class RuleTally(string ruleId, string title)
    {
        public string RuleId { get; } = ruleId;

        public string Title { get; } = title;

        public int Alerts { get; set; }

        public int TruePositives { get; set; }

        public int BenignPositives { get; set; }

        public int FalsePositives { get; set; }
    }
}
