using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vedette.Detection.Plan;

/// <summary>
/// Finds literals by their rarest three characters, then checks each hit against the whole literal. A literal's
/// prefix is a poor thing to look for: "event::clear" starts like every "EventID" field, while ":cl" is rare
/// (rarity judged by <see cref="CommonBigrams"/>). A few fragments go to a vectorised search (Teddy: the BCL's
/// for characters, <see cref="ByteTeddy"/> for UTF-8 as written, which then needs no widening); more would crowd
/// its eight buckets and turn every position into a candidate, so larger sets test each
/// position's three characters against a 64-kilobit filter of the fragments, positions independent of each
/// other, where an automaton's steps wait on each other. The filter also serves short values, which the BCL's
/// vectorised search handles a position at a time.
/// </summary>
internal sealed class RareFragments
{
    /// <summary>Up to this many fragments, two a Teddy bucket, the BCL's vectorised search rarely stops on a non-match.</summary>
    private const int VectorisedFragments = 16;

    private const int FragmentLength = 3;

    private readonly Dictionary<int, Occurrence[]> _byKey;
    private readonly SearchValues<string>? _vectorised;
    private readonly ByteTeddy? _teddy;
    private readonly ulong[]? _filter;

    private RareFragments(Dictionary<string, List<Occurrence>> byFragment, bool shortValues)
    {
        _byKey = byFragment.ToDictionary(p => Key(p.Key[0], p.Key[1], p.Key[2]), p => p.Value.ToArray());
        if (byFragment.Count <= VectorisedFragments)
        {
            _vectorised = SearchValues.Create([.. byFragment.Keys], StringComparison.OrdinalIgnoreCase);
            _teddy = ByteTeddy.TryBuild([.. byFragment.Keys]);
        }
        if (_vectorised is null || shortValues)
        {
            _filter = new ulong[(1 << 16) / 64];
            foreach (var fragment in byFragment.Keys)
            {
                var hash = Hash(Codes[(byte)fragment[0]], Codes[(byte)fragment[1]], Codes[(byte)fragment[2]]);
                _filter[hash >> 6] |= 1UL << (int)hash;
            }
        }
    }

