using System.Buffers.Binary;

namespace Vedette.Enrich.Intel;

/// <summary>
/// MD5, SHA-1 or SHA-256 values as raw bytes in one array with an open-addressing index: a million hashes cost their
/// own 16–32 bytes and a few bytes of index each, instead of a 64-character string and a dictionary entry.
/// </summary>
internal sealed class HashKeys
{
    private readonly int _length;
    private readonly byte[] _keys;
    private readonly int[] _records;
    private readonly int[] _slots;
    private readonly int _mask;

    public HashKeys(int length, List<(byte[] Key, int Record)> entries)
    {
        _length = length;
        _keys = new byte[entries.Count * length];
        _records = new int[entries.Count];
        _slots = new int[KeyTable.Capacity(entries.Count)];
        _mask = _slots.Length - 1;
        for (var i = 0; i < entries.Count; i++)
        {
            entries[i].Key.CopyTo(_keys, i * length);
            _records[i] = entries[i].Record;
            var slot = Slot(entries[i].Key);
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & _mask;
            }
            _slots[slot] = i + 1;
        }
    }

    public int Count => _records.Length;

    public int Length => _length;

    public long ApproximateBytes => _keys.Length + (_records.Length * 4L) + (_slots.Length * 4L);

    /// <summary>The entry holding the hash, or -1.</summary>
    public int Find(ReadOnlySpan<byte> key)
    {
        var slot = Slot(key);
        while (true)
        {
            var entry = _slots[slot];
            if (entry == 0)
            {
                return -1;
            }
            if (_keys.AsSpan((entry - 1) * _length, _length).SequenceEqual(key))
            {
                return entry - 1;
            }
            slot = (slot + 1) & _mask;
        }
    }

    public int RecordOf(int entry) => _records[entry];

    public ReadOnlySpan<byte> KeyOf(int entry) => _keys.AsSpan(entry * _length, _length);

    // Hashes of real files are uniformly random, but a feed can list crafted values: mix with a per-process seed so
    // that no published list can pile its entries into one probe chain.
    private int Slot(ReadOnlySpan<byte> key) =>
        (int)(KeyTable.Mix(BinaryPrimitives.ReadUInt64LittleEndian(key) ^ KeyTable.Seed) & (ulong)_mask);
}

/// <summary>
/// Strings (domains, URLs, e-mail addresses, file names) as UTF-8 in one byte array with an open-addressing index.
/// Lookups hash a span, so the parent domains of a name are looked up as slices of it, without a string each.
/// </summary>
internal sealed class StringKeys
{
    private readonly byte[] _bytes;
    private readonly int[] _offsets;
    private readonly int[] _records;
    private readonly int[] _slots;
    private readonly int _mask;

    public StringKeys(List<(string Key, int Record)> entries)
    {
        var total = 0L;
        foreach (var (key, _) in entries)
        {
            total += System.Text.Encoding.UTF8.GetByteCount(key);
        }
        _bytes = new byte[total];
        _offsets = new int[entries.Count + 1];
        _records = new int[entries.Count];
        _slots = new int[KeyTable.Capacity(entries.Count)];
        _mask = _slots.Length - 1;
        var offset = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            _offsets[i] = offset;
            offset += System.Text.Encoding.UTF8.GetBytes(entries[i].Key, _bytes.AsSpan(offset));
            _records[i] = entries[i].Record;
            var slot = Slot(_bytes.AsSpan(_offsets[i], offset - _offsets[i]));
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & _mask;
            }
            _slots[slot] = i + 1;
        }
        _offsets[entries.Count] = offset;
    }

    public int Count => _records.Length;

    public long ApproximateBytes => _bytes.Length + (_offsets.Length * 4L) + (_records.Length * 4L) + (_slots.Length * 4L);

    /// <summary>The entry holding the UTF-8 key, or -1.</summary>
    public int Find(ReadOnlySpan<byte> key)
    {
        var slot = Slot(key);
        while (true)
        {
            var entry = _slots[slot];
            if (entry == 0)
            {
                return -1;
            }
            var start = _offsets[entry - 1];
            if (_offsets[entry] - start == key.Length && _bytes.AsSpan(start, key.Length).SequenceEqual(key))
            {
                return entry - 1;
            }
            slot = (slot + 1) & _mask;
        }
    }

    public int RecordOf(int entry) => _records[entry];

    public string KeyOf(int entry) =>
        System.Text.Encoding.UTF8.GetString(_bytes, _offsets[entry], _offsets[entry + 1] - _offsets[entry]);

    private int Slot(ReadOnlySpan<byte> key) => (int)(KeyTable.Hash(key) & (ulong)_mask);
}

internal static class KeyTable
{
    public static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1;

    /// <summary>A power of two with at most two thirds of it in use: short probe chains.</summary>
    public static int Capacity(int count)
    {
        var capacity = 16;
        while (capacity < count + (count / 2))
        {
            capacity <<= 1;
        }
        return capacity;
    }

    // The splitmix64 finaliser: every input bit reaches every output bit.
    public static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
        return x ^ (x >> 31);
    }

    public static ulong Hash(ReadOnlySpan<byte> key)
    {
        var hash = Seed ^ (ulong)key.Length;
        while (key.Length >= 8)
        {
            hash = Mix(hash ^ BinaryPrimitives.ReadUInt64LittleEndian(key));
            key = key[8..];
        }
        ulong tail = 0;
        for (var i = 0; i < key.Length; i++)
        {
            tail |= (ulong)key[i] << (i * 8);
        }
        return Mix(hash ^ tail ^ 0x9e3779b97f4a7c15UL);
    }
}
