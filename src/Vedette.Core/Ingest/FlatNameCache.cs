using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Vedette.Ingest;

/// <summary>
/// Field names already decoded, found by their UTF-8 bytes without a loop over them: a name is fingerprinted by
/// its length and its first and last eight bytes, read as two words, which for names of up to sixteen bytes (most
/// of them) is the whole name; longer ones are compared in full. Direct-mapped and bounded: a collision replaces the
/// older name, which costs one decode when it comes back, so endless distinct names cannot grow it. Each name also
/// remembers the name that followed it last (<see cref="FlatName.Next"/>): records of one kind write their names in
/// the same order, so the reader can check the predicted name's bytes in place before fingerprinting anything.
/// </summary>
internal sealed class FlatNameCache
{
    private const int Size = 1024;

    private readonly FlatName?[] _entries = new FlatName?[Size];

    /// <summary>The name whose bytes are json[start..(start + length)], if cached.</summary>
    public FlatName? Find(ReadOnlySpan<byte> json, int start, int length)
    {
        var (head, tail) = Fingerprint(json, start, length);
        var entry = _entries[Bucket(head, tail, length)];
        return entry is not null && entry.Head == head && entry.Tail == tail && entry.Utf8.Length == length
            && (length <= 16 || json.Slice(start, length).SequenceEqual(entry.Utf8))
            ? entry
            : null;
    }

    public FlatName Add(ReadOnlySpan<byte> json, int start, int length, string name)
    {
        var (head, tail) = Fingerprint(json, start, length);
        return _entries[Bucket(head, tail, length)] = new FlatName(name, json.Slice(start, length).ToArray(), head, tail);
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
}

/// <summary>A cached field name: the interned string, its bytes as records write them (unescaped), and its successor.</summary>
internal sealed class FlatName(string name, byte[] utf8, ulong head, ulong tail)
{
    public string Name { get; } = name;

    public byte[] Utf8 { get; } = utf8;

    public ulong Head { get; } = head;

    public ulong Tail { get; } = tail;

    /// <summary>The name that followed this one in the last record read, the guess for the next.</summary>
    public FlatName? Next { get; set; }

    /// <summary>Whether json[start..] is this name and its closing quote.</summary>
    public bool IsAt(ReadOnlySpan<byte> json, int start) =>
        start + Utf8.Length < json.Length && json[start + Utf8.Length] == '"' && json.Slice(start, Utf8.Length).SequenceEqual(Utf8);
}
