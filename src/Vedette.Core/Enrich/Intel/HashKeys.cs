using System.Buffers.Binary;

namespace Vedette.Enrich.Intel;

/// <summary>
/// MD5, SHA-1 or SHA-256 values as raw bytes in one array with an open-addressing index: a million hashes cost their
/// own 16–32 bytes and a few bytes of index each, instead of a 64-character string and a dictionary entry.
/// </summary>
internal sealed class HashKeys
{
    private readonly int _length;
    private readonly int _stride;
    private readonly byte[] _keys;
    private readonly KeyTable _table;

    public HashKeys(int length, List<(byte[] Key, int Record)> entries)
    {
        _length = length;
        // Each key is followed by its record number: a hit reads one place, not two.
        _stride = length + 4;
        _keys = new byte[entries.Count * _stride];
        Count = entries.Count;
        _table = new KeyTable(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            entries[i].Key.CopyTo(_keys, i * _stride);
            BinaryPrimitives.WriteInt32LittleEndian(_keys.AsSpan((i * _stride) + length), entries[i].Record);
            _table.Add(Hash(entries[i].Key), i);
        }
    }

    public int Count { get; }

    public int Length => _length;

    public long ApproximateBytes => _keys.Length + _table.ApproximateBytes;

    /// <summary>The entry holding the hash, or -1.</summary>
    public int Find(ReadOnlySpan<byte> key)
    {
        var hash = Hash(key);
        if (!_table.MayContain(hash))
        {
            return -1;
        }
        for (var probe = _table.First(hash); ; probe = _table.Next(probe))
        {
            var entry = _table.Match(probe, hash);
            if (entry == KeyTable.End)
            {
                return -1;
            }
            if (entry >= 0 && _keys.AsSpan(entry * _stride, _length).SequenceEqual(key))
            {
                return entry;
            }
        }
    }

    public int RecordOf(int entry) => BinaryPrimitives.ReadInt32LittleEndian(_keys.AsSpan((entry * _stride) + _length));

    public ReadOnlySpan<byte> KeyOf(int entry) => _keys.AsSpan(entry * _stride, _length);

    // Hashes of real files are uniformly random, but a feed can list crafted values: mix with a per-process seed so
    // that no published list can pile its entries into one probe chain.
    private static ulong Hash(ReadOnlySpan<byte> key) => KeyTable.Mix(BinaryPrimitives.ReadUInt64LittleEndian(key) ^ KeyTable.Seed);
}

/// <summary>
/// Strings (domains, URLs, e-mail addresses, file names) as UTF-8 in one byte array with an open-addressing index.
/// Lookups hash a span, so the parent domains of a name are looked up as slices of it, without a string each.
/// An entry is its offset in the array, where its record number and length precede its bytes: a hit reads the
/// index slot and one place in the array, nothing else.
/// </summary>
internal sealed class StringKeys
{
    private const int Header = 8;
    private readonly byte[] _bytes;
    private readonly KeyTable _table;

    public StringKeys(List<(string Key, int Record)> entries)
    {
        var total = 0L;
        foreach (var (key, _) in entries)
        {
            total += Header + System.Text.Encoding.UTF8.GetByteCount(key);
        }
        if (total >= int.MaxValue)
        {
            throw new InvalidOperationException($"{entries.Count:N0} keys take {total:N0} bytes; one table holds at most 2 GiB");
        }
        _bytes = new byte[total];
        _table = new KeyTable(entries.Count);
        Count = entries.Count;
        var offset = 0;
        foreach (var (key, record) in entries)
        {
            var length = System.Text.Encoding.UTF8.GetBytes(key, _bytes.AsSpan(offset + Header));
            BinaryPrimitives.WriteInt32LittleEndian(_bytes.AsSpan(offset), record);
            BinaryPrimitives.WriteInt32LittleEndian(_bytes.AsSpan(offset + 4), length);
            _table.Add(KeyTable.Hash(_bytes.AsSpan(offset + Header, length)), offset);
            offset += Header + length;
        }
    }

    public int Count { get; }

    public long ApproximateBytes => _bytes.Length + _table.ApproximateBytes;

