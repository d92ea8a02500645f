using Vedette.Detection.Matching;
using Vedette.Detection.Rules;

namespace Vedette.Detection.Mappings;

/// <summary>
/// One way a logsource shows up in events: the field conditions that select its events, and the names its
/// events use for fields Sigma names differently (Security 4688 calls Sysmon's Image "NewProcessName").
/// </summary>
public sealed record LogSourceAlternative(IReadOnlyDictionary<string, string> Conditions, IReadOnlyDictionary<string, string> FieldRenames);

/// <summary>One entry of mappings/logsources.yml: a logsource and the alternatives that select its events.</summary>
public sealed record LogSourceMapping(LogSource LogSource, IReadOnlyList<LogSourceAlternative> Any);

/// <summary>Turns a rule's logsource into conditions on events, from data rather than code.</summary>
public sealed class LogSourceMap(IReadOnlyList<LogSourceMapping> mappings, bool sourceKindFallback)
{
    public IReadOnlyList<LogSourceMapping> Mappings { get; } = mappings;

    /// <summary>Whether logsources without an entry select events by source kind (see <see cref="FallbackKind"/>).</summary>
    public bool SourceKindFallback { get; } = sourceKindFallback;

    /// <summary>
    /// The mapping that names exactly the keys the rule names, with equal values; when none does, the source-kind
    /// fallback if it is on; null otherwise. A broader entry never stands in for a narrower one: a pipe_created
    /// rule must not see every Windows event.
    /// </summary>
    public LogSourceMapping? Find(LogSource rule)
    {
        foreach (var mapping in Mappings)
        {
            if (Same(mapping.LogSource.Product, rule.Product) && Same(mapping.LogSource.Category, rule.Category) && Same(mapping.LogSource.Service, rule.Service))
            {
                return mapping;
            }
        }
        if (!SourceKindFallback || FallbackKind(rule) is not { } kind)
        {
            return null;
        }
        return new LogSourceMapping(rule, [new LogSourceAlternative(new Dictionary<string, string> { ["$source"] = kind }, new Dictionary<string, string>())]);
    }

    /// <summary>
    /// The source kind that an unmapped logsource selects: its service (cloudtrail, okta, auditd), else its
    /// category prefixed by its product when it has one (macos/process_creation, webserver), else its product.
    /// Logs ingested with "source" set to that name reach those rules.
    /// </summary>
    public static string? FallbackKind(LogSource rule) =>
        rule.Service ?? (rule.Category is { } category ? rule.Product is { } product ? $"{product}/{category}" : category : rule.Product);

    internal static IEventPredicate Compile(IReadOnlyDictionary<string, string> conditions, FieldResolver fields)
    {
        var parts = conditions
            .Select(c => (IEventPredicate)new FieldPredicate(fields.Resolve(c.Key), [new EqualsMatcher(c.Value, StringComparison.OrdinalIgnoreCase)], all: false))
            .ToArray();
        return parts.Length == 1 ? parts[0] : new AndPredicate(parts);
    }

    private static bool Same(string? mapped, string? wanted) => string.Equals(mapped, wanted, StringComparison.OrdinalIgnoreCase);
}
