using System.Globalization;
using Vedette.Detection.Matching;
using Vedette.Detection.Rules;
using Vedette.Domain;

namespace Vedette.Detection.Correlation;

/// <summary>
/// One event in a window, or several repeats merged: its time (the latest of them), the input rule it came from,
/// how many events it stands for, the sum of their measured numbers, and the measured text (value_count).
/// </summary>
internal readonly record struct Entry(long Ticks, int Input, long Weight, double Sum, string? Text)
{
    /// <summary>Windows are ordered by time, then by input, so that simultaneous events count as in rule order.</summary>
    public bool IsBefore(in Entry other) => Ticks < other.Ticks || (Ticks == other.Ticks && Input < other.Input);

    /// <summary><paramref name="older"/> folded into this one: this one's time, input and text, both weights and sums.</summary>
    public Entry Absorb(in Entry older) => this with { Weight = Weight + older.Weight, Sum = Sum + older.Sum };
}

/// <summary>Keeps the measured quantity of a set of entries as entries come and (for sliding windows) go.</summary>
internal abstract class Accumulator
{
    public abstract double Value { get; }

    public abstract void Add(in Entry entry);

    public abstract void Remove(in Entry entry);

    public abstract void Clear();
}

/// <summary>What a correlation type measures, and which repeats may share an entry without changing it.</summary>
internal sealed class Measure(CorrelationRule rule)
{
    private static readonly StringComparer Values = StringComparer.OrdinalIgnoreCase;

    private readonly long _span = rule.Timespan.Ticks;

    public CorrelationType Type { get; } = rule.Type;

    public Accumulator NewAccumulator() => Type switch
    {
        CorrelationType.EventCount => new EventCounter(),
        CorrelationType.ValueCount => new DistinctCounter(Values),
        CorrelationType.Temporal => new RuleCounter(rule.Rules.Count),
        CorrelationType.TemporalOrdered => new Sequence(rule.Rules.Count, _span),
        CorrelationType.ValueSum => new Summer(average: false),
        CorrelationType.ValueAvg => new Summer(average: true),
        CorrelationType.ValuePercentile => new Percentile(rule.Condition.Percentile ?? 50),
        _ => new Percentile(50),
    };

    /// <summary>
    /// Whether <paramref name="next"/>, arriving right after <paramref name="last"/>, may merge into it without changing
    /// any measure the window can take. Where only presence counts (values, rules) the later time stands for both;
    /// where time counts (sliding counts and sums) only simultaneous events merge.
    /// </summary>
    public bool CanMerge(in Entry last, in Entry next, bool sliding) => Type switch
    {
        CorrelationType.ValueCount => Values.Equals(last.Text, next.Text),
        CorrelationType.Temporal or CorrelationType.TemporalOrdered => last.Input == next.Input,
        CorrelationType.EventCount or CorrelationType.ValueSum => !sliding || last.Ticks == next.Ticks,
        CorrelationType.ValueAvg => true,
        _ => last.Sum / last.Weight == next.Sum,
    };

