using Vedette.Detection.Matching;
using Vedette.Domain;

namespace Vedette.Detection.Plan;

/// <summary>A rule variant in an index bucket: the logsource conditions the index did not already guarantee, and the detection.</summary>
internal sealed record Candidate(CompiledRule Rule, IEventPredicate? Residual, IEventPredicate Detection);

/// <summary>
/// The rules of one index bucket, with their prefilter. Per searched field, one multi-literal search over the
/// event's value finds every literal the bucket's rules look for in that field: the rules whose gate literal
/// occurs (and the rules without a gate) are evaluated, and their field conditions read the search's result
/// instead of searching again.
/// </summary>
internal sealed class CandidateGroup
{
    /// <summary>A field worth one search per event even without a gate: enough literals across the bucket's rules.</summary>
    private const int LiteralsWorthASearch = 4;

    /// <summary>The literal index tracks searched fields in a 64-bit mask.</summary>
    private const int MaxSearchedFields = 64;

    private readonly Candidate[] _candidates;
    private readonly int[] _alwaysEvaluated;
    private readonly SearchedField[] _fields;
    private readonly int[] _needlesPerField;

    /// <summary>Keyword gates: searched in every string value of the event.</summary>
    private readonly SearchedField? _keywords;

    public CandidateGroup(IReadOnlyList<Candidate> candidates)
    {
        var gates = candidates.Select(c => Gate.Of(c.Detection)).ToArray();
        var literals = new Dictionary<FieldRef, List<string>>();
        foreach (var candidate in candidates)
        {
            CollectLiterals(candidate.Detection, literals);
        }
        var searched = new List<FieldRef>();
        foreach (var gate in gates.OfType<Gate>())
        {
            foreach (var (field, _) in gate.Needles)
            {
                if (field is not null && !searched.Contains(field))
                {
                    searched.Add(field);
                }
            }
        }
        searched.AddRange(literals.Where(l => l.Value.Count >= LiteralsWorthASearch && !searched.Contains(l.Key)).Select(l => l.Key));
        // Past the mask's width a field keeps its gate role through ordinary evaluation (no literal reuse, still correct).
        var slots = searched.Take(MaxSearchedFields).Select((field, slot) => (field, slot)).ToDictionary(p => p.field, p => p.slot);

        var builders = searched.Take(MaxSearchedFields).Select(field => new FieldBuilder(field)).ToList();
        var keywords = new FieldBuilder(null);
        var ungated = new List<int>();
        for (var i = 0; i < candidates.Count; i++)
        {
            if (gates[i] is not { } gate || gate.Needles.Any(n => n.Field is not null && !slots.ContainsKey(n.Field)))
            {
                ungated.Add(i);
                continue;
            }
            foreach (var (field, needle) in gate.Needles)
            {
                (field is null ? keywords : builders[slots[field]]).Own(needle, i);
            }
        }
        _candidates = [.. candidates.Select(c => c with { Detection = Rewrite(c.Detection, slots, builders) })];
        _alwaysEvaluated = [.. ungated];
        _fields = [.. builders.Select(b => b.Build())];
        _needlesPerField = [.. builders.Select(b => b.Needles.Count)];
        _keywords = keywords.Needles.Count == 0 ? null : keywords.Build();
        Gated = _candidates.Length - _alwaysEvaluated.Length;
    }

    public int Count => _candidates.Length;

    /// <summary>How many of the rules have a prefilter gate.</summary>
    public int Gated { get; }

    public void Evaluate(Event e, List<CompiledRule> matches, PlanScratch scratch)
    {
        var marks = scratch.Marks(_candidates.Length, out var stamp);
        var found = scratch.Found;
        var marked = scratch.Marked;
        marked.Clear();
        if (_keywords is not null)
        {
            found.Clear();
            e.ForEachString((_keywords.Search, found), static (state, text) => state.Search.FindAll(text, state.found));
            Mark(_keywords, found, marks, stamp, marked);
        }
        var index = scratch.Literals;
        index.Reset(_needlesPerField);
        for (var slot = 0; slot < _fields.Length; slot++)
        {
            var searched = _fields[slot];
            index.MarkSearched(slot);
            if (!searched.Field!.TryGet(e, out var value) || value.IsNull)
            {
                continue;
            }
            found.Clear();
            if (value.Text is { } text)
            {
                searched.Search.FindAll(text, found);
            }
            else
            {
                foreach (var item in value.Items)
                {
                    searched.Search.FindAll(item, found);
                }
            }
            foreach (var needle in found)
            {
                index.Found(slot, needle);
            }
            Mark(searched, found, marks, stamp, marked);
        }
        // Load order within a bucket; evaluating in that order keeps alerts deterministic.
        if (marked.Count > 1)
        {
            marked.Sort();
        }
        e.DetectionState = index;
        try
        {
            foreach (var i in _alwaysEvaluated)
            {
                Evaluate(_candidates[i], e, matches);
            }
            foreach (var i in marked)
            {
                Evaluate(_candidates[i], e, matches);
            }
        }
        finally
        {
            e.DetectionState = null;
        }
    }

