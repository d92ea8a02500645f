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
        if (Vector512.IsHardwareAccelerated)
        {
            // One 64-byte vector per word of the bitmap.
            var quote = Vector512.Create((byte)'"');
            var backslash = Vector512.Create((byte)'\\');
            var control = Vector512.Create((byte)0x20);
            for (; i + 64 <= json.Length; i += 64)
            {
                var v = Vector512.LoadUnsafe(ref start, (nuint)i);
                _words[i >> 6] = (Vector512.Equals(v, quote) | Vector512.Equals(v, backslash) | Vector512.LessThan(v, control)).ExtractMostSignificantBits();
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var quote = Vector256.Create((byte)'"');
            var backslash = Vector256.Create((byte)'\\');
            var control = Vector256.Create((byte)0x20);
            for (; i + 64 <= json.Length; i += 64)
            {
                var low = Vector256.LoadUnsafe(ref start, (nuint)i);
                var high = Vector256.LoadUnsafe(ref start, (nuint)(i + 32));
                var lowHits = Vector256.Equals(low, quote) | Vector256.Equals(low, backslash) | Vector256.LessThan(low, control);
                var highHits = Vector256.Equals(high, quote) | Vector256.Equals(high, backslash) | Vector256.LessThan(high, control);
                _words[i >> 6] = lowHits.ExtractMostSignificantBits() | ((ulong)highHits.ExtractMostSignificantBits() << 32);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var quote = Vector128.Create((byte)'"');
            var backslash = Vector128.Create((byte)'\\');
            var control = Vector128.Create((byte)0x20);
            for (; i + 64 <= json.Length; i += 64)
            {
                ulong word = 0;
                for (var part = 0; part < 4; part++)
                {
                    var v = Vector128.LoadUnsafe(ref start, (nuint)(i + (part * 16)));
                    var hits = Vector128.Equals(v, quote) | Vector128.Equals(v, backslash) | Vector128.LessThan(v, control);
                    word |= (ulong)hits.ExtractMostSignificantBits() << (part * 16);
                }
                _words[i >> 6] = word;
            }
        }
        for (; i < json.Length; i += 64)
        {
            ulong word = 0;
            var end = Math.Min(i + 64, json.Length);
            for (var k = i; k < end; k++)
            {
                var b = Unsafe.Add(ref start, k);
                if (b is (byte)'"' or (byte)'\\' or < 0x20)
                {
                    word |= 1UL << (k - i);
                }
            }
            _words[i >> 6] = word;
        }
        return this;
    }

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
