using System.Numerics;

namespace Vedette.Enrich.Intel;

/// <summary>
/// Addresses and networks of one family as disjoint intervals, each owned by the most specific listed prefix that
/// covers it: the longest-prefix match is one binary search. CIDR blocks are either nested or disjoint, which is
/// what makes the sweep that builds the intervals simple. Each prefix also knows the prefix enclosing it, so every
/// match (the address, its /24, its /16 ...) can be listed.
/// </summary>
internal sealed class AddressRanges<T> where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    private readonly T[] _intervalStarts;
    private readonly int[] _intervalOwners;
    private readonly T[] _prefixStarts;
    private readonly byte[] _prefixLengths;
    private readonly int[] _prefixRecords;
    private readonly int[] _prefixParents;

    private AddressRanges(T[] intervalStarts, int[] intervalOwners, T[] prefixStarts, byte[] prefixLengths, int[] prefixRecords, int[] prefixParents)
    {
        _intervalStarts = intervalStarts;
        _intervalOwners = intervalOwners;
        _prefixStarts = prefixStarts;
        _prefixLengths = prefixLengths;
        _prefixRecords = prefixRecords;
        _prefixParents = prefixParents;
    }

    public static int Bits => System.Runtime.CompilerServices.Unsafe.SizeOf<T>() * 8;

    public int Count => _prefixStarts.Length;

    public long ApproximateBytes =>
        (((long)_intervalStarts.Length + _prefixStarts.Length) * System.Runtime.CompilerServices.Unsafe.SizeOf<T>())
        + (_intervalOwners.Length * 4L) + _prefixLengths.Length + (_prefixRecords.Length * 8L);

    /// <summary>Builds from distinct (network, prefix length, record) entries; the network has its host bits cleared.</summary>
    public static AddressRanges<T> Build(List<(T Network, byte Length, int Record)> prefixes)
    {
        // Wider first at equal start: a parent opens before the children it contains.
        prefixes.Sort((a, b) => a.Network != b.Network ? a.Network.CompareTo(b.Network) : a.Length.CompareTo(b.Length));
        var starts = new List<T>(prefixes.Count * 2);
        var owners = new List<int>(prefixes.Count * 2);
        var parents = new int[prefixes.Count];
        var stack = new Stack<int>();

        void Emit(T at, int owner)
        {
            if (starts.Count > 0 && starts[^1] == at)
            {
                owners[^1] = owner;
            }
            else
            {
                starts.Add(at);
                owners.Add(owner);
            }
        }

        void CloseUntil(T start, bool all)
        {
            while (stack.Count > 0 && (all || End(prefixes[stack.Peek()]) < start))
            {
                var closed = End(prefixes[stack.Pop()]);
                if (closed == T.AllBitsSet)
                {
                    continue;
                }
                Emit(closed + T.One, stack.Count > 0 ? stack.Peek() : -1);
            }
        }

        for (var i = 0; i < prefixes.Count; i++)
        {
            CloseUntil(prefixes[i].Network, all: false);
            parents[i] = stack.Count > 0 ? stack.Peek() : -1;
            Emit(prefixes[i].Network, i);
            stack.Push(i);
        }
        CloseUntil(T.Zero, all: true);
        if (starts.Count == 0 || starts[0] != T.Zero)
        {
            starts.Insert(0, T.Zero);
            owners.Insert(0, -1);
        }
        return new AddressRanges<T>(
            [.. starts], [.. owners],
            [.. prefixes.Select(p => p.Network)], [.. prefixes.Select(p => p.Length)], [.. prefixes.Select(p => p.Record)], parents);
    }

    /// <summary>The most specific listed prefix covering the address, or -1.</summary>
    public int Find(T address)
    {
        var index = Array.BinarySearch(_intervalStarts, address);
        if (index < 0)
        {
            index = ~index - 1;
        }
        return index < 0 ? -1 : _intervalOwners[index];
    }

    public int Parent(int prefix) => _prefixParents[prefix];

    public int RecordOf(int prefix) => _prefixRecords[prefix];

    public (T Network, byte Length) PrefixOf(int prefix) => (_prefixStarts[prefix], _prefixLengths[prefix]);

    public static T Mask(T address, int length) =>
        length <= 0 ? T.Zero : address & (T.AllBitsSet << (Bits - length));

    // Shift counts wrap at the type's width (x >>> 32 is x for a uint), so a full-length prefix is its own end.
    private static T End((T Network, byte Length, int Record) prefix) =>
        prefix.Length == 0 ? T.AllBitsSet
        : prefix.Length >= Bits ? prefix.Network
        : prefix.Network | (T.AllBitsSet >>> prefix.Length);
}
