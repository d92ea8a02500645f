using System.Globalization;

namespace Vedette.Detection.Rules;

/// <summary>The correlation types of Sigma 2.1, and pySigma's value_median.</summary>
public enum CorrelationType
{
    EventCount,
    ValueCount,
    Temporal,
    TemporalOrdered,
    ValueSum,
    ValueAvg,
    ValuePercentile,
    ValueMedian,
}

/// <summary>
/// When a correlation matches: the measured quantity (events, distinct values, rules, sum, average, percentile)
/// compared with every bound given; several bounds are a range (all must hold).
/// </summary>
public sealed record CorrelationCondition
{
    public double? Gt { get; init; }

    public double? Gte { get; init; }

    public double? Lt { get; init; }

    public double? Lte { get; init; }

    public double? Eq { get; init; }

    public double? Neq { get; init; }

    /// <summary>The field (value_count: fields, all together) the measure is taken of; empty for event_count and temporal.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    /// <summary>value_percentile: which percentile (0–100).</summary>
    public double? Percentile { get; init; }

    /// <summary>
    /// Only lower bounds: once the measure reaches them, more events cannot undo it, so a hit can be raised the
    /// moment it happens. Any upper bound, equality or inequality needs the whole window.
    /// </summary>
    public bool IsLowerBoundOnly => (Gt is not null || Gte is not null) && Lt is null && Lte is null && Eq is null && Neq is null;

    public bool IsMet(double value) =>
        (Gt is not { } gt || value > gt) && (Gte is not { } gte || value >= gte) && (Lt is not { } lt || value < lt)
        && (Lte is not { } lte || value <= lte) && (Eq is not { } eq || value == eq) && (Neq is not { } neq || value != neq);

    public override string ToString()
    {
        var parts = new List<string>(2);
        Add(parts, ">", Gt);
        Add(parts, ">=", Gte);
        Add(parts, "<", Lt);
        Add(parts, "<=", Lte);
        Add(parts, "=", Eq);
        Add(parts, "!=", Neq);
        return string.Join(" and ", parts);
    }

    internal static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static void Add(List<string> parts, string symbol, double? bound)
    {
        if (bound is { } value)
        {
            parts.Add($"{symbol} {Format(value)}");
        }
    }
}

/// <summary>A Sigma correlation rule as written (its referenced rules are resolved when the rule set is built).</summary>
public sealed record CorrelationRule(
    RuleMetadata Meta,
    CorrelationType Type,
    IReadOnlyList<string> Rules,
    IReadOnlyList<string> GroupBy,
    TimeSpan Timespan,
    CorrelationCondition Condition,
    bool Generate)
{
    /// <summary>`aliases`: alias name → (rule id or name → the field that holds the value in that rule's events).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Aliases { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);

    /// <summary>Types whose hits need the whole window whatever the condition: averages and percentiles go both ways.</summary>
    public bool DecidesAtWindowClose =>
        Type is CorrelationType.ValueAvg or CorrelationType.ValuePercentile or CorrelationType.ValueMedian || !Condition.IsLowerBoundOnly;
}
