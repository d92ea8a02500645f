namespace Vedette.Domain;

/// <summary>Sigma's levels, ordered so that a larger value is more severe.</summary>
public enum Severity
{
    Informational = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}

public static class SeverityNames
{
    /// <summary>Parses a Sigma level name (case-insensitive); the input boundary is the only place severities are strings.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Severity severity)
    {
        text = text.Trim();
        if (text.Equals("informational", StringComparison.OrdinalIgnoreCase) || text.Equals("info", StringComparison.OrdinalIgnoreCase))
        {
            severity = Severity.Informational;
            return true;
        }
        if (text.Equals("low", StringComparison.OrdinalIgnoreCase))
        {
            severity = Severity.Low;
            return true;
        }
        if (text.Equals("medium", StringComparison.OrdinalIgnoreCase))
        {
            severity = Severity.Medium;
            return true;
        }
        if (text.Equals("high", StringComparison.OrdinalIgnoreCase))
        {
            severity = Severity.High;
            return true;
        }
        if (text.Equals("critical", StringComparison.OrdinalIgnoreCase))
        {
            severity = Severity.Critical;
            return true;
        }
        severity = default;
        return false;
    }

    public static Severity Parse(string text) =>
        TryParse(text, out var severity)
            ? severity
            : throw new FormatException($"unknown severity '{text}': expected informational, low, medium, high or critical");

    public static string ToName(this Severity severity) => severity switch
    {
        Severity.Informational => "informational",
        Severity.Low => "low",
        Severity.Medium => "medium",
        Severity.High => "high",
        Severity.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, null),
    };
}
