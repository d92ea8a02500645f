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

    /// <summary>Rules this one derives from, obsoletes, merges, renames or is similar to.</summary>
    public IReadOnlyList<RelatedRule> Related { get; init; } = [];

    public string? License { get; init; }

    public string? Date { get; init; }

    public string? Modified { get; init; }

    public required RuleSource Source { get; init; }
}

/// <summary>An entry of a rule's `related` list.</summary>
public sealed record RelatedRule(string Id, string Type);

/// <summary>A rule's logsource: which kind of log it is written for.</summary>
public sealed record LogSource(string? Product, string? Category, string? Service)
{
    public override string ToString() =>
        string.Join('/', new[] { Product, Category, Service }.Where(p => p is not null));
}
