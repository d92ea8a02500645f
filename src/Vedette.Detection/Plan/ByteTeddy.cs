using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Vedette.Detection.Plan;

/// <summary>
/// Finds where any of up to sixteen three-byte ASCII fragments may start in UTF-8 text, case-insensitively, a
/// vector of positions at a time: Teddy (Hyperscan's algorithm, which the BCL's <c>SearchValues&lt;string&gt;</c>
/// also uses). Written here because the BCL's searches only characters, and widening each 2 KB record to UTF-16
/// for it cost as much as the search itself. Each fragment belongs to one of eight buckets; per fragment byte, two
/// 16-entry tables give the buckets whose fragment has that low and that high nibble there, and a position is a
/// candidate when some bucket survives all three bytes' look-ups. Candidates are a superset: the caller checks each.
/// </summary>
internal sealed class ByteTeddy
{
    public const int MaxFragments = 16;

    public const int FragmentLength = 3;

    // Low-nibble and high-nibble tables per fragment byte, each 16 bytes, repeated for every 128-bit lane
    // (the shuffle instructions look up within a lane).
    private readonly Vector512<byte>[] _tables = new Vector512<byte>[2 * FragmentLength];

    private ByteTeddy(IReadOnlyList<string> fragments)
    {
        var tables = new byte[2 * FragmentLength, 16];
        // Neighbours in sorted order tend to share bytes, so a bucket of two rarely admits more than either.
        var sorted = fragments.Order(StringComparer.Ordinal).ToArray();
        for (var f = 0; f < sorted.Length; f++)
        {
            var bucket = (byte)(1 << (f * 8 / sorted.Length));
            for (var p = 0; p < FragmentLength; p++)
            {
                var c = sorted[f][p];
                foreach (var spelling in char.IsAsciiLetter(c) ? new[] { char.ToLowerInvariant(c), char.ToUpperInvariant(c) } : [c])
                {
                    tables[2 * p, spelling & 0xF] |= bucket;
                    tables[(2 * p) + 1, spelling >> 4] |= bucket;
                }
            }
        }
        for (var t = 0; t < _tables.Length; t++)
        {
            var lane = new byte[64];
            for (var i = 0; i < 64; i++)
            {
                lane[i] = tables[t, i & 15];
            }
            _tables[t] = Vector512.Create(lane);
        }
    }

    /// <summary>
    /// Whether this machine has the 256-bit byte shuffle Teddy needs here. Without it (x86 before 2013, Arm) the
    /// caller widens the text for the BCL's search, as it did before this class.
    /// </summary>
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>A search for the fragments (folded ASCII, three characters each); null when there are too many or no vector shuffle.</summary>
    public static ByteTeddy? TryBuild(IReadOnlyList<string> fragments) =>
        IsSupported && fragments.Count is > 0 and <= MaxFragments && fragments.All(f => f.Length == FragmentLength && System.Text.Ascii.IsValid(f))
            ? new ByteTeddy(fragments)
            : null;

    /// <summary>
    /// Hands <paramref name="sink"/> the positions where a fragment may start, in order: at least every position
    /// where one does. Text shorter than one vector is the caller's to search otherwise.
    /// </summary>
    /// <returns>False when the text is shorter than one vector and nothing was searched.</returns>
    public bool FindCandidates<TSink>(ReadOnlySpan<byte> text, ref TSink sink)
        where TSink : ICandidateSink, allows ref struct
    {
        var width = Avx512BW.IsSupported ? 64 : 32;
        // Positions whose fragment would run past the end are never candidates; the last block overlaps the one
        // before it, with the positions already searched masked off.
        var last = text.Length - (FragmentLength - 1) - width;
        if (last < 0)
        {
            return false;
        }
        var i = 0;
        while (true)
        {
            // Each width's scan runs in its own method until a block has candidates: the sink's calls would
            // otherwise make the JIT spill the six tables around every block (no vector register survives a call).
            var hits = width == 64 ? Scan512(text, ref i, last) : Scan256(text, ref i, last);
            while (hits != 0)
            {
                sink.At(i + BitOperations.TrailingZeroCount(hits));
                hits &= hits - 1;
            }
            if (i == last)
            {
                return true;
            }
            i += width;
        }
    }

