using Vedette.Domain;

namespace Vedette.Detection.Rules;

/// <summary>Where a rule came from, for every message about it.</summary>
public readonly record struct RuleSource(string File, int Line)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}" : File;
}

/// <summary>A rule that could not be loaded, with the file, line and reason; loading goes on without it.</summary>
public sealed record RuleLoadError(RuleSource Source, string? RuleId, string Reason)
{
    public override string ToString() => RuleId is null ? $"{Source}: {Reason}" : $"{Source}: rule {RuleId}: {Reason}";
}

/// <summary>The metadata every Sigma rule (detection or correlation) carries.</summary>
public sealed record RuleMetadata
{
    public required string Id { get; init; }

    public string? Name { get; init; }

    public required string Title { get; init; }

    public string? Status { get; init; }

    public string? Description { get; init; }

    public Severity? Level { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyList<string> References { get; init; } = [];

    public IReadOnlyList<string> FalsePositives { get; init; } = [];

    public string? Author { get; init; }

    public string? Date { get; init; }

    public string? Modified { get; init; }

    public required RuleSource Source { get; init; }
}

/// <summary>A rule's logsource: which kind of log it is written for.</summary>
public sealed record LogSource(string? Product, string? Category, string? Service)
{
    public override string ToString() =>
        string.Join('/', new[] { Product, Category, Service }.Where(p => p is not null));
}

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