    /// <summary>Reads what the event contributes; false when it lacks the measured field (or, for numbers, holds none there).</summary>
    public bool TryRead(Event e, FieldRef[] valueFields, out double number, out string? text)
    {
        number = 0;
        text = null;
        if (valueFields.Length == 0)
        {
            return true;
        }
        if (Type == CorrelationType.ValueCount)
        {
            text = Key(e, valueFields);
            return text is not null;
        }
        return valueFields[0].TryGet(e, out var value) && value.Text is { } raw
            && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);
    }

    /// <summary>The values of several fields as one key ('\u001f' between them); null when one of them is missing or empty.</summary>
    public static string? Key(Event e, FieldRef[] fields)
    {
        if (fields.Length == 1)
        {
            return fields[0].TryGet(e, out var single) && single.Text is { Length: > 0 } text ? text : null;
        }
        var parts = new string[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            if (!fields[i].TryGet(e, out var value) || value.Text is not { Length: > 0 } text)
            {
                return null;
            }
            parts[i] = text;
        }
        return string.Join('\u001f', parts);
    }

    /// <summary>What was measured, in words: "12 events", "3 of 3 rules in order (a -> b -> c)", "a sum of 2048 bytes".</summary>
    public string Describe(double value, long events)
    {
        var field = string.Join("+", rule.Condition.Fields);
        var number = CorrelationCondition.Format(value);
        return Type switch
        {
            CorrelationType.EventCount => $"{number} events",
            CorrelationType.ValueCount => $"{number} distinct {field} values",
            CorrelationType.Temporal => $"{number} of {rule.Rules.Count} rules ({string.Join(", ", rule.Rules)})",
            CorrelationType.TemporalOrdered => $"{number} of {rule.Rules.Count} rules in order ({string.Join(" -> ", rule.Rules)})",
            CorrelationType.ValueSum => $"a sum of {number} {field} over {events} events",
            CorrelationType.ValueAvg => $"an average {field} of {number} over {events} events",
            CorrelationType.ValuePercentile => $"a {CorrelationCondition.Format(rule.Condition.Percentile ?? 50)}th percentile {field} of {number} over {events} events",
            _ => $"a median {field} of {number} over {events} events",
        };
    }

    private sealed class EventCounter : Accumulator
    {
        private long _count;

        public override double Value => _count;

        public override void Add(in Entry entry) => _count += entry.Weight;

        public override void Remove(in Entry entry) => _count -= entry.Weight;

        public override void Clear() => _count = 0;
    }

    /// <summary>Distinct texts, with how many entries hold each, so that expiring one entry keeps a value others still hold.</summary>
    private sealed class DistinctCounter(StringComparer comparer) : Accumulator
    {
        private readonly Dictionary<string, int> _entries = new(comparer);

        public override double Value => _entries.Count;

        public override void Add(in Entry entry) =>
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_entries, entry.Text!, out _)++;

        public override void Remove(in Entry entry)
        {
            if (--System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_entries, entry.Text!) == 0)
            {
                _entries.Remove(entry.Text!);
            }
        }

        public override void Clear() => _entries.Clear();
    }

    /// <summary>temporal: how many of the rules have an event in the window.</summary>
    private sealed class RuleCounter(int rules) : Accumulator
    {
        private readonly long[] _entries = new long[rules];
        private int _present;

        public override double Value => _present;

        public override void Add(in Entry entry)
        {
            if (_entries[entry.Input]++ == 0)
            {
                _present++;
            }
        }

        public override void Remove(in Entry entry)
        {
            if (--_entries[entry.Input] == 0)
            {
                _present--;
            }
        }

        public override void Clear()
        {
            Array.Clear(_entries);
            _present = 0;
        }
    }

    /// <summary>
    /// temporal_ordered: the longest run of the rules, in the order written, whose events follow one another in time and
    /// fit in the timespan. Entries must come in time order; for each step it keeps the latest time a run reaching
    /// that step can have started, so old entries need not be removed: a run that started too early fails the span
    /// test when it is extended.
    /// </summary>
    private sealed class Sequence(int rules, long span) : Accumulator
    {
        private readonly long[] _latestStart = NewStarts(rules);
        private int _longest;

        public override double Value => _longest;

        public override void Add(in Entry entry)
        {
            var step = entry.Input;
            long start;
            if (step == 0)
            {
                start = entry.Ticks;
            }
            else if (_latestStart[step - 1] is var previous && previous != long.MinValue && entry.Ticks - previous <= span)
            {
                start = previous;
            }
            else
            {
                return;
            }
            _latestStart[step] = Math.Max(_latestStart[step], start);
            _longest = Math.Max(_longest, step + 1);
        }

        public override void Remove(in Entry entry)
        {
            // Nothing to undo: see the summary.
        }

        public override void Clear()
        {
            Array.Fill(_latestStart, long.MinValue);
            _longest = 0;
        }

        private static long[] NewStarts(int rules)
        {
            var starts = new long[rules];
            Array.Fill(starts, long.MinValue);
            return starts;
        }
    }

    private sealed class Summer(bool average) : Accumulator
    {
        private double _sum;
        private long _events;

        public override double Value => average ? (_events == 0 ? double.NaN : _sum / _events) : _sum;

        public override void Add(in Entry entry)
        {
            _sum += entry.Sum;
            _events += entry.Weight;
        }

        public override void Remove(in Entry entry)
        {
            _sum -= entry.Sum;
            _events -= entry.Weight;
        }

        public override void Clear()
        {
            _sum = 0;
            _events = 0;
        }
    }

    /// <summary>The p-th percentile, interpolated linearly between the two nearest ranks (as numpy and most SIEMs do).</summary>
    private sealed class Percentile(double percentile) : Accumulator
    {
        private readonly List<(double Value, long Weight)> _values = [];

        public override double Value
        {
            get
            {
                long total = 0;
                foreach (var (_, weight) in _values)
                {
                    total += weight;
                }
                if (total == 0)
                {
                    return double.NaN;
                }
                _values.Sort(static (a, b) => a.Value.CompareTo(b.Value));
                var rank = percentile / 100 * (total - 1);
                var lower = (long)Math.Floor(rank);
                var below = At(lower);
                return below + ((rank - lower) * (At(Math.Min(lower + 1, total - 1)) - below));
            }
        }

        public override void Add(in Entry entry) => _values.Add((entry.Sum / entry.Weight, entry.Weight));

        // Percentiles are taken over whole closed windows only (a percentile can fall as well as rise).
        public override void Remove(in Entry entry) => throw new NotSupportedException("a percentile is measured over a closed window");

        public override void Clear() => _values.Clear();

        private double At(long rank)
        {
            foreach (var (value, weight) in _values)
            {
                if (rank < weight)
                {
                    return value;
                }
                rank -= weight;
            }
            return _values[^1].Value;
        }
    }
}
