using System.Text;
using Vedette.Detection.Matching;

namespace Vedette.Detection.Plan;

/// <summary>
/// A necessary condition of a detection, read off its compiled tree: it can only match when one of these fields
/// contains one of these literals (case-insensitively). The prefilter tests all gates of a bucket with one
/// multi-pattern search per field, so most rules are never evaluated on an event that cannot match them.
/// </summary>
internal sealed class Gate
{
    /// <summary>Literals shorter than this occur in almost every value and would let every event through.</summary>
    public const int MinimumNeedle = 3;

    private Gate(List<(FieldRef? Field, string Needle)> needles) => Needles = needles;

    /// <summary>Field and literal pairs; a null field means "any string field" (keyword searches).</summary>
    public List<(FieldRef? Field, string Needle)> Needles { get; }

    /// <summary>The weakest needle: a gate is as selective as its shortest literal.</summary>
    private int Shortest => Needles.Min(n => n.Needle.Length);

    /// <summary>A gate for the predicate, or null when nothing guarantees a literal (negations, regexes, numbers).</summary>
    public static Gate? Of(IEventPredicate predicate)
    {
        switch (predicate)
        {
            case FieldPredicate field:
                return OfValues(field.Field, field.Values, field.All);
            case KeywordPredicate keyword:
                return OfValues(null, keyword.Values, keyword.All);
            case AndPredicate and:
                Gate? best = null;
                foreach (var part in and.Parts)
                {
                    if (Of(part) is { } gate && (best is null || Better(gate, best)))
                    {
                        best = gate;
                    }
                }
                return best;
            case OrPredicate or:
                var union = new List<(FieldRef?, string)>();
                foreach (var part in or.Parts)
                {
                    if (Of(part) is not { } gate)
                    {
                        return null;
                    }
                    union.AddRange(gate.Needles);
                }
                return new Gate(union);
            default:
                return null;
        }
    }

    private static Gate? OfValues(FieldRef? field, IValueMatcher[] values, bool all)
    {
        var needles = new List<(FieldRef?, string)>();
        foreach (var matcher in values)
        {
            if (LiteralOf(matcher) is not { } literal)
            {
                // One value without a usable literal can match on its own (unless all values must): no gate from "any of".
                if (!all)
                {
                    return null;
                }
                continue;
            }
            needles.Add((field, literal));
        }
        if (needles.Count == 0)
        {
            return null;
        }
        // With |all every literal must occur, so any one of them is necessary: keep the longest, the most selective.
        return all ? new Gate([needles.MaxBy(n => n.Item2.Length)]) : new Gate(needles);
    }

    /// <summary>The lower-cased literal a matcher tests for, when it is a plain literal test a search can find.</summary>
    public static string? LiteralOf(IValueMatcher matcher)
    {
        var literal = matcher switch
        {
            EqualsMatcher m => m.Value,
            StartsWithMatcher m => m.Value,
            EndsWithMatcher m => m.Value,
            ContainsMatcher m => m.Value,
            _ => null,
        };
        return literal is not null && literal.Length >= MinimumNeedle && Ascii.IsValid(literal) ? literal.ToLowerInvariant() : null;
    }

    private static bool Better(Gate candidate, Gate current) =>
        candidate.Shortest > current.Shortest || (candidate.Shortest == current.Shortest && candidate.Needles.Count < current.Needles.Count);
}
