using System.Text;
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
    /// <summary>
    /// A costly field (a call trace, a script block) may gate only when the bucket's rules look for this many
    /// literals in it: then one pass over it beats each rule searching it on its own.
    /// </summary>
    private const int LiteralsWorthASearch = 16;

    /// <summary>The literal index tracks searched fields in a 64-bit mask.</summary>
    private const int MaxSearchedFields = 64;

    private readonly Candidate[] _candidates;
    private readonly int[] _alwaysEvaluated;
    private readonly SearchedField[] _fields;
    private readonly int[] _needlesPerField;

    /// <summary>Keyword gates: searched in every string value of the event.</summary>
    private readonly SearchedField? _keywords;

    /// <summary>The same keyword gates, spelled as they appear in raw JSON, when they are all ASCII.</summary>
    private readonly SearchedField? _rawKeywords;

    public CandidateGroup(IReadOnlyList<Candidate> candidates)
    {
        var literals = new Dictionary<FieldRef, List<string>>();
        foreach (var candidate in candidates)
        {
            CollectLiterals(candidate.Detection, literals);
        }
        bool Searchable(FieldRef field) =>
            field.Cost < Gate.NeverGateCost || (literals.TryGetValue(field, out var list) && list.Count >= LiteralsWorthASearch);
        var gates = candidates.Select(c => Gate.Of(c.Detection, Searchable)).ToArray();
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
        _rawKeywords = _keywords is not null && keywords.Needles.All(SpelledPredictablyInJson) ? keywords.BuildJsonSpellings() : null;
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
            var raw = e.RawJson;
            if (_rawKeywords is not null && !raw.IsEmpty)
            {
                // One scan of the record as written, instead of decoding every value: the literals are ASCII, and
                // their JSON-escaped spellings are searched too.
                _rawKeywords.Search.FindAll(raw, scratch, found);
                Mark(_rawKeywords, found, marks, stamp, marked);
            }
            else
            {
                e.ForEachString((_keywords.Search, found), static (state, text) => state.Search.FindAll(text, state.found));
                Mark(_keywords, found, marks, stamp, marked);
            }
        }
        var index = scratch.Literals;
        index.Reset(_needlesPerField);
        for (var slot = 0; slot < _fields.Length; slot++)
        {
            var searched = _fields[slot];
            index.MarkSearched(slot);
            FieldValue value;
            ReadOnlySpan<byte> written = default;
            var present = searched.Written is null
                ? searched.Field!.TryGet(e, out value)
                : searched.Field!.TryGetAsWritten(e, minWritten: 1, out value, out written);
            found.Clear();
            if (!written.IsEmpty)
            {
                // The value as written: searched without decoding it, and decoded later only if a rule asks.
                searched.Written!.FindAll(written, scratch, found);
            }
            else if (!present || value.IsNull)
            {
                continue;
            }
            else if (value.Text is { } text)
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

    /// <summary>
    /// Whether every JSON writer spells the literal in one of the ways searched for: printable ASCII, without the
    /// characters some writers escape as \u00XX (' + &lt; &gt; &amp; `).
    /// </summary>
    private static bool SpelledPredictablyInJson(string literal)
    {
        foreach (var c in literal)
        {
            if (c is < ' ' and not ('\t' or '\n' or '\r') || c > '~' || c is '\'' or '+' or '<' or '>' or '&' or '`')
            {
                return false;
            }
        }
        return true;
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
                    if (Gate.LiteralsOf(matcher) is { } found)
                    {
                        if (!literals.TryGetValue(field.Field, out var list))
                        {
                            literals[field.Field] = list = [];
                        }
                        list.AddRange(found);
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
        // Cheap conditions first: an AND stops at the first that fails, so the order decides the cost, not the result.
        AndPredicate and => new AndPredicate([.. and.Parts.Select(p => Rewrite(p, slots, builders)).OrderBy(Cost)]),
        OrPredicate or => new OrPredicate([.. or.Parts.Select(p => Rewrite(p, slots, builders))]),
        NotPredicate not => new NotPredicate(Rewrite(not.Inner, slots, builders)),
        _ => predicate,
    };

    private static PrefilteredFieldPredicate Prefiltered(FieldPredicate field, int slot, FieldBuilder builder)
    {
        var needles = new int[field.Values.Length][];
        var foundIsMatch = new bool[field.Values.Length];
        for (var i = 0; i < field.Values.Length; i++)
        {
            var matcher = field.Values[i];
            // Only literals the search looks for can be read from the index: it searches for the gates' literals.
            if (Gate.LiteralsOf(matcher) is { } literals && literals.All(builder.Has))
            {
                needles[i] = [.. literals.Select(builder.Id)];
                // Found case-insensitively is exactly what a case-insensitive "contains" asks.
                foundIsMatch[i] = matcher is ContainsMatcher { Comparison: StringComparison.OrdinalIgnoreCase }
                    or Matching.Modifiers.ContainsAnyMatcher { Comparison: StringComparison.OrdinalIgnoreCase };
            }
            else
            {
                needles[i] = [];
            }
        }
        return new PrefilteredFieldPredicate(field, slot, needles, foundIsMatch);
    }

    /// <summary>A rough cost of evaluating a predicate, for ordering the parts of an AND.</summary>
    private static int Cost(IEventPredicate predicate) => predicate switch
    {
        PrefilteredFieldPredicate => 1,
        FieldPredicate field => field.Field.Cost * (field.Values.Any(v => v is RegexMatcher) ? 20 : 1 + (field.Values.Length / 8)),
        KeywordPredicate => 100,
        AndPredicate and => and.Parts.Sum(Cost),
        OrPredicate or => or.Parts.Sum(Cost),
        NotPredicate not => Cost(not.Inner),
        _ => 2,
    };

    /// <summary>Collects one searched field's literals: gate literals own candidates, the others only fill the index.</summary>
    private sealed class FieldBuilder(FieldRef? field)
    {
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
        private readonly List<List<int>> _owners = [];

        public List<string> Needles { get; } = [];

        public bool Has(string needle) => _ids.ContainsKey(needle);

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

        /// <summary>
        /// The search, and when every literal is ASCII (a non-ASCII one would be spelled in UTF-8) a second one over
        /// values as written in the record, with the literals spelled as JSON writes them.
        /// </summary>
        public SearchedField Build() => new(
            field,
            new NeedleSearch(Needles),
            [.. _owners.Select(o => o.ToArray())],
            Needles.All(n => System.Text.Ascii.IsValid(n)) ? RareFragments.TryBuild([.. Needles.Select(RareFragments.SpellWritten)], shortValues: true) : null);

        /// <summary>
        /// The literals as a JSON writer may spell them inside a string (backslash and quote escaped, slashes
        /// optionally escaped, as Suricata writes them), each owning what the plain literal owns.
        /// </summary>
        public SearchedField BuildJsonSpellings()
        {
            var spellings = new List<string>();
            var owners = new List<int[]>();
            for (var id = 0; id < Needles.Count; id++)
            {
                var owned = id < _owners.Count ? _owners[id].ToArray() : [];
                var escaped = RareFragments.SpellWritten(Needles[id])
                    .Replace("\t", "\\t", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
                foreach (var spelling in new[] { escaped, escaped.Replace("/", "\\/", StringComparison.Ordinal) }.Distinct(StringComparer.Ordinal))
                {
                    spellings.Add(spelling);
                    owners.Add(owned);
                }
            }
            return new(field, new NeedleSearch(spellings), [.. owners], Written: null);
        }
    }

    private sealed record SearchedField(FieldRef? Field, NeedleSearch Search, int[][] Owners, RareFragments? Written);
}

/// <summary>Per-detector working memory for the plan (the plan itself is shared and immutable).</summary>
internal sealed class PlanScratch
{
    private int[] _marks = new int[256];
    private int _stamp;

    public List<int> Found { get; } = [];

    public List<int> Marked { get; } = [];

    /// <summary>Channels as written, with their buckets in the plan, for the events that follow.</summary>
    public ChannelMemo Channels { get; } = new();

    public LiteralIndex Literals { get; } = new();

    private char[] _wide = new char[4096];

    /// <summary>The bytes as Latin-1 characters: ASCII stays itself, so ASCII literals can be searched in raw UTF-8.</summary>
    public ReadOnlySpan<char> Widen(ReadOnlySpan<byte> bytes)
    {
        if (_wide.Length < bytes.Length)
        {
            _wide = new char[Math.Max(bytes.Length, _wide.Length * 2)];
        }
        var count = Encoding.Latin1.GetChars(bytes, _wide);
        return _wide.AsSpan(0, count);
    }

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

/// <summary>
/// The last few channels met, as written, and their buckets (null: none) in one plan. OTRF interleaves three or
/// four channels, one event in eight changing channel: each is decoded and hashed once, and nothing is allocated
/// per event. Bounded: past eight channels the oldest is forgotten.
/// </summary>
internal sealed class ChannelMemo
{
    private const int Size = 8;

    private readonly byte[][] _written = new byte[Size][];
    private readonly EvaluationPlan.ChannelBucket?[] _buckets = new EvaluationPlan.ChannelBucket?[Size];
    private EvaluationPlan? _plan;
    private int _count;
    private int _next;

    public bool TryGet(EvaluationPlan plan, ReadOnlySpan<byte> written, out EvaluationPlan.ChannelBucket? bucket)
    {
        if (ReferenceEquals(plan, _plan))
        {
            for (var i = 0; i < _count; i++)
            {
                if (written.SequenceEqual(_written[i]))
                {
                    bucket = _buckets[i];
                    return true;
                }
            }
        }
        bucket = null;
        return false;
    }

    public void Add(EvaluationPlan plan, ReadOnlySpan<byte> written, EvaluationPlan.ChannelBucket? bucket)
    {
        if (!ReferenceEquals(plan, _plan))
        {
            _plan = plan;
            _count = 0;
            _next = 0;
        }
        _written[_next] = written.ToArray();
        _buckets[_next] = bucket;
        _next = (_next + 1) % Size;
        _count = Math.Min(_count + 1, Size);
    }
}
