using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Vedette.Ingest;

/// <summary>
/// Where a record's strings can stop: one bit per byte, set for every quote, backslash and control character
/// (which JSON forbids inside strings). Marked in one vector pass over the record, so that finding the end of each
/// of its eighty-odd short strings is a bit scan instead of a vectorised search started afresh per string, whose
/// start-up cost dominated on values a few bytes long.
/// </summary>
internal sealed class StopBits
{
    private ulong[] _words = new ulong[64];
    private int _count;

    /// <summary>Whether every byte of the record last marked is ASCII (so it is valid UTF-8 without a further pass).</summary>
    public bool AllAscii { get; private set; }

    /// <summary>Marks <paramref name="json"/>; the instance is reused, so only the last record marked is valid.</summary>
    public StopBits Mark(ReadOnlySpan<byte> json)
    {
        _count = (json.Length + 63) >> 6;
        if (_words.Length < _count)
        {
            _words = new ulong[Math.Max(_count, _words.Length * 2)];
        }
        ref var start = ref MemoryMarshal.GetReference(json);
        var i = 0;
        var high = false;
        if (Vector512.IsHardwareAccelerated)
        {
            // One 64-byte vector per word of the bitmap.
            var seen = Vector512<byte>.Zero;
            for (; i + 64 <= json.Length; i += 64)
            {
                var v = Vector512.LoadUnsafe(ref start, (nuint)i);
                seen |= v;
                _words[i >> 6] = Stops(v);
            }
            high = seen.ExtractMostSignificantBits() != 0;
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var seen = Vector256<byte>.Zero;
            for (; i + 64 <= json.Length; i += 64)
            {
                var low = Vector256.LoadUnsafe(ref start, (nuint)i);
                var upper = Vector256.LoadUnsafe(ref start, (nuint)(i + 32));
                seen |= low | upper;
                _words[i >> 6] = Stops(low) | ((ulong)Stops(upper) << 32);
            }
            high = seen.ExtractMostSignificantBits() != 0;
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var seen = Vector128<byte>.Zero;
            for (; i + 64 <= json.Length; i += 64)
            {
                ulong word = 0;
                for (var part = 0; part < 4; part++)
                {
                    var v = Vector128.LoadUnsafe(ref start, (nuint)(i + (part * 16)));
                    seen |= v;
                    word |= (ulong)Stops(v) << (part * 16);
                }
                _words[i >> 6] = word;
            }
            high = seen.ExtractMostSignificantBits() != 0;
        }
        for (; i < json.Length; i += 64)
        {
            ulong word = 0;
            var end = Math.Min(i + 64, json.Length);
            for (var k = i; k < end; k++)
            {
                var b = Unsafe.Add(ref start, k);
                high |= b >= 0x80;
                if (b is (byte)'"' or (byte)'\\' or < 0x20)
                {
                    word |= 1UL << (k - i);
                }
            }
            _words[i >> 6] = word;
        }
        AllAscii = !high;
        return this;
    }

    // A bit per byte that is a quote, a backslash or a control character, at each vector width.
    private static ulong Stops(Vector512<byte> v) =>
        (Vector512.Equals(v, Vector512.Create((byte)'"')) | Vector512.Equals(v, Vector512.Create((byte)'\\')) | Vector512.LessThan(v, Vector512.Create((byte)0x20))).ExtractMostSignificantBits();

    private static uint Stops(Vector256<byte> v) =>
        (Vector256.Equals(v, Vector256.Create((byte)'"')) | Vector256.Equals(v, Vector256.Create((byte)'\\')) | Vector256.LessThan(v, Vector256.Create((byte)0x20))).ExtractMostSignificantBits();

    private static uint Stops(Vector128<byte> v) =>
        (Vector128.Equals(v, Vector128.Create((byte)'"')) | Vector128.Equals(v, Vector128.Create((byte)'\\')) | Vector128.LessThan(v, Vector128.Create((byte)0x20))).ExtractMostSignificantBits();

    /// <summary>The first stop at or after <paramref name="from"/>, or -1.</summary>
    public int Next(int from)
    {
        var index = from >> 6;
        if (index >= _count)
        {
            return -1;
        }
        var bits = _words[index] & (ulong.MaxValue << (from & 63));
        while (bits == 0)
        {
            if (++index >= _count)
            {
                return -1;
            }
            bits = _words[index];
        }
        return (index << 6) + BitOperations.TrailingZeroCount(bits);
    }
}
