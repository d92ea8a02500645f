using Vedette.Detection.Matching;
using Vedette.Domain;

namespace Vedette.Detection.Plan;

/// <summary>
/// Which literals each searched field of the current event contains, filled by one multi-literal search per field
/// and read by <see cref="PrefilteredFieldPredicate"/>: a rule's "CommandLine contains any of these 40 strings"
/// becomes 40 look-ups in this table instead of 40 substring searches.
/// </summary>
internal sealed class LiteralIndex
{
    private int[][] _found = [];
    private int _stamp;

    /// <summary>Starts a new event over <paramref name="fieldNeedles"/> fields, each with the given number of literals.</summary>
    public void Reset(int[] fieldNeedles)
    {
        if (_found.Length < fieldNeedles.Length)
        {
            Array.Resize(ref _found, fieldNeedles.Length);
        }
        for (var i = 0; i < fieldNeedles.Length; i++)
        {
            if (_found[i] is null || _found[i].Length < fieldNeedles[i])
            {
                _found[i] = new int[Math.Max(fieldNeedles[i], 16)];
            }
        }
        if (++_stamp == int.MaxValue)
        {
            foreach (var row in _found)
            {
                if (row is not null)
                {
                    Array.Clear(row);
                }
            }
            _stamp = 1;
        }
        Searched = 0;
    }

    /// <summary>Bit i set: field i was searched for this event (its row is valid).</summary>
    public ulong Searched { get; private set; }

    public void MarkSearched(int field) => Searched |= 1UL << field;

    public void Found(int field, int needle) => _found[field][needle] = _stamp;

    public bool Contains(int field, int needle) => _found[field][needle] == _stamp;
}

/// <summary>
/// A field condition whose literals were all searched for in one pass: each value is first looked up in the
/// event's <see cref="LiteralIndex"/>; only a literal that occurs is checked exactly (a prefix or suffix test, or
/// a case-sensitive comparison). Without an index (another caller) it behaves exactly as the original.
/// </summary>
internal sealed class PrefilteredFieldPredicate(FieldPredicate original, int field, int[][] needles, bool[] foundIsMatch) : IEventPredicate
{
    public bool Matches(Event e)
    {
        if (e.DetectionState is not LiteralIndex index || (index.Searched & (1UL << field)) == 0)
        {
            return original.Matches(e);
        }
        if (!original.Field.TryGet(e, out var value) || value.IsNull)
        {
            return false;
        }
        var matchers = original.Values;
        if (original.All)
        {
            for (var i = 0; i < matchers.Length; i++)
            {
                if (!Holds(index, value, matchers[i], i))
                {
                    return false;
                }
            }
            return true;
        }
        for (var i = 0; i < matchers.Length; i++)
        {
            if (Holds(index, value, matchers[i], i))
            {
                return true;
            }
        }
        return false;
    }

    private bool Holds(LiteralIndex index, FieldValue value, IValueMatcher matcher, int i)
    {
        var ids = needles[i];
        if (ids.Length > 0)
        {
            var any = false;
            foreach (var id in ids)
            {
                if (index.Contains(field, id))
                {
                    any = true;
                    break;
                }
            }
            if (!any)
            {
                return false;
            }
            if (foundIsMatch[i])
            {
                return true;
            }
        }
        return FieldPredicate.AnyItem(value, matcher);
    }
}
