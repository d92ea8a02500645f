namespace Vedette.Enrich.Intel.Sources;

/// <summary>One thing wrong in a feeds file: where, in which feed (when it is known), and what.</summary>
public sealed record FeedConfigError(string File, int Line, string? Feed, string Message)
{
    public override string ToString() => Feed is null ? $"{File}:{Line}: {Message}" : $"{File}:{Line}: feed '{Feed}': {Message}";
}

/// <summary>A feeds file that cannot be used, with everything wrong in it (not only the first mistake).</summary>
public sealed class FeedConfigException(IReadOnlyList<FeedConfigError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<FeedConfigError> Errors { get; } = errors;
}
