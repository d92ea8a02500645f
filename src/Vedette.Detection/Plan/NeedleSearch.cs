using System.Buffers;

namespace Vedette.Detection.Plan;

/// <summary>
/// Finds which of many literals occur in a value, case-insensitively, in one pass. Short values (most of them:
/// image paths, registry keys) meet an Aho-Corasick automaton compiled to a dense transition table: one table
/// look-up per character, every occurrence found, however often literals repeat. Long values (command lines,
/// call traces, PowerShell context, the raw record for keywords) are searched for each literal's rarest three
/// characters instead (<see cref="RareFragments"/>): the automaton's table look-ups depend on each other, so
/// with a large table it waits on the cache at every character. Sets whose table would be too big use the BCL's
/// vectorised multi-string search to find candidate positions and a trie to name the literals there. Literals
/// are ASCII or caseless (the gate refuses others), so folding is ASCII lower-casing.
/// </summary>
internal sealed class NeedleSearch
{
    /// <summary>Transition tables above this many entries (16-bit states: 8 MB) fall back to the multi-string search.</summary>
    private const int MaxTableEntries = 1 << 22;

    /// <summary>
    /// Up to this many literals the BCL search is vectorised (Teddy): the automaton then jumps with it over text
    /// where no literal can start, and steps character by character only where one might.
    /// </summary>
    private const int VectorisedSkipNeedles = 64;

    /// <summary>From this length on, a value is searched by its literals' rare fragments when they can be.</summary>
    public const int LongText = 128;

    private readonly RareFragments? _fragments;
    private readonly Automaton? _automaton;
    private readonly SearchValues<string>? _any;
    private readonly List<Node> _nodes = [new Node()];

