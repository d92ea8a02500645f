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

    /// <summary>
    /// Fields this costly to search (long call traces, script blocks) gate only where their bucket searches them
    /// anyway for many literals: a rule with one literal there is cheaper to evaluate directly, cheap conditions first.
    /// </summary>
    public const int NeverGateCost = 8;

    private Gate(List<(FieldRef? Field, string Needle)> needles) => Needles = needles;

    /// <summary>Field and literal pairs; a null field means "any string field" (keyword searches).</summary>
    public List<(FieldRef? Field, string Needle)> Needles { get; }

    /// <summary>The weakest needle: a gate is as selective as its shortest literal.</summary>
    private int Shortest => Needles.Min(n => n.Needle.Length);

    /// <summary>Selectivity per unit of search cost: long literals in cheap fields make the best gates.</summary>
    private double Score => (double)Shortest / Needles.Max(n => n.Field?.Cost ?? NeverGateCost);

    /// <summary>A gate for the predicate, or null when nothing guarantees a literal (negations, regexes, numbers).</summary>
    public static Gate? Of(IEventPredicate predicate) => Of(predicate, static field => field.Cost < NeverGateCost);

    /// <summary>A gate using only fields the caller will search (<paramref name="searched"/>).</summary>
    public static Gate? Of(IEventPredicate predicate, Func<FieldRef, bool> searched)
    {
        switch (predicate)
        {
            case FieldPredicate field:
                return searched(field.Field) ? OfValues(field.Field, field.Values, field.All) : null;
            case KeywordPredicate keyword:
                return OfValues(null, keyword.Values, keyword.All);
            case AndPredicate and:
                Gate? best = null;
                foreach (var part in and.Parts)
                {
                    if (Of(part, searched) is { } gate && (best is null || Better(gate, best)))
                    {
                        best = gate;
                    }
                }
                return best;
            case OrPredicate or:
                var union = new List<(FieldRef?, string)>();
                foreach (var part in or.Parts)
                {
                    if (Of(part, searched) is not { } gate)
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
            if (LiteralsOf(matcher) is not { } literals)
            {
                // One value without a usable literal can match on its own (unless all values must): no gate from "any of".
                if (!all)
                {
                    return null;
                }
                continue;
            }
            if (all && literals.Length > 1)
            {
                // Under |all this value must match, so one of its alternatives must occur: a gate of its own, not addable to the others'.
                continue;
            }
            needles.AddRange(literals.Select(literal => (field, literal)));
        }
        if (needles.Count == 0)
        {
            return null;
        }
        // With |all every literal must occur, so any one of them is necessary: keep the longest, the most selective.
        return all ? new Gate([needles.MaxBy(n => n.Item2.Length)]) : new Gate(needles);
    }

    /// <summary>
    /// The lower-cased literals a matcher needs, one of which any matching value contains; null when it needs none
    /// a search can find (numbers, networks, regular expressions without a leading literal).
    /// </summary>
    public static string[]? LiteralsOf(IValueMatcher matcher)
    {
        switch (matcher)
        {
            case EqualsMatcher m:
                return Usable(m.Value);
            case StartsWithMatcher m:
                return Usable(m.Value);
            case EndsWithMatcher m:
                return Usable(m.Value);
            case ContainsMatcher m:
                return Usable(m.Value);
            case WildcardMatcher m:
                return Usable(m.LongestLiteral);
            case RegexMatcher m:
                return Usable(m.Literal);
            case Matching.Modifiers.ContainsAnyMatcher m:
                return All(m.Values.Select(Usable));
            case Matching.Modifiers.AnyOfMatcher m when m.Alternatives.Length > 0:
                return All(m.Alternatives.Select(LiteralsOf));
            default:
                return null;
        }
    }

    private static string[]? Usable(string? literal) =>
        literal is not null && literal.Length >= MinimumNeedle && (Ascii.IsValid(literal) || Caseless.Is(literal)) ? [literal.ToLowerInvariant()] : null;

    private static string[]? All(IEnumerable<string[]?> parts)
    {
        var all = new List<string>();
        foreach (var part in parts)
        {
            if (part is null)
            {
                return null;
            }
            all.AddRange(part);
        }
        return all.Count == 0 ? null : [.. all.Distinct(StringComparer.Ordinal)];
    }

    private static bool Better(Gate candidate, Gate current) =>
        candidate.Score > current.Score || (candidate.Score == current.Score && candidate.Needles.Count < current.Needles.Count);
}