    private static void Evaluate(Candidate candidate, Event e, List<CompiledRule> matches)
    {
        if ((candidate.Residual is null || candidate.Residual.Matches(e)) && candidate.Detection.Matches(e))
        {
            matches.Add(candidate.Rule);
        }
    }

    private static void Mark(SearchedField searched, List<int> found, int[] marks, int stamp, List<int> marked)
    {
        foreach (var needle in found)
        {
            if (needle >= searched.Owners.Length)
            {
                continue;
            }
            foreach (var candidate in searched.Owners[needle])
            {
                if (marks[candidate] != stamp)
                {
                    marks[candidate] = stamp;
                    marked.Add(candidate);
                }
            }
        }
    }

    private static void CollectLiterals(IEventPredicate predicate, Dictionary<FieldRef, List<string>> literals)
    {
        switch (predicate)
        {
            case FieldPredicate field:
                foreach (var matcher in field.Values)
                {
                    if (Gate.LiteralOf(matcher) is { } literal)
                    {
                        if (!literals.TryGetValue(field.Field, out var list))
                        {
                            literals[field.Field] = list = [];
                        }
                        list.Add(literal);
                    }
                }
                break;
            case AndPredicate and:
                foreach (var part in and.Parts)
                {
                    CollectLiterals(part, literals);
                }
                break;
            case OrPredicate or:
                foreach (var part in or.Parts)
                {
                    CollectLiterals(part, literals);
                }
                break;
            case NotPredicate not:
                CollectLiterals(not.Inner, literals);
                break;
        }
    }

    /// <summary>Rebuilds a detection so that conditions on searched fields read the literal index.</summary>
    private static IEventPredicate Rewrite(IEventPredicate predicate, Dictionary<FieldRef, int> slots, List<FieldBuilder> builders) => predicate switch
    {
        FieldPredicate field when slots.TryGetValue(field.Field, out var slot) => Prefiltered(field, slot, builders[slot]),
        AndPredicate and => new AndPredicate([.. and.Parts.Select(p => Rewrite(p, slots, builders))]),
        OrPredicate or => new OrPredicate([.. or.Parts.Select(p => Rewrite(p, slots, builders))]),
        NotPredicate not => new NotPredicate(Rewrite(not.Inner, slots, builders)),
        _ => predicate,
    };

    private static PrefilteredFieldPredicate Prefiltered(FieldPredicate field, int slot, FieldBuilder builder)
    {
        var needles = new int[field.Values.Length];
        var foundIsMatch = new bool[field.Values.Length];
        for (var i = 0; i < field.Values.Length; i++)
        {
            var matcher = field.Values[i];
            if (Gate.LiteralOf(matcher) is { } literal)
            {
                needles[i] = builder.Id(literal);
                // Found case-insensitively is exactly what a case-insensitive "contains" asks.
                foundIsMatch[i] = matcher is ContainsMatcher { Comparison: StringComparison.OrdinalIgnoreCase };
            }
            else
            {
                needles[i] = -1;
            }
        }
        return new PrefilteredFieldPredicate(field, slot, needles, foundIsMatch);
    }

    /// <summary>Collects one searched field's literals: gate literals own candidates, the others only fill the index.</summary>
    private sealed class FieldBuilder(FieldRef? field)
    {
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
        private readonly List<List<int>> _owners = [];

        public List<string> Needles { get; } = [];

        public int Id(string needle)
        {
            if (!_ids.TryGetValue(needle, out var id))
            {
                id = _ids[needle] = Needles.Count;
                Needles.Add(needle);
            }
            return id;
        }

        public void Own(string needle, int candidate)
        {
            var id = Id(needle);
            while (_owners.Count <= id)
            {
                _owners.Add([]);
            }
            if (!_owners[id].Contains(candidate))
            {
                _owners[id].Add(candidate);
            }
        }

        public SearchedField Build() => new(field, new NeedleSearch(Needles), [.. _owners.Select(o => o.ToArray())]);
    }

    private sealed record SearchedField(FieldRef? Field, NeedleSearch Search, int[][] Owners);
}

/// <summary>Per-detector working memory for the plan (the plan itself is shared and immutable).</summary>
internal sealed class PlanScratch
{
    private int[] _marks = new int[256];
    private int _stamp;

    public List<int> Found { get; } = [];

    public List<int> Marked { get; } = [];

    public LiteralIndex Literals { get; } = new();

    /// <summary>A mark array at least <paramref name="size"/> long and a fresh stamp: entries equal to it are marked in this round.</summary>
    public int[] Marks(int size, out int stamp)
    {
        if (_marks.Length < size)
        {
            _marks = new int[Math.Max(size, _marks.Length * 2)];
            _stamp = 0;
        }
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_marks);
            _stamp = 1;
        }
        stamp = _stamp;
        return _marks;
    }
}