    /// <summary>The entry holding the UTF-8 key, or -1.</summary>
    public int Find(ReadOnlySpan<byte> key)
    {
        var hash = KeyTable.Hash(key);
        if (!_table.MayContain(hash))
        {
            return -1;
        }
        for (var probe = _table.First(hash); ; probe = _table.Next(probe))
        {
            var entry = _table.Match(probe, hash);
            if (entry == KeyTable.End)
            {
                return -1;
            }
            if (entry >= 0
                && BinaryPrimitives.ReadInt32LittleEndian(_bytes.AsSpan(entry + 4)) == key.Length
                && _bytes.AsSpan(entry + Header, key.Length).SequenceEqual(key))
            {
                return entry;
            }
        }
    }

    public int RecordOf(int entry) => BinaryPrimitives.ReadInt32LittleEndian(_bytes.AsSpan(entry));

    public string KeyOf(int entry) =>
        System.Text.Encoding.UTF8.GetString(_bytes, entry + Header, BinaryPrimitives.ReadInt32LittleEndian(_bytes.AsSpan(entry + 4)));
}

/// <summary>
/// The open-addressing index both key tables share: each slot holds an entry number and 32 more bits of the key's
/// hash, so a probe rejects a different key without reading it. Most lookups are misses (most of what alerts carry
/// is not listed), and a miss then costs one cache line instead of one per probed key.
/// </summary>
internal sealed class KeyTable
{
    public const int End = -1;
    private const int Other = -2;

    public static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1;

    private readonly ulong[] _slots;
    private readonly int _mask;

    // A blocked Bloom filter, 10 to 20 bits per key in words of 64 (a few percent false positives), small enough to stay in the L2 cache: most
    // lookups are of values no feed lists, and it answers those without touching the slots, which do not fit.
    private readonly ulong[] _filter;
    private readonly int _filterMask;

    public KeyTable(int count)
    {
        var words = 1;
        while (words * 64 < count * 10)
        {
            words <<= 1;
        }
        _filter = new ulong[words];
        _filterMask = words - 1;
        // At most half full: a miss probes two or three slots, in one cache line.
        var capacity = 16;
        while (capacity < count * 2)
        {
            capacity <<= 1;
        }
        _slots = new ulong[capacity];
        _mask = capacity - 1;
    }

    public long ApproximateBytes => (_slots.Length + _filter.Length) * 8L;

    public bool MayContain(ulong hash)
    {
        var (word, bits) = FilterOf(hash);
        return (_filter[word] & bits) == bits;
    }

    public void Add(ulong hash, int entry)
    {
        var (word, bits) = FilterOf(hash);
        _filter[word] |= bits;
        var slot = First(hash);
        while (_slots[slot] != 0)
        {
            slot = Next(slot);
        }
        _slots[slot] = (hash & 0xFFFF_FFFF_0000_0000UL) | (uint)(entry + 1);
    }

    public int First(ulong hash) => (int)hash & _mask;

    // Bits of the hash the slot index and the slot's check bits do not use, spread by one more multiplication.
    private (int Word, ulong Bits) FilterOf(ulong hash)
    {
        var spread = hash * 0x9e3779b97f4a7c15UL;
        // A product's high bits depend on all of the hash; its low bits only on the hash's low bits.
        var word = (int)(spread >> 20) & _filterMask;
        var bits = (1UL << (int)(spread >> 58)) | (1UL << (int)((spread >> 52) & 63)) | (1UL << (int)((spread >> 46) & 63));
        return (word, bits);
    }

    public int Next(int slot) => (slot + 1) & _mask;

    /// <summary>The entry in the slot if its hash bits match (then compare keys), <see cref="End"/> at an empty slot, else a negative "other".</summary>
    public int Match(int slot, ulong hash)
    {
        var value = _slots[slot];
        if (value == 0)
        {
            return End;
        }
        return (value & 0xFFFF_FFFF_0000_0000UL) == (hash & 0xFFFF_FFFF_0000_0000UL) ? (int)(uint)value - 1 : Other;
    }

    // The splitmix64 finaliser: every input bit reaches every output bit.
    public static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
        return x ^ (x >> 31);
    }

    /// <summary>XxHash3, seeded per process: fast on short keys, and no published list can choose its collisions.</summary>
    public static ulong Hash(ReadOnlySpan<byte> key) => System.IO.Hashing.XxHash3.HashToUInt64(key, (long)Seed);
}
