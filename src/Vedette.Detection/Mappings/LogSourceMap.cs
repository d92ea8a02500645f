using Vedette.Detection.Matching;
using Vedette.Detection.Rules;

namespace Vedette.Detection.Mappings;

/// <summary>One entry of mappings/logsources.yml: a logsource and the field conditions that select its events.</summary>
public sealed record LogSourceMapping(LogSource LogSource, IReadOnlyList<IReadOnlyDictionary<string, string>> Any);

/// <summary>Turns a rule's logsource into a condition on events, from data rather than code.</summary>
public sealed class LogSourceMap(IReadOnlyList<LogSourceMapping> mappings)
{
    public IReadOnlyList<LogSourceMapping> Mappings { get; } = mappings;

    /// <summary>
    /// The mapping that names exactly the keys the rule names, with equal values; null when none does. A broader
    /// entry never stands in for a narrower one: a pipe_created rule must not see every Windows event.
    /// </summary>
    public LogSourceMapping? Find(LogSource rule)
    {
        LogSourceMapping? best = null;
        var bestKeys = -1;
        foreach (var mapping in Mappings)
        {
            var keys = 0;
            if (!KeyMatches(mapping.LogSource.Product, rule.Product, ref keys)
                || !KeyMatches(mapping.LogSource.Category, rule.Category, ref keys)
                || !KeyMatches(mapping.LogSource.Service, rule.Service, ref keys))
            {
                continue;
            }
            var wanted = (rule.Product is null ? 0 : 1) + (rule.Category is null ? 0 : 1) + (rule.Service is null ? 0 : 1);
            if (keys == wanted && keys > bestKeys)
            {
                best = mapping;
                bestKeys = keys;
            }
        }
        return best;
    }

    internal static IEventPredicate Compile(LogSourceMapping mapping, FieldResolver fields)
    {
        var alternatives = mapping.Any
            .Select(conditions => (IEventPredicate)new AndPredicate([.. conditions.Select(c =>
                (IEventPredicate)new FieldPredicate(fields.Resolve(c.Key), [new EqualsMatcher(c.Value, StringComparison.OrdinalIgnoreCase)], all: false))]))
            .ToArray();
        return alternatives.Length == 1 ? alternatives[0] : new OrPredicate(alternatives);
    }

    private static bool KeyMatches(string? mapped, string? wanted, ref int keys)
    {
        if (mapped is null)
        {
            return true;
        }
        if (!string.Equals(mapped, wanted, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        keys++;
        return true;
    }
}
