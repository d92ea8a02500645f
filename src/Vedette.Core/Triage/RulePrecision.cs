using System.Globalization;
using Vedette.Domain;
using Vedette.Storage;

namespace Vedette.Triage;

/// <summary>How verdicts become a rule's precision estimate and its fidelity points.</summary>
public sealed record RulePrecisionOptions
{
    /// <summary>
    /// The Beta prior, as pseudo-verdicts: Beta(2, 2) says "about as often right as wrong" and weighs as much as four
    /// verdicts, so a handful of closes cannot swing a rule to either end.
    /// </summary>
    public double PriorHits { get; init; } = 2;

    public double PriorMisses { get; init; } = 2;

    /// <summary>A verdict counts half as much this long after it was given: rules and environments change.</summary>
    public TimeSpan HalfLife { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Below this many verdicts (after decay) a rule gets no fidelity points: too little to go on.</summary>
    public double MinimumSample { get; init; } = 10;

    /// <summary>Points for a rule whose alerts are never attacks (precision 0) …</summary>
    public int MostPenalty { get; init; } = -30;

    /// <summary>… and for one whose alerts always are (precision 1); the prior's own precision gets 0.</summary>
    public int MostBonus { get; init; } = 10;

    /// <summary>
    /// Verdicts older than this weigh less than a thousandth of a new one (ten half-lives): reading them changes nothing.
    /// </summary>
    public TimeSpan Horizon => HalfLife * 10;
}

/// <summary>What analysts' verdicts say about one rule, at the time the estimate was built.</summary>
/// <param name="TruePositives">Analyst verdicts, each alert counted once (its own verdict, else its incident's).</param>
/// <param name="SystemClosed">Alerts the system closed and no analyst judged: shown, never learned from.</param>
/// <param name="Weight">The verdicts' total weight after decay: the effective sample size.</param>
/// <param name="Precision">Posterior mean of "an alert of this rule is a real attack".</param>
/// <param name="Part">The score part for the rule's alerts; null while <paramref name="Weight"/> is under the minimum.</param>
public sealed record RuleEstimate(
    string RuleId,
    int TruePositives,
    int BenignPositives,
    int FalsePositives,
    int SystemClosed,
    double Weight,
    double Precision,
    ScorePart? Part)
{
    public int Verdicts => TruePositives + BenignPositives + FalsePositives;
}

/// <summary>
/// Per-rule precision learned from analysts' verdicts: an immutable snapshot, built from the store's verdicts at one
/// moment and replaced by a new one, never changed.
/// </summary>
/// <remarks>
/// Precision is "an alert of this rule is a real attack". A true positive is a hit; a false positive and a benign
/// positive are both misses: the queue is for attacks, and a benign positive (a real admin running the flagged tool)
/// is real activity that needed no response. Each verdict is weighted by exponential decay with its age, the posterior
/// is Beta(prior + hits, prior + misses), and its mean maps linearly to points: from <see cref="RulePrecisionOptions.MostPenalty"/>
/// at 0 through 0 at the prior's mean to <see cref="RulePrecisionOptions.MostBonus"/> at 1. The system's automatic
/// closes are never counted: learning from them would let the system confirm its own decisions. An incident's verdict
/// applies to each of its alerts that has no analyst verdict of its own.
/// </remarks>
public sealed class RulePrecision
{
    private readonly Dictionary<string, RuleEstimate> _rules;

    private RulePrecision(RulePrecisionOptions options, DateTimeOffset asOf, Dictionary<string, RuleEstimate> rules)
    {
        Options = options;
        AsOf = asOf;
        _rules = rules;
    }

    public static RulePrecision Empty { get; } = new(new RulePrecisionOptions(), DateTimeOffset.MinValue, new(StringComparer.Ordinal));

    public RulePrecisionOptions Options { get; }

    /// <summary>The "now" verdict ages were measured from.</summary>
    public DateTimeOffset AsOf { get; }

    /// <summary>Every rule with at least one verdict (analyst or system), by rule id.</summary>
    public IReadOnlyDictionary<string, RuleEstimate> Rules => _rules;

    public RuleEstimate? For(string ruleId) => _rules.GetValueOrDefault(ruleId);

    public static RulePrecision Build(IEnumerable<RuleVerdict> verdicts, DateTimeOffset now, RulePrecisionOptions? options = null)
    {
        options ??= new RulePrecisionOptions();
        if (options.PriorHits <= 0 || options.PriorMisses <= 0 || options.HalfLife <= TimeSpan.Zero || options.MinimumSample < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options, "the prior must be positive, the half-life above zero and the minimum sample not negative");
        }

        var byAlert = Resolve(verdicts);
        var tallies = new Dictionary<string, Tally>(StringComparer.Ordinal);
        foreach (var (ruleId, analyst, systemClosed) in byAlert.Values)
        {
            var tally = Tally.Of(tallies, ruleId);
            if (analyst is null)
            {
                // Only the system closed it: shown in the statistics, never learned from.
                tally.SystemClosed += systemClosed ? 1 : 0;
                continue;
            }
            var weight = Weight(now - analyst.At, options.HalfLife);
            tally.Weight += weight;
            switch (analyst.Verdict)
            {
                case Verdict.TruePositive:
                    tally.TruePositives++;
                    tally.Hits += weight;
                    break;
                case Verdict.BenignPositive:
                    tally.BenignPositives++;
                    break;
                default:
                    tally.FalsePositives++;
                    break;
            }
        }

