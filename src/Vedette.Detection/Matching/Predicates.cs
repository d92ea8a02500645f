using Vedette.Domain;

namespace Vedette.Detection.Matching;

/// <summary>A compiled part of a rule's detection: true or false for one event.</summary>
internal interface IEventPredicate
{
    bool Matches(Event e);
}

internal sealed class AndPredicate(IEventPredicate[] parts) : IEventPredicate
{
    public IEventPredicate[] Parts => parts;

    public bool Matches(Event e)
    {
        foreach (var part in parts)
        {
            if (!part.Matches(e))
            {
                return false;
            }
        }
        return true;
    }
}

internal sealed class OrPredicate(IEventPredicate[] parts) : IEventPredicate
{
    public IEventPredicate[] Parts => parts;

    public bool Matches(Event e)
    {
        foreach (var part in parts)
        {
            if (part.Matches(e))
            {
                return true;
            }
        }
        return false;
    }
}

internal sealed class NotPredicate(IEventPredicate inner) : IEventPredicate
{
    public IEventPredicate Inner => inner;

    public bool Matches(Event e) => !inner.Matches(e);
}

internal sealed class ConstantPredicate(bool value) : IEventPredicate
{
    public static ConstantPredicate True { get; } = new(true);

    public bool Matches(Event e) => value;
}

/// <summary>
/// One field against a list of values: any value matches (or all, with the "all" modifier). A field holding a
/// list matches when one of its items does.
/// </summary>
internal sealed class FieldPredicate(FieldRef field, IValueMatcher[] values, bool all) : IEventPredicate
{
    public FieldRef Field => @field;

    public IValueMatcher[] Values => values;

    public bool All => all;

    /// <summary>The values the field must equal (case-insensitively, as written) for a match; null when the matchers are not plain equalities.</summary>
    public IReadOnlyList<string>? ExactValues()
    {
        if (all && values.Length > 1)
        {
            return null;
        }
        var exact = new List<string>(values.Length);
        foreach (var matcher in values)
        {
            if (matcher is not EqualsMatcher equals)
            {
                return null;
            }
            exact.Add(equals.Value);
        }
        return exact;
    }

    public bool Matches(Event e)
    {
        if (!field.TryGet(e, out var value) || value.IsNull)
        {
            return false;
        }
        if (all)
        {
            foreach (var matcher in values)
            {
                if (!AnyItem(value, matcher))
                {
                    return false;
                }
            }
            return true;
        }
        foreach (var matcher in values)
        {
            if (AnyItem(value, matcher))
            {
                return true;
            }
        }
        return false;
    }

    internal static bool AnyItem(FieldValue value, IValueMatcher matcher)
    {
        if (value.Text is { } text)
        {
            return matcher.Matches(text);
        }
        foreach (var item in value.Items)
        {
            if (matcher.Matches(item))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>`field: null` — the field is absent, or present with no value.</summary>
internal sealed class NullPredicate(FieldRef field) : IEventPredicate
{
    public bool Matches(Event e) => !field.TryGet(e, out var value) || value.IsNull || value.Text is { Length: 0 };
}

/// <summary>The exists modifier.</summary>
internal sealed class ExistsPredicate(FieldRef field, bool expected) : IEventPredicate
{
    public bool Matches(Event e) => field.TryGet(e, out _) == expected;
}

/// <summary>Keyword (field-less) search: a value matches if it occurs in any string field of the event.</summary>
internal sealed class KeywordPredicate(IValueMatcher[] values, bool all) : IEventPredicate
{
    public IValueMatcher[] Values => values;

    public bool All => all;

    public bool Matches(Event e)
    {
        if (all)
        {
            foreach (var matcher in values)
            {
                if (!AnyField(e, matcher))
                {
                    return false;
                }
            }
            return true;
        }
        foreach (var matcher in values)
        {
            if (AnyField(e, matcher))
            {
                return true;
            }
        }
        return false;
    }

    private static bool AnyField(Event e, IValueMatcher matcher)
    {
        var found = false;
        e.ForEachString(matcher, (m, text) => found |= !found && m.Matches(text));
        return found;
    }
}

/// <summary>
/// A field name resolved against the log shapes Vedette knows: the name as written first, then where other
/// shapes nest it (Event.EventData.X, winlog.event_data.X). "$source" is the event's source kind.
/// </summary>
internal sealed class FieldRef(string name, string[] candidates, int cost = 1)
{
    public string Name { get; } = name;

    /// <summary>How expensive the field's values are to search, relative to a short field (mappings/fields.yml search-cost).</summary>
    public int Cost { get; } = cost;

    /// <summary>The field names tried in order, interned (the event lookup compares references); empty for "$source".</summary>
    public string[] Candidates { get; } = [.. candidates.Select(string.Intern)];

    /// <summary>Per candidate, the slot it was found in last (see <see cref="FieldTable"/>): a guess, racy by design.</summary>
    private readonly int[] _hints = [.. candidates.Select(_ => -1)];

    public bool TryGet(Event e, out FieldValue value)
    {
        var names = Candidates;
        if (names.Length == 0)
        {
            value = FieldValue.String(e.Source);
            return true;
        }
        for (var i = 0; i < names.Length; i++)
        {
            if (e.TryGetInterned(names[i], ref _hints[i], out value))
            {
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>Like <see cref="TryGet"/>, but a string or number may come back as written in the record (see <see cref="Event.TryGetAsWritten"/>).</summary>
    public bool TryGetAsWritten(Event e, int minWritten, out FieldValue value, out ReadOnlySpan<byte> written)
    {
        written = default;
        if (Candidates.Length == 0)
        {
            return TryGet(e, out value);
        }
        for (var i = 0; i < Candidates.Length; i++)
        {
            if (e.TryGetAsWritten(Candidates[i], minWritten, ref _hints[i], out value, out written))
            {
                return true;
            }
        }
        value = default;
        return false;
    }

    public override string ToString() => Name;
}