    /// <summary>
    /// Every literal of three characters or more with its fragment; null when one is shorter or has no ASCII
    /// fragment. <paramref name="shortValues"/>: values under <see cref="NeedleSearch.LongText"/> will be searched
    /// too.
    /// </summary>
    public static RareFragments? TryBuild(IReadOnlyList<string> needles, bool shortValues = false)
    {
        var byFragment = new Dictionary<string, List<Occurrence>>(StringComparer.Ordinal);
        for (var id = 0; id < needles.Count; id++)
        {
            var folded = string.Create(needles[id].Length, needles[id], static (span, needle) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = NeedleSearch.Fold(needle[i]);
                }
            });
            if (folded.Length < FragmentLength || Rarest(folded) is not { } offset)
            {
                return null;
            }
            var fragment = folded.Substring(offset, FragmentLength);
            if (!byFragment.TryGetValue(fragment, out var occurrences))
            {
                byFragment[fragment] = occurrences = [];
            }
            occurrences.Add(new Occurrence(folded, offset, id));
        }
        return new RareFragments(byFragment, shortValues);
    }

    /// <summary>
    /// A literal as a JSON writer spells it inside a string when it escapes only backslash and quote. Searching a
    /// value so written for literals so spelled finds exactly what searching the decoded value finds: a spelling
    /// cannot begin on an escape's second character unless it is all backslashes, and a run of backslashes that
    /// long is in the decoded value too (the test reads both ways).
    /// </summary>
    public static string SpellWritten(string literal) =>
        literal.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    /// <summary>Adds the id of every literal occurring in <paramref name="text"/> to <paramref name="found"/> (possibly more than once).</summary>
    public void FindAll(ReadOnlySpan<char> text, List<int> found)
    {
        if (_vectorised is not null && (_filter is null || text.Length >= NeedleSearch.LongText))
        {
            FindVectorised(_vectorised, text, found);
        }
        else
        {
            FindFiltered(_filter!, text, found);
        }
    }

    private void FindVectorised(SearchValues<string> fragments, ReadOnlySpan<char> text, List<int> found)
    {
        var position = 0;
        while (position + FragmentLength <= text.Length)
        {
            var at = text[position..].IndexOfAny(fragments);
            if (at < 0)
            {
                return;
            }
            position += at;
            Check(text, position, found);
            position++;
        }
    }

    /// <summary>
    /// Searches a JSON string as written, in its UTF-8 bytes (the literals are ASCII; other bytes can match none of
    /// them). Only the vectorised search needs the text widened to UTF-16.
    /// </summary>
    public void FindAll(ReadOnlySpan<byte> written, PlanScratch scratch, List<int> found)
    {
        if (_vectorised is not null && (_filter is null || written.Length >= NeedleSearch.LongText))
        {
            var sink = new Candidates(this, written, found);
            if (_teddy is null || !_teddy.FindCandidates(written, ref sink))
            {
                FindVectorised(_vectorised, scratch.Widen(written), found);
            }
        }
        else
        {
            FindFiltered(_filter!, written, found);
        }
    }

    /// <summary>Checks the byte search's candidate positions against the fragments and their literals.</summary>
    private readonly ref struct Candidates(RareFragments fragments, ReadOnlySpan<byte> text, List<int> found) : ByteTeddy.ICandidateSink
    {
        private readonly ReadOnlySpan<byte> _text = text;

        public void At(int position) => fragments.Check(_text, position, found);
    }

    private void FindFiltered<T>(ulong[] filter, ReadOnlySpan<T> text, List<int> found)
        where T : unmanaged, IBinaryInteger<T>
    {
        // Fewer than one position in a hundred passes the filter: the scan runs in its own method until one does, as
        // a call in its loop would make the JIT spill the rolling codes at every position.
        for (var i = NextPass(filter, text, FragmentLength - 1); i >= 0; i = NextPass(filter, text, i + 1))
        {
            Check(text, i - 2, found);
        }
    }

    /// <summary>The first position from <paramref name="from"/> on whose fragment (ending there) passes the filter, or -1.</summary>
    private static int NextPass<T>(ulong[] filter, ReadOnlySpan<T> text, int from)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (from >= text.Length)
        {
            return -1;
        }
        // Per position three table reads' worth of work, none of it branching on the text: the codes fold case.
        ref var codes = ref MemoryMarshal.GetArrayDataReference(Codes);
        ref var bits = ref MemoryMarshal.GetArrayDataReference(filter);
        var a = Unsafe.Add(ref codes, (int)(byte)uint.CreateTruncating(text[from - 2]));
        var b = Unsafe.Add(ref codes, (int)(byte)uint.CreateTruncating(text[from - 1]));
        for (var i = from; i < text.Length; i++)
        {
            var c = Unsafe.Add(ref codes, (int)(byte)uint.CreateTruncating(text[i]));
            var hash = Hash(a, b, c);
            if ((Unsafe.Add(ref bits, (int)(hash >> 6)) & (1UL << (int)hash)) != 0)
            {
                return i;
            }
            a = b;
            b = c;
        }
        return -1;
    }

    /// <summary>
    /// A candidate position from any of the searches: adds the literals whose fragment is the one starting at
    /// <paramref name="position"/> (if it is one) and which occur around it.
    /// </summary>
    private void Check<T>(ReadOnlySpan<T> text, int position, List<int> found)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (!_byKey.TryGetValue(Key(FoldAt(text, position), FoldAt(text, position + 1), FoldAt(text, position + 2)), out var occurrences))
        {
            return;
        }
        foreach (var occurrence in occurrences)
        {
            var start = position - occurrence.Offset;
            var literal = occurrence.Literal;
            if (start >= 0 && start + literal.Length <= text.Length && EqualsFolded(text.Slice(start, literal.Length), literal))
            {
                found.Add(occurrence.Id);
            }
        }
    }

    private static bool EqualsFolded<T>(ReadOnlySpan<T> text, string folded)
        where T : unmanaged, IBinaryInteger<T>
    {
        for (var i = 0; i < folded.Length; i++)
        {
            if (FoldAt(text, i) != folded[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Where the literal's rarest ASCII fragment starts; null when it has none.</summary>
    private static int? Rarest(string folded)
    {
        int? best = null;
        var bestScore = -1;
        for (var offset = 0; offset + FragmentLength <= folded.Length; offset++)
        {
            var window = folded.AsSpan(offset, FragmentLength);
            if (!System.Text.Ascii.IsValid(window))
            {
                continue;
            }
            var score = CommonBigrams.Rank(window[0], window[1]) + CommonBigrams.Rank(window[1], window[2]);
            if (score > bestScore)
            {
                bestScore = score;
                best = offset;
            }
        }
        return best;
    }

    private static char FoldAt<T>(ReadOnlySpan<T> text, int at)
        where T : unmanaged, IBinaryInteger<T> => (char)NeedleSearch.Fold(uint.CreateTruncating(text[at]));

    private static int Key(char a, char b, char c) => (a << 16) ^ (b << 8) ^ c;


    /// <summary>The filter's hash of three characters' codes: 16 bits.</summary>
    private static uint Hash(uint a, uint b, uint c) => (BitOperations.RotateLeft(a, 2) ^ BitOperations.RotateLeft(b, 1) ^ c) >> 16;

    /// <summary>
    /// A random code per byte value (tabulation hashing), upper and lower case sharing one. Characters beyond a byte
    /// share their low byte's code: only how often the filter passes depends on it, never what is found.
    /// </summary>
    private static readonly uint[] Codes = MakeCodes();

    private static uint[] MakeCodes()
    {
        var random = new Random(0x5EED);
        var codes = new uint[256];
        for (var c = 0; c < codes.Length; c++)
        {
            codes[c] = (uint)random.NextInt64(0, 1L << 32);
        }
        for (var c = 'A'; c <= 'Z'; c++)
        {
            codes[c] = codes[c | 0x20];
        }
        return codes;
    }

    private sealed record Occurrence(string Literal, int Offset, int Id);
}