    /// <summary>Receives candidate positions; a struct, so that the JIT inlines the check into the scan loop.</summary>
    public interface ICandidateSink
    {
        void At(int position);
    }

    /// <summary>From block <paramref name="i"/> on, the first block with candidates (or the last block) and its candidates.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong Scan512(ReadOnlySpan<byte> text, ref int i, int last)
    {
        ref var start = ref MemoryMarshal.GetReference(text);
        var lo0 = _tables[0];
        var hi0 = _tables[1];
        var lo1 = _tables[2];
        var hi1 = _tables[3];
        var lo2 = _tables[4];
        var hi2 = _tables[5];
        var nibble = Vector512.Create((byte)0x0F);
        for (var at = i; ; at += 64)
        {
            var skip = 0;
            if (at > last)
            {
                skip = at - last;
                at = last;
            }
            var v0 = Vector512.LoadUnsafe(ref start, (nuint)at);
            var v1 = Vector512.LoadUnsafe(ref start, (nuint)(at + 1));
            var v2 = Vector512.LoadUnsafe(ref start, (nuint)(at + 2));
            var buckets =
                Avx512BW.Shuffle(lo0, v0 & nibble) & Avx512BW.Shuffle(hi0, Vector512.ShiftRightLogical(v0, 4) & nibble)
                & Avx512BW.Shuffle(lo1, v1 & nibble) & Avx512BW.Shuffle(hi1, Vector512.ShiftRightLogical(v1, 4) & nibble)
                & Avx512BW.Shuffle(lo2, v2 & nibble) & Avx512BW.Shuffle(hi2, Vector512.ShiftRightLogical(v2, 4) & nibble);
            var hits = ~Vector512.Equals(buckets, Vector512<byte>.Zero).ExtractMostSignificantBits() & (ulong.MaxValue << skip);
            if (hits != 0 || at == last)
            {
                i = at;
                return hits;
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint Scan256(ReadOnlySpan<byte> text, ref int i, int last)
    {
        ref var start = ref MemoryMarshal.GetReference(text);
        var lo0 = _tables[0].GetLower();
        var hi0 = _tables[1].GetLower();
        var lo1 = _tables[2].GetLower();
        var hi1 = _tables[3].GetLower();
        var lo2 = _tables[4].GetLower();
        var hi2 = _tables[5].GetLower();
        var nibble = Vector256.Create((byte)0x0F);
        for (var at = i; ; at += 32)
        {
            var skip = 0;
            if (at > last)
            {
                skip = at - last;
                at = last;
            }
            var v0 = Vector256.LoadUnsafe(ref start, (nuint)at);
            var v1 = Vector256.LoadUnsafe(ref start, (nuint)(at + 1));
            var v2 = Vector256.LoadUnsafe(ref start, (nuint)(at + 2));
            var buckets =
                Avx2.Shuffle(lo0, v0 & nibble) & Avx2.Shuffle(hi0, Vector256.ShiftRightLogical(v0, 4) & nibble)
                & Avx2.Shuffle(lo1, v1 & nibble) & Avx2.Shuffle(hi1, Vector256.ShiftRightLogical(v1, 4) & nibble)
                & Avx2.Shuffle(lo2, v2 & nibble) & Avx2.Shuffle(hi2, Vector256.ShiftRightLogical(v2, 4) & nibble);
            var hits = ~Vector256.Equals(buckets, Vector256<byte>.Zero).ExtractMostSignificantBits() & (uint.MaxValue << skip);
            if (hits != 0 || at == last)
            {
                i = at;
                return hits;
            }
        }
    }
}
