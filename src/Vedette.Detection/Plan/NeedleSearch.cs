using System.Buffers;

namespace Vedette.Detection.Plan;

/// <summary>
/// Finds which of many literals occur in a value, case-insensitively, in one pass: the BCL's vectorised
/// multi-string search finds the candidate positions, a trie from each position names the literals found there.
/// Literals are ASCII (the gate refuses others), so folding is a simple ASCII lower-casing.
/// </summary>
internal sealed class NeedleSearch
{
    private readonly SearchValues<string> _any;
    private readonly List<Node> _nodes = [new Node()];

    public NeedleSearch(IReadOnlyList<string> needles)
    {
        _any = SearchValues.Create([.. needles], StringComparison.OrdinalIgnoreCase);
        for (var id = 0; id < needles.Count; id++)
        {
            var node = 0;
            foreach (var c in needles[id])
            {
                node = Child(node, Fold(c), create: true);
            }
            (_nodes[node].Ends ??= []).Add(id);
        }
    }

    /// <summary>Adds the id of every literal occurring in <paramref name="text"/> to <paramref name="found"/> (possibly more than once).</summary>
    public void FindAll(ReadOnlySpan<char> text, List<int> found)
    {
        var offset = 0;
        while (offset < text.Length)
        {
            var at = text[offset..].IndexOfAny(_any);
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

    private static char Fold(char c) => c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;

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
}
