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
        // Whole 64-byte blocks are marked a vector at a time; the last, partial block is marked from the record's
        // last 64 bytes, shifted, so that only records shorter than 64 bytes take the byte loop below (whose branch
        // on every byte mispredicts at each quote).
        if (Vector128.IsHardwareAccelerated && json.Length >= 64)
        {
            ulong highBits = 0;
            for (; i + 64 <= json.Length; i += 64)
            {
                _words[i >> 6] = Block(ref start, i, ref highBits);
            }
            var tail = json.Length & 63;
            if (tail != 0)
            {
                _words[i >> 6] = Block(ref start, json.Length - 64, ref highBits) >> (64 - tail);
                i = json.Length;
            }
            high = highBits != 0;
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

    /// <summary>
    /// The stop bits of the 64 bytes at start[at..], at the widest vector the hardware has; the bytes' high bits are
    /// or-ed into <paramref name="high"/> (any set: the record is not all ASCII).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Block(ref byte start, int at, ref ulong high)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var v = Vector512.LoadUnsafe(ref start, (nuint)at);
            high |= v.ExtractMostSignificantBits();
            return Stops(v);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var low = Vector256.LoadUnsafe(ref start, (nuint)at);
            var upper = Vector256.LoadUnsafe(ref start, (nuint)(at + 32));
            high |= (low | upper).ExtractMostSignificantBits();
            return Stops(low) | ((ulong)Stops(upper) << 32);
        }
        ulong word = 0;
        for (var part = 0; part < 4; part++)
        {
            var v = Vector128.LoadUnsafe(ref start, (nuint)(at + (part * 16)));
            high |= v.ExtractMostSignificantBits();
            word |= (ulong)Stops(v) << (part * 16);
        }
        return word;
    }

    // A bit per byte that is a quote, a backslash or a control character, at each vector width.
    private static ulong Stops(Vector512<byte> v) =>
        (Vector512.Equals(v, Vector512.Create((byte)'"')) | Vector512.Equals(v, Vector512.Create((byte)'\\')) | Vector512.LessThan(v, Vector512.Create((byte)0x20))).ExtractMostSignificantBits();

    private static uint Stops(Vector256<byte> v) =>
        (Vector256.Equals(v, Vector256.Create((byte)'"')) | Vector256.Equals(v, Vector256.Create((byte)'\\')) | Vector256.LessThan(v, Vector256.Create((byte)0x20))).ExtractMostSignificantBits();

    private static uint Stops(Vector128<byte> v) =>
        (Vector128.Equals(v, Vector128.Create((byte)'"')) | Vector128.Equals(v, Vector128.Create((byte)'\\')) | Vector128.LessThan(v, Vector128.Create((byte)0x20))).ExtractMostSignificantBits();

    /// <summary>How many 64-bit words the last record marked has.</summary>
    public int Words => _count;

    /// <summary>The stop bits of bytes 64 × <paramref name="index"/> to 64 × <paramref name="index"/> + 63.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Word(int index) => _words[index];

    /// <summary>The first stop at or after <paramref name="from"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
