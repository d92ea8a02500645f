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
    // Start, owner and the owner's length side by side: the search's last step reads what a hit needs.
    private readonly Interval[] _intervals;
    private readonly T[] _prefixStarts;
    private readonly byte[] _prefixLengths;
    private readonly int[] _prefixRecords;
    private readonly int[] _prefixParents;

    // For each value of an address's top 16 bits, the first interval starting at or above it: a lookup searches
    // only the intervals of its own /16 (a handful), instead of all of them from the top, which misses the cache
    // at every level below the first few.
    private readonly int[] _buckets;

    private AddressRanges(T[] intervalStarts, int[] intervalOwners, T[] prefixStarts, byte[] prefixLengths, int[] prefixRecords, int[] prefixParents)
    {
        _intervals = new Interval[intervalStarts.Length];
        for (var i = 0; i < intervalStarts.Length; i++)
        {
            var owner = intervalOwners[i];
            _intervals[i] = new Interval(intervalStarts[i], owner, owner < 0 ? (byte)0 : prefixLengths[owner]);
        }
        _buckets = new int[BucketCount + 1];
        var interval = 0;
        for (var bucket = 0; bucket <= BucketCount; bucket++)
        {
            while (interval < intervalStarts.Length && Bucket(intervalStarts[interval]) < bucket)
            {
                interval++;
            }
            _buckets[bucket] = interval;
        }
        _prefixStarts = prefixStarts;
        _prefixLengths = prefixLengths;
        _prefixRecords = prefixRecords;
        _prefixParents = prefixParents;
    }

    public static int Bits => System.Runtime.CompilerServices.Unsafe.SizeOf<T>() * 8;

    private const int BucketBits = 16;
    private const int BucketCount = 1 << BucketBits;

    private static int Bucket(T address) => int.CreateTruncating(address >>> (Bits - BucketBits));

    public int Count => _prefixStarts.Length;

    public long ApproximateBytes =>
        (_intervals.Length * (long)System.Runtime.CompilerServices.Unsafe.SizeOf<Interval>())
        + (_prefixStarts.Length * (long)System.Runtime.CompilerServices.Unsafe.SizeOf<T>()) + _prefixLengths.Length + (_prefixRecords.Length * 8L) + (_buckets.Length * 4L);

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
    public int Find(T address) => Find(address, out _);

    /// <summary>The most specific listed prefix covering the address and its length, or -1.</summary>
    public int Find(T address, out int length)
    {
        var bucket = Bucket(address);
        // The last interval starting at or below the address: within the bucket, or else the one before it (which
        // runs into the bucket). Interval 0 starts at zero, so there always is one.
        var low = _buckets[bucket];
        var high = _buckets[bucket + 1] - 1;
        var found = low - 1;
        while (low <= high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (_intervals[middle].Start <= address)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        var interval = _intervals[found];
        length = interval.Length;
        return interval.Owner;
    }

    public int Parent(int prefix) => _prefixParents[prefix];

    public int RecordOf(int prefix) => _prefixRecords[prefix];

    public (T Network, byte Length) PrefixOf(int prefix) => (_prefixStarts[prefix], _prefixLengths[prefix]);

    public int LengthOf(int prefix) => _prefixLengths[prefix];

    public static T Mask(T address, int length) =>
        length <= 0 ? T.Zero : address & (T.AllBitsSet << (Bits - length));

    private readonly record struct Interval(T Start, int Owner, byte Length);

    // Shift counts wrap at the type's width (x >>> 32 is x for a uint), so a full-length prefix is its own end.
    private static T End((T Network, byte Length, int Record) prefix) =>
        prefix.Length == 0 ? T.AllBitsSet
        : prefix.Length >= Bits ? prefix.Network
        : prefix.Network | (T.AllBitsSet >>> prefix.Length);
}