    public NeedleSearch(IReadOnlyList<string> needles)
    {
        for (var id = 0; id < needles.Count; id++)
        {
            var node = 0;
            foreach (var c in needles[id])
            {
                node = Child(node, Fold(c), create: true);
            }
            (_nodes[node].Ends ??= []).Add(id);
        }
        _automaton = Automaton.TryBuild(_nodes, MaxTableEntries);
        _fragments = RareFragments.TryBuild(needles);
        if (_automaton is null || needles.Count <= VectorisedSkipNeedles)
        {
            _any = SearchValues.Create([.. needles], StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>
    /// The same for ASCII literals in UTF-8 text (a raw record): long text is searched in its bytes, shorter text
    /// widened to characters (Latin-1, so that ASCII stays itself and no other byte can match).
    /// </summary>
    public void FindAll(ReadOnlySpan<byte> text, PlanScratch scratch, List<int> found)
    {
        if (text.Length >= LongText && _fragments is not null)
        {
            _fragments.FindAll(text, scratch, found);
            return;
        }
        FindAll(scratch.Widen(text), found);
    }

    /// <summary>Adds the id of every literal occurring in <paramref name="text"/> to <paramref name="found"/> (possibly more than once).</summary>
    public void FindAll(ReadOnlySpan<char> text, List<int> found)
    {
        if (text.Length >= LongText && _fragments is not null)
        {
            _fragments.FindAll(text, found);
            return;
        }
        if (_automaton is { } automaton)
        {
            automaton.FindAll(text, _any, found);
            return;
        }
        var offset = 0;
        while (offset < text.Length)
        {
            var at = text[offset..].IndexOfAny(_any!);
            if (at < 0)
            {
                return;
            }
            var start = offset + at;
            var node = 0;
            for (var i = start; i < text.Length; i++)
            {
                node = Child(node, Fold(text[i]), create: false);
                if (node < 0)
                {
                    break;
                }
                if (_nodes[node].Ends is { } ends)
                {
                    found.AddRange(ends);
                }
            }
            offset = start + 1;
        }
    }

    internal static char Fold(char c) => (char)Fold((uint)c);

    /// <summary>ASCII lower-casing without a branch: mixed-case text would mispredict one every few characters.</summary>
    internal static uint Fold(uint c) => c | ((c - 'A' < 26u ? 1u : 0u) << 5);

    private int Child(int node, char c, bool create)
    {
        var children = _nodes[node].Children;
        if (children is not null)
        {
            foreach (var (label, target) in children)
            {
                if (label == c)
                {
                    return target;
                }
            }
        }
        if (!create)
        {
            return -1;
        }
        _nodes.Add(new Node());
        (_nodes[node].Children ??= []).Add((c, _nodes.Count - 1));
        return _nodes.Count - 1;
    }

    private sealed class Node
    {
        public List<(char Label, int Target)>? Children { get; set; }

        public List<int>? Ends { get; set; }
    }

    /// <summary>The trie as a deterministic automaton over the literals' own characters (all others are one class).</summary>
    private sealed class Automaton
    {
        private readonly byte[] _ascii;
        private readonly Dictionary<char, int> _other;
        private readonly int _classes;
        private readonly ushort[] _next;
        private readonly int[] _outputStart;
        private readonly int[] _outputs;

        private Automaton(byte[] ascii, Dictionary<char, int> other, int classes, ushort[] next, int[] outputStart, int[] outputs)
        {
            _ascii = ascii;
            _other = other;
            _classes = classes;
            _next = next;
            _outputStart = outputStart;
            _outputs = outputs;
        }

        public static Automaton? TryBuild(List<Node> nodes, int maxEntries)
        {
            // Character classes: 0 for every character no literal has, one per distinct (folded) literal character.
            var ascii = new byte[128];
            var other = new Dictionary<char, int>();
            var classes = 1;
            foreach (var node in nodes)
            {
                foreach (var (label, _) in node.Children ?? [])
                {
                    if (label < 128 ? ascii[label] == 0 : !other.ContainsKey(label))
                    {
                        if (classes == 255)
                        {
                            return null;
                        }
                        if (label < 128)
                        {
                            ascii[label] = (byte)classes;
                        }
                        else
                        {
                            other[label] = classes;
                        }
                        classes++;
                    }
                }
            }
            // Upper-case ASCII letters share their lower-case class.
            for (var c = 'A'; c <= 'Z'; c++)
            {
                ascii[c] = ascii[c | 0x20];
            }
            if ((long)nodes.Count * classes > maxEntries || nodes.Count > ushort.MaxValue)
            {
                return null;
            }
            int ClassOf(char c) => c < 128 ? ascii[c] : other.GetValueOrDefault(c);

            // Breadth-first: failure links, then the full transition table and the outputs along failure chains.
            var next = new ushort[nodes.Count * classes];
            var fail = new int[nodes.Count];
            var order = new List<int>(nodes.Count) { 0 };
            for (var head = 0; head < order.Count; head++)
            {
                var state = order[head];
                var children = nodes[state].Children ?? [];
                for (var cls = 0; cls < classes; cls++)
                {
                    next[(state * classes) + cls] = state == 0 ? (ushort)0 : next[(fail[state] * classes) + cls];
                }
                foreach (var (label, target) in children)
                {
                    var cls = ClassOf(label);
                    fail[target] = state == 0 ? 0 : next[(fail[state] * classes) + cls];
                    next[(state * classes) + cls] = (ushort)target;
                    order.Add(target);
                }
            }
            var outputStart = new int[nodes.Count + 1];
            var outputs = new List<int>();
            var perState = new List<int>[nodes.Count];
            foreach (var state in order)
            {
                var list = new List<int>(nodes[state].Ends ?? []);
                if (state != 0)
                {
                    list.AddRange(perState[fail[state]]);
                }
                perState[state] = list;
            }
            for (var state = 0; state < nodes.Count; state++)
            {
                outputStart[state] = outputs.Count;
                outputs.AddRange(perState[state]);
            }
            outputStart[nodes.Count] = outputs.Count;
            return new Automaton(ascii, other, classes, next, outputStart, [.. outputs]);
        }

        public void FindAll(ReadOnlySpan<char> text, SearchValues<string>? skip, List<int> found)
        {
            var next = _next;
            var ascii = _ascii;
            var classes = _classes;
            var state = 0;
            var position = 0;
            while (position < text.Length)
            {
                if (state == 0 && skip is not null)
                {
                    // Back at the root: nothing is half-matched, so jump to where the next literal could begin.
                    var at = text[position..].IndexOfAny(skip);
                    if (at < 0)
                    {
                        return;
                    }
                    position += at;
                }
                var c = text[position++];
                var cls = c < 128 ? ascii[c] : (_other.Count == 0 ? 0 : _other.GetValueOrDefault(c));
                state = next[(state * classes) + cls];
                var start = _outputStart[state];
                var end = _outputStart[state + 1];
                for (var i = start; i < end; i++)
                {
                    found.Add(_outputs[i]);
                }
            }
        }
    }
}
