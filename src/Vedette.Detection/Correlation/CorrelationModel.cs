namespace Vedette.Detection.Rules;

public enum CorrelationType
{
    EventCount,
    ValueCount,
}

/// <summary>A correlation's threshold: how many events (or distinct values of Field) make a hit.</summary>
public sealed record CorrelationCondition(long? Gt, long? Gte, long? Lt, long? Lte, long? Eq, string? Field)
{
    public bool IsMet(long count) =>
        (Gt is null || count > Gt) && (Gte is null || count >= Gte) && (Lt is null || count < Lt)
        && (Lte is null || count <= Lte) && (Eq is null || count == Eq);

    public override string ToString()
    {
        var parts = new List<string>();
        if (Gt is not null)
        {
            parts.Add($"> {Gt}");
        }
        if (Gte is not null)
        {
            parts.Add($">= {Gte}");
        }
        if (Lt is not null)
        {
            parts.Add($"< {Lt}");
        }
        if (Lte is not null)
        {
            parts.Add($"<= {Lte}");
        }
        if (Eq is not null)
        {
            parts.Add($"= {Eq}");
        }
        return string.Join(" and ", parts);
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
    bool Generate);
