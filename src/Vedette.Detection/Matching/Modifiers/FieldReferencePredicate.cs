using Vedette.Domain;

namespace Vedette.Detection.Matching.Modifiers;

/// <summary>
/// The fieldref modifier: a field compared with another field of the same event, equal by default, or starting,
/// ending or containing it with startswith, endswith, contains. Case-insensitive unless cased. Either field absent
/// or null means no match; a list field matches when one of its items does.
/// </summary>
internal sealed class FieldReferencePredicate(FieldRef field, FieldRef other, bool startsWith, bool endsWith, StringComparison comparison) : IEventPredicate
{
    public bool Matches(Event e)
    {
        if (!field.TryGet(e, out var value) || value.IsNull || !other.TryGet(e, out var reference) || reference.IsNull)
        {
            return false;
        }
        if (value.Text is { } text && reference.Text is { } scalar)
        {
            return Compare(text, scalar);
        }
        // Lists are rare here; Items allocates for a scalar, which this path accepts.
        foreach (var wanted in reference.Items)
        {
            foreach (var item in value.Items)
            {
                if (Compare(item, wanted))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private bool Compare(string text, string wanted) => (startsWith, endsWith) switch
    {
        (true, true) => text.Contains(wanted, comparison),
        (true, false) => text.StartsWith(wanted, comparison),
        (false, true) => text.EndsWith(wanted, comparison),
        _ => string.Equals(text, wanted, comparison),
    };

    public override string ToString() => $"{field} {(startsWith, endsWith) switch { (true, true) => "contains", (true, false) => "startswith", (false, true) => "endswith", _ => "=" }} field {other}";
}
