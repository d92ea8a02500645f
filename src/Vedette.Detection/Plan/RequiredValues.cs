using Vedette.Detection.Matching;

namespace Vedette.Detection.Plan;

/// <summary>
/// Reads off a compiled detection which values a field must have for it to match at all (EventID: 4624 or 4625),
/// so the plan can index the rule by them. Null means "no such guarantee".
/// </summary>
internal static class RequiredValues
{
    public static IReadOnlyList<string>? Of(IEventPredicate predicate, string field) => predicate switch
    {
        FieldPredicate f when f.Field.Name == field => f.ExactValues(),
        AndPredicate and => and.Parts.Select(p => Of(p, field)).FirstOrDefault(v => v is not null),
        OrPredicate or => Union(or.Parts, field),
        _ => null,
    };

    private static List<string>? Union(IEventPredicate[] parts, string field)
    {
        var all = new List<string>();
        foreach (var part in parts)
        {
            if (Of(part, field) is not { } values)
            {
                return null;
            }
            all.AddRange(values);
        }
        return [.. all.Distinct(StringComparer.Ordinal)];
    }
}
