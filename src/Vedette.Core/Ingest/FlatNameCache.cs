using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Vedette.Ingest;

/// <summary>
/// Field names already decoded, found by their UTF-8 bytes without a loop over them: a name is fingerprinted by
/// its length and its first and last eight bytes, read as two words, which for names of up to sixteen bytes (most
/// of them) is the whole name; longer ones are compared in full. Direct-mapped and bounded: a collision replaces the
/// older name, which costs one decode when it comes back, so endless distinct names cannot grow it.
/// </summary>
internal sealed class FlatNameCache
{
    private const int Size = 1024;

    private readonly Entry[] _entries = new Entry[Size];

    /// <summary>The name whose bytes are json[start..(start + length)], if cached.</summary>
    public bool TryGet(ReadOnlySpan<byte> json, int start, int length, out string name)
    {
        var (head, tail) = Fingerprint(json, start, length);
        ref var entry = ref _entries[Bucket(head, tail, length)];
        if (entry.Name is not null && entry.Head == head && entry.Tail == tail && entry.Length == length
            && (length <= 16 || json.Slice(start, length).SequenceEqual(entry.Bytes)))
        {
            name = entry.Name;
            return true;
        }
        name = "";
        return false;
    }

    public void Add(ReadOnlySpan<byte> json, int start, int length, string name)
    {
        var (head, tail) = Fingerprint(json, start, length);
        _entries[Bucket(head, tail, length)] = new Entry(head, tail, length, length > 16 ? json.Slice(start, length).ToArray() : null, name);
    }

    private static int Bucket(ulong head, ulong tail, int length) =>
        (int)((((head * 0x9E3779B97F4A7C15UL) ^ (tail * 0xC2B2AE3D27D4EB4FUL)) + (ulong)length) >> 54) & (Size - 1);

    /// <summary>The first and the last eight bytes of the name (zero-padded when shorter), read as little-endian words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (ulong Head, ulong Tail) Fingerprint(ReadOnlySpan<byte> json, int start, int length)
    {
        if (length >= 8)
        {
            return (BinaryPrimitives.ReadUInt64LittleEndian(json.Slice(start, 8)), BinaryPrimitives.ReadUInt64LittleEndian(json.Slice(start + length - 8, 8)));
        }
        ulong head = 0;
        for (var i = length - 1; i >= 0; i--)
        {
            head = (head << 8) | json[start + i];
        }
        return (head, 0);
    }

    private readonly record struct Entry(ulong Head, ulong Tail, int Length, byte[]? Bytes, string? Name);
}