        var rules = new Dictionary<string, RuleEstimate>(tallies.Count, StringComparer.Ordinal);
        foreach (var (ruleId, tally) in tallies)
        {
            var precision = (options.PriorHits + tally.Hits) / (options.PriorHits + options.PriorMisses + tally.Weight);
            var part = tally.Weight >= options.MinimumSample && tally.Weight > 0
                ? new ScorePart("rule fidelity", Points(precision, options), Reason(tally, precision, options))
                : null;
            rules[ruleId] = new RuleEstimate(ruleId, tally.TruePositives, tally.BenignPositives, tally.FalsePositives, tally.SystemClosed, tally.Weight, precision, part);
        }
        return new RulePrecision(options, now, rules);
    }

    /// <summary>The analyst verdict that counts for each alert: its own, else its incident's (the newest of a kind).</summary>
    public static IReadOnlyList<RuleVerdict> AnalystVerdicts(IEnumerable<RuleVerdict> verdicts)
    {
        var analyst = new List<RuleVerdict>();
        foreach (var (_, verdict, _) in Resolve(verdicts).Values)
        {
            if (verdict is not null)
            {
                analyst.Add(verdict);
            }
        }
        return analyst;
    }

    /// <summary>The prior's mean, where a rule gets no points either way.</summary>
    public static double Neutral(RulePrecisionOptions options) => options.PriorHits / (options.PriorHits + options.PriorMisses);

    /// <summary>Linear from the most penalty at 0 through 0 at the prior's mean to the most bonus at 1.</summary>
    public static int Points(double precision, RulePrecisionOptions options)
    {
        var neutral = Neutral(options);
        var points = precision >= neutral
            ? options.MostBonus * (precision - neutral) / (1 - neutral)
            : options.MostPenalty * (neutral - precision) / neutral;
        return (int)Math.Round(points, MidpointRounding.AwayFromZero);
    }

    /// <summary>One entry per alert: the analyst verdict that counts for it (if any) and whether the system closed it.</summary>
    private static Dictionary<Guid, (string RuleId, RuleVerdict? Analyst, bool SystemClosed)> Resolve(IEnumerable<RuleVerdict> verdicts)
    {
        var byAlert = new Dictionary<Guid, (string RuleId, RuleVerdict? Analyst, bool SystemClosed)>();
        foreach (var verdict in verdicts)
        {
            var (_, analyst, systemClosed) = byAlert.GetValueOrDefault(verdict.AlertId);
            if (verdict.IsSystem)
            {
                systemClosed = true;
            }
            else if (analyst is null || (analyst.ViaIncident && !verdict.ViaIncident) || (analyst.ViaIncident == verdict.ViaIncident && verdict.At > analyst.At))
            {
                analyst = verdict;
            }
            byAlert[verdict.AlertId] = (verdict.RuleId, analyst, systemClosed);
        }
        return byAlert;
    }

    private static double Weight(TimeSpan age, TimeSpan halfLife) =>
        age <= TimeSpan.Zero ? 1 : Math.Pow(0.5, age / halfLife);

    private static string Reason(Tally tally, double precision, RulePrecisionOptions options)
    {
        var count = tally.TruePositives + tally.BenignPositives + tally.FalsePositives;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"precision {precision:0.00} from {count} analyst verdict{(count == 1 ? "" : "s")} ({tally.TruePositives} TP, {tally.BenignPositives + tally.FalsePositives} FP/BP");
        if (count - tally.Weight >= 0.05)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; weight {tally.Weight:0.#} after decay");
        }
        return text + string.Create(CultureInfo.InvariantCulture, $"), half-life {HalfLifeText(options.HalfLife)}");
    }

    private static string HalfLifeText(TimeSpan halfLife) =>
        halfLife.Ticks % TimeSpan.TicksPerDay == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{halfLife.TotalDays:0}d")
            : string.Create(CultureInfo.InvariantCulture, $"{halfLife.TotalHours:0.#}h");

    private sealed class Tally
    {
        public int TruePositives;
        public int BenignPositives;
        public int FalsePositives;
        public int SystemClosed;
        public double Hits;
        public double Weight;

        public static Tally Of(Dictionary<string, Tally> tallies, string ruleId)
        {
            if (!tallies.TryGetValue(ruleId, out var tally))
            {
                tally = new Tally();
                tallies[ruleId] = tally;
            }
            return tally;
        }
    }
}

/// <summary>The learned fidelity the risk scorer asks for: one precomputed score part per rule with enough verdicts.</summary>
public sealed class RuleFidelity(RulePrecision precision) : IRuleFidelity
{
    public RulePrecision Precision { get; } = precision;

    public ScorePart? For(string ruleId) => Precision.For(ruleId)?.Part;

    /// <summary>Reads the verdicts that still weigh something and builds the estimate as of now.</summary>
    public static async Task<RuleFidelity> LoadAsync(IStore store, TimeProvider time, RulePrecisionOptions? options, CancellationToken cancellationToken)
    {
        options ??= new RulePrecisionOptions();
        var now = time.GetUtcNow();
        var verdicts = await store.ReadVerdictsAsync(now - options.Horizon, cancellationToken);
        return new RuleFidelity(RulePrecision.Build(verdicts, now, options));
    }
}
