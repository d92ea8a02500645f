using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Vedette.Domain;

namespace Vedette.Enrich.Intel;

/// <summary>The indicators one feed currently lists, as the snapshot is built from them.</summary>
public sealed record IntelFeed(string Name, IReadOnlyList<FeedIndicator> Indicators)
{
    /// <summary>Scores of this feed's indicators halve every this long since last seen; null: no decay.</summary>
    public TimeSpan? HalfLife { get; init; }
}

/// <summary>A match found without allocating: which table, which entry, and how. Turned into an <see cref="IntelMatch"/> on demand.</summary>
public readonly record struct IntelHitRef(byte Table, int Entry, MatchReason Reason);

/// <summary>
/// An immutable snapshot of every feed's indicators, merged: one entry per value, with the highest score, every feed
/// that lists it, the earliest first-seen, latest last-seen and latest expiry. Updates build a new snapshot and swap
/// it in (<see cref="IntelStore"/>), so lookups never lock and never see a half-loaded feed.
/// </summary>
/// <remarks>
/// Written for Vedette rather than taken from a library because lookups run for every observable of every event and
/// alert, and the store must hold millions of indicators in little memory: addresses and networks are disjoint
/// intervals searched in one binary search (longest-prefix match), hashes are raw bytes and strings UTF-8 in flat
/// arrays with open-addressing indexes, and per-indicator data is a 24-byte record.
/// </remarks>
public sealed class IntelSnapshot
{
    private const byte V4 = 1, V6 = 2, Domains = 3, Urls = 4, Emails = 5, Files = 6, Asns = 7, Md5s = 8, Sha1s = 9, Sha256s = 10;

    private readonly IndicatorRecord[] _records;
    private readonly string[][] _feedSets;
    private readonly string[][] _tagSets;
    private readonly AddressRanges<uint> _v4;
    private readonly AddressRanges<UInt128> _v6;
    private readonly StringKeys[] _strings;
    private readonly HashKeys[] _hashes;
    private readonly int _earliestExpiry;
    private readonly bool _allMatchSubdomains;

    private IntelSnapshot(IndicatorRecord[] records, string[][] feedSets, string[][] tagSets, AddressRanges<uint> v4, AddressRanges<UInt128> v6, StringKeys[] strings, HashKeys[] hashes, DateTimeOffset builtAt)
    {
        _records = records;
        _feedSets = feedSets;
        _tagSets = tagSets;
        _v4 = v4;
        _v6 = v6;
        _strings = strings;
        _hashes = hashes;
        BuiltAt = builtAt;
        _earliestExpiry = IndicatorRecord.NoExpiry;
        _allMatchSubdomains = true;
        foreach (var record in records)
        {
            _earliestExpiry = Math.Min(_earliestExpiry, record.Expires);
            _allMatchSubdomains &= record.MatchSubdomains;
        }
        Feeds = [.. feedSets.Where(set => set.Length == 1).Select(set => set[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    public static IntelSnapshot Empty { get; } = Build([], DateTimeOffset.UnixEpoch);

    public int Count => _records.Length;

    public DateTimeOffset BuiltAt { get; }

    /// <summary>Names of the feeds the snapshot was built from.</summary>
    public IReadOnlyList<string> Feeds { get; }

    /// <summary>Managed memory the snapshot's tables hold (the figure `intel stats` reports).</summary>
    public long ApproximateBytes =>
        (_records.Length * (long)System.Runtime.CompilerServices.Unsafe.SizeOf<IndicatorRecord>())
        + _v4.ApproximateBytes + _v6.ApproximateBytes
        + _strings.Sum(table => table.ApproximateBytes) + _hashes.Sum(table => table.ApproximateBytes);

    /// <summary>
    /// Merges the feeds' indicators into a snapshot. Revoked indicators and those already expired at <paramref name="now"/>
    /// are left out; a /32 (/128) network is the address itself.
    /// </summary>
    public static IntelSnapshot Build(IEnumerable<IntelFeed> feeds, DateTimeOffset now)
    {
        var nowSeconds = IndicatorRecord.Seconds(now);
        var merged = new Dictionary<Observable, Merged>();
        var feedNames = new List<string>();
        var feedIndexes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var feed in feeds)
        {
            if (!feedIndexes.TryGetValue(feed.Name, out var feedIndex))
            {
                feedIndex = feedNames.Count;
                feedIndexes[feed.Name] = feedIndex;
                feedNames.Add(feed.Name);
            }
            var halfLifeHours = (ushort)Math.Clamp(Math.Round(feed.HalfLife?.TotalHours ?? 0), 0, ushort.MaxValue);
            foreach (var indicator in feed.Indicators)
            {
                if (indicator.Revoked)
                {
                    continue;
                }
                var expires = indicator.ValidUntil is { } until ? IndicatorRecord.Seconds(until) : IndicatorRecord.NoExpiry;
                if (expires <= nowSeconds)
                {
                    continue;
                }
                var key = Canonical(indicator.Value);
                if (!merged.TryGetValue(key, out var entry))
                {
                    merged[key] = entry = new Merged();
                }
                entry.Add(indicator, feedIndex, halfLifeHours, expires, nowSeconds);
            }
        }
        return Assemble(merged, feedNames, now);
    }

    /// <summary>The most specific live match for the value: the value itself, else the narrowest listed network or nearest listed parent domain.</summary>
    public bool TryFind(Observable value, DateTimeOffset now, out IntelHitRef hit) =>
        TryFind(value, IndicatorRecord.Seconds(now), out hit);

    public bool TryMatch(Observable value, DateTimeOffset now, out IntelMatch match)
    {
        if (TryFind(value, now, out var hit))
        {
            match = Describe(hit, now);
            return true;
        }
        match = null!;
        return false;
    }

    /// <summary>Every live match for the value, most specific first: the address and each network around it, the domain and each listed parent.</summary>
    public IReadOnlyList<IntelMatch> MatchAll(Observable value, DateTimeOffset now)
    {
        var seconds = IndicatorRecord.Seconds(now);
        var matches = new List<IntelMatch>();
        switch (value.Type)
        {
            case ObservableType.Ipv4 or ObservableType.Ipv6 or ObservableType.Cidr:
                if (TryParseNetwork(value, out var isV6, out var network, out var length))
                {
                    var table = isV6 ? V6 : V4;
                    for (var prefix = FindPrefix(isV6, network, length); prefix >= 0; prefix = Parent(isV6, prefix))
                    {
                        if (!Expired(RecordIndex(table, prefix), seconds))
                        {
                            matches.Add(Describe(new IntelHitRef(table, prefix, PrefixLength(isV6, prefix) == length ? MatchReason.Exact : MatchReason.Cidr), now));
                        }
                    }
                }
                break;
            case ObservableType.Domain:
                {
                    var domains = _strings[0];
                    var full = true;
                    foreach (var suffix in new DomainSuffixes(Utf8(value.Value)))
                    {
                        var entry = domains.Find(suffix);
                        if (entry >= 0 && LiveForDomain(domains.RecordOf(entry), full, seconds))
                        {
                            matches.Add(Describe(new IntelHitRef(Domains, entry, full ? MatchReason.Exact : MatchReason.ParentDomain), now));
                        }
                        full = false;
                    }
                }
                break;
            default:
                if (TryFind(value, seconds, out var hit))
                {
                    matches.Add(Describe(hit, now));
                }
                break;
        }
        return matches;
    }

    /// <summary>The full story of a hit: the listed value, its score now, its feeds and tags, its dates.</summary>
    public IntelMatch Describe(IntelHitRef hit, DateTimeOffset now)
    {
        var record = _records[RecordIndex(hit.Table, hit.Entry)];
        return new IntelMatch(
            ValueOf(hit.Table, hit.Entry),
            hit.Reason,
            record.ScoreAt(IndicatorRecord.Seconds(now)),
            _feedSets[record.FeedSet],
            _tagSets[record.TagSet],
            IndicatorRecord.Time(record.FirstSeen),
            IndicatorRecord.Time(record.LastSeen),
            record.Expires == IndicatorRecord.NoExpiry ? null : IndicatorRecord.Time(record.Expires));
    }

    /// <summary>Indicators per type name (ipv4 and ipv6 count their networks too).</summary>
    public IReadOnlyDictionary<string, int> CountByType()
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        void Add(string type, int count)
        {
            if (count > 0)
            {
                counts[type] = count;
            }
        }
        Add("ipv4", _v4.Count);
        Add("ipv6", _v6.Count);
        Add("domain", _strings[0].Count);
        Add("url", _strings[Urls - Domains].Count);
        Add("email", _strings[Emails - Domains].Count);
        Add("file", _strings[Files - Domains].Count);
        Add("asn", _strings[Asns - Domains].Count);
        Add("md5", _hashes[0].Count);
        Add("sha1", _hashes[1].Count);
        Add("sha256", _hashes[2].Count);
        return counts;
    }

    /// <summary>Indicators each feed contributes (an indicator two feeds list counts for both).</summary>
    public IReadOnlyDictionary<string, int> CountByFeed()
    {
        var perSet = new int[_feedSets.Length];
        foreach (var record in _records)
        {
            perSet[record.FeedSet]++;
        }
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var set = 0; set < _feedSets.Length; set++)
        {
            foreach (var feed in _feedSets[set])
            {
                counts[feed] = counts.GetValueOrDefault(feed) + perSet[set];
            }
        }
        return counts;
    }

    private bool TryFind(Observable value, int now, out IntelHitRef hit)
    {
        hit = default;
        switch (value.Type)
        {
            case ObservableType.Ipv4 when TryParseIpv4(value.Value, out var address):
                return TryFindIpv4(address, now, out hit);
            case ObservableType.Ipv6 when _v6.Count == 0:
                return false;
            case ObservableType.Ipv6 or ObservableType.Cidr:
                return TryParseNetwork(value, out var isV6, out var network, out var length)
                    && TryFindPrefix(isV6, network, length, now, out hit);
            case ObservableType.Domain:
                return FindDomain(value.Value, now, out hit);
            case ObservableType.Url:
                return FindString(Urls, value.Value, now, out hit);
            case ObservableType.Email:
                return FindString(Emails, value.Value, now, out hit);
            case ObservableType.File or ObservableType.Process:
                return FindString(Files, FileName(value.Value), now, out hit);
            case ObservableType.Asn:
                return FindString(Asns, value.Value, now, out hit);
            case ObservableType.Md5:
                return FindHash(Md5s, value.Value, now, out hit);
            case ObservableType.Sha1:
                return FindHash(Sha1s, value.Value, now, out hit);
            case ObservableType.Sha256:
                return FindHash(Sha256s, value.Value, now, out hit);
            default:
                return false;
        }
    }

    // An address is covered by every prefix around it: no length check, and no 128-bit arithmetic.
    private bool TryFindIpv4(uint address, int now, out IntelHitRef hit)
    {
        var prefix = _v4.Find(address, out var length);
        if (prefix >= 0 && !Expired(_v4.RecordOf(prefix), now))
        {
            hit = new IntelHitRef(V4, prefix, length == 32 ? MatchReason.Exact : MatchReason.Cidr);
            return true;
        }
        // The narrowest network has expired: a wider one around it may still hold.
        for (prefix = prefix < 0 ? -1 : _v4.Parent(prefix); prefix >= 0; prefix = _v4.Parent(prefix))
        {
            if (!Expired(_v4.RecordOf(prefix), now))
            {
                hit = new IntelHitRef(V4, prefix, _v4.LengthOf(prefix) == 32 ? MatchReason.Exact : MatchReason.Cidr);
                return true;
            }
        }
        hit = default;
        return false;
    }

    private bool TryFindPrefix(bool isV6, UInt128 network, int length, int now, out IntelHitRef hit)
    {
        var table = isV6 ? V6 : V4;
        for (var prefix = FindPrefix(isV6, network, length); prefix >= 0; prefix = Parent(isV6, prefix))
        {
            if (!Expired(RecordIndex(table, prefix), now))
            {
                hit = new IntelHitRef(table, prefix, PrefixLength(isV6, prefix) == length ? MatchReason.Exact : MatchReason.Cidr);
                return true;
            }
        }
        hit = default;
        return false;
    }

    /// <summary>The narrowest listed prefix that covers the whole of network/length.</summary>
    private int FindPrefix(bool isV6, UInt128 network, int length)
    {
        var prefix = isV6 ? _v6.Find(network) : _v4.Find((uint)network);
        while (prefix >= 0 && PrefixLength(isV6, prefix) > length)
        {
            prefix = Parent(isV6, prefix);
        }
        return prefix;
    }

    private int Parent(bool isV6, int prefix) => isV6 ? _v6.Parent(prefix) : _v4.Parent(prefix);

    private int PrefixLength(bool isV6, int prefix) => isV6 ? _v6.LengthOf(prefix) : _v4.LengthOf(prefix);

    private bool FindDomain(string domain, int now, out IntelHitRef hit)
    {
        var domains = _strings[0];
        var full = true;
        foreach (var suffix in new DomainSuffixes(Utf8(domain)))
        {
            var entry = domains.Find(suffix);
            if (entry >= 0 && LiveForDomain(domains.RecordOf(entry), full, now))
            {
                hit = new IntelHitRef(Domains, entry, full ? MatchReason.Exact : MatchReason.ParentDomain);
                return true;
            }
            full = false;
        }
        hit = default;
        return false;
    }

    private bool LiveForDomain(int record, bool full, int now) =>
        (full || _allMatchSubdomains || _records[record].MatchSubdomains) && !Expired(record, now);

    private bool FindString(byte table, string value, int now, out IntelHitRef hit)
    {
        var keys = _strings[table - Domains];
        var entry = keys.Count == 0 ? -1 : keys.Find(Utf8(value));
        if (entry >= 0 && !Expired(keys.RecordOf(entry), now))
        {
            hit = new IntelHitRef(table, entry, MatchReason.Exact);
            return true;
        }
        hit = default;
        return false;
    }

    private bool FindHash(byte table, string value, int now, out IntelHitRef hit)
    {
        hit = default;
        var keys = _hashes[table - Md5s];
        Span<byte> key = stackalloc byte[32];
        key = key[..keys.Length];
        if (value.Length != keys.Length * 2 || Convert.FromHexString(value, key, out _, out _) != OperationStatus.Done)
        {
            return false;
        }
        var entry = keys.Find(key);
        if (entry < 0 || Expired(keys.RecordOf(entry), now))
        {
            return false;
        }
        hit = new IntelHitRef(table, entry, MatchReason.Exact);
        return true;
    }

    private int RecordIndex(byte table, int entry) => table switch
    {
        V4 => _v4.RecordOf(entry),
        V6 => _v6.RecordOf(entry),
        >= Md5s => _hashes[table - Md5s].RecordOf(entry),
        _ => _strings[table - Domains].RecordOf(entry),
    };

    // Most feeds give no expiry: until the first indicator expires, no lookup needs to read its record.
    private bool Expired(int record, int now) => now >= _earliestExpiry && _records[record].ExpiredAt(now);

    private Observable ValueOf(byte table, int entry)
    {
        switch (table)
        {
            case V4:
                {
                    var (network, length) = _v4.PrefixOf(entry);
                    var address = new IPAddress(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(network)).ToString();
                    return length == 32 ? new Observable(ObservableType.Ipv4, address) : new Observable(ObservableType.Cidr, $"{address}/{length}");
                }
            case V6:
                {
                    var (network, length) = _v6.PrefixOf(entry);
                    Span<byte> bytes = stackalloc byte[16];
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, network);
                    var address = new IPAddress(bytes).ToString();
                    return length == 128 ? new Observable(ObservableType.Ipv6, address) : new Observable(ObservableType.Cidr, $"{address}/{length}");
                }
            case >= Md5s:
                var type = table switch { Md5s => ObservableType.Md5, Sha1s => ObservableType.Sha1, _ => ObservableType.Sha256 };
                return new Observable(type, Convert.ToHexStringLower(_hashes[table - Md5s].KeyOf(entry)));
            default:
                var stringType = table switch
                {
                    Domains => ObservableType.Domain,
                    Urls => ObservableType.Url,
                    Emails => ObservableType.Email,
                    Files => ObservableType.File,
                    _ => ObservableType.Asn,
                };
                return new Observable(stringType, _strings[table - Domains].KeyOf(entry));
        }
    }

    private static IntelSnapshot Assemble(Dictionary<Observable, Merged> merged, List<string> feedNames, DateTimeOffset now)
    {
        var records = new IndicatorRecord[merged.Count];
        var v4 = new List<(uint, byte, int)>();
        var v6 = new List<(UInt128, byte, int)>();
        var strings = new List<(string, int)>[Asns - Domains + 1];
        for (var i = 0; i < strings.Length; i++)
        {
            strings[i] = [];
        }
        var hashes = new List<(byte[], int)>[] { [], [], [] };
        var feedSets = new Interner(feedNames.Select(name => new[] { name }));
        var tagSets = new Interner([[]]);
        var index = 0;
        foreach (var (value, entry) in merged)
        {
            records[index] = new IndicatorRecord(
                (byte)Math.Clamp(entry.Score, 0, 100),
                entry.MatchSubdomains,
                entry.HalfLifeHours,
                entry.OtherFeeds is null ? entry.FirstFeed : feedSets.Intern([.. entry.Feeds().Select(feed => feedNames[feed]).Order(StringComparer.Ordinal)]),
                entry.Tags is null ? 0 : tagSets.Intern([.. entry.Tags.Order(StringComparer.Ordinal)]),
                entry.FirstSeen,
                entry.LastSeen,
                entry.Expires);
            switch (value.Type)
            {
                case ObservableType.Ipv4 or ObservableType.Ipv6 or ObservableType.Cidr:
                    if (!TryParseNetwork(value, out var isV6, out var network, out var length))
                    {
                        throw new ArgumentException($"{value} is not an address or network");
                    }
                    if (isV6)
                    {
                        v6.Add((network, (byte)length, index));
                    }
                    else
                    {
                        v4.Add(((uint)network, (byte)length, index));
                    }
                    break;
                case ObservableType.Md5 or ObservableType.Sha1 or ObservableType.Sha256:
                    hashes[value.Type - ObservableType.Md5].Add((Convert.FromHexString(value.Value), index));
                    break;
                default:
                    strings[StringTable(value.Type) - Domains].Add((value.Value, index));
                    break;
            }
            index++;
        }
        return new IntelSnapshot(
            records,
            feedSets.ToArray(),
            tagSets.ToArray(),
            AddressRanges<uint>.Build(v4),
            AddressRanges<UInt128>.Build(v6),
            [.. strings.Select(list => new StringKeys(list))],
            [new HashKeys(16, hashes[0]), new HashKeys(20, hashes[1]), new HashKeys(32, hashes[2])],
            now);
    }

    private static byte StringTable(ObservableType type) => type switch
    {
        ObservableType.Domain => Domains,
        ObservableType.Url => Urls,
        ObservableType.Email => Emails,
        ObservableType.Asn => Asns,
        _ => Files,
    };

    /// <summary>One key per indicator: a /32 network is its address, a path is its file name (feeds list names, events carry paths).</summary>
    private static Observable Canonical(Observable value)
    {
        switch (value.Type)
        {
            case ObservableType.Cidr when TryParseNetwork(value, out var isV6, out _, out var length) && length == (isV6 ? 128 : 32):
                return new Observable(isV6 ? ObservableType.Ipv6 : ObservableType.Ipv4, value.Value[..value.Value.IndexOf('/', StringComparison.Ordinal)]);
            case ObservableType.Process:
                return new Observable(ObservableType.File, FileName(value.Value));
            case ObservableType.File:
                return new Observable(ObservableType.File, FileName(value.Value));
            case ObservableType.User or ObservableType.Host:
                throw new ArgumentException($"{value} is not an indicator type the store keeps", nameof(value));
            default:
                return value;
        }
    }

    /// <summary>File names compare case-insensitively, as Windows does: "MIMIKATZ.EXE" is mimikatz.exe.</summary>
    private static string FileName(string path)
    {
        var slash = path.AsSpan().LastIndexOfAny('\\', '/');
        var name = slash >= 0 ? path[(slash + 1)..] : path;
        return name.ToLowerInvariant();
    }

    private static bool TryParseNetwork(Observable value, out bool isV6, out UInt128 network, out int length)
    {
        isV6 = false;
        network = 0;
        length = 0;
        var text = value.Value.AsSpan();
        var slash = text.IndexOf('/');
        var addressText = slash >= 0 ? text[..slash] : text;
        if (TryParseIpv4(addressText, out var v4))
        {
            length = 32;
            network = v4;
        }
        else if (IPAddress.TryParse(addressText, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            Span<byte> bytes = stackalloc byte[16];
            address.TryWriteBytes(bytes, out _);
            network = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
            isV6 = true;
            length = 128;
        }
        else
        {
            return false;
        }
        if (slash >= 0)
        {
            if (!int.TryParse(text[(slash + 1)..], out var prefix) || prefix < 0 || prefix > length)
            {
                return false;
            }
            length = prefix;
            network = isV6 ? AddressRanges<UInt128>.Mask(network, length) : AddressRanges<uint>.Mask((uint)network, length);
        }
        return true;
    }

    /// <summary>Canonical dotted quads only (what <see cref="Observable"/> produces), without allocating.</summary>
    internal static bool TryParseIpv4(ReadOnlySpan<char> text, out uint address)
    {
        address = 0;
        uint part = 0;
        var digits = 0;
        var dots = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                if (digits == 0 || ++dots > 3)
                {
                    return false;
                }
                address = (address << 8) | part;
                part = 0;
                digits = 0;
                continue;
            }
            var digit = (uint)(c - '0');
            if (digit > 9 || ++digits > 3)
            {
                return false;
            }
            part = (part * 10) + digit;
            if (part > 255)
            {
                return false;
            }
        }
        if (dots != 3 || digits == 0)
        {
            return false;
        }
        address = (address << 8) | part;
        return true;
    }

    [ThreadStatic]
    private static byte[]? t_key;

    /// <summary>The value as UTF-8 in this thread's buffer, valid until the thread's next lookup.</summary>
    private static ReadOnlySpan<byte> Utf8(string text)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var buffer = t_key;
        if (buffer is null || buffer.Length < max)
        {
            t_key = buffer = new byte[Math.Max(max, 1024)];
        }
        var written = Encoding.UTF8.GetBytes(text, buffer);
        return buffer.AsSpan(0, written);
    }

    /// <summary>a.b.evil.example, b.evil.example, evil.example: the name and each parent with at least two labels.</summary>
    private ref struct DomainSuffixes(ReadOnlySpan<byte> name)
    {
        private ReadOnlySpan<byte> _rest = name;
        private bool _started;

        public ReadOnlySpan<byte> Current { get; private set; }

        public readonly DomainSuffixes GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_started)
            {
                var dot = _rest.IndexOf((byte)'.');
                if (dot < 0)
                {
                    return false;
                }
                _rest = _rest[(dot + 1)..];
            }
            _started = true;
            if (_rest.IndexOf((byte)'.') < 0)
            {
                return false;
            }
            Current = _rest;
            return true;
        }
    }

    /// <summary>Shared lists (feed sets, tag sets) stored once and referred to by index.</summary>
    private sealed class Interner
    {
        private readonly List<string[]> _sets = [];
        private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);

        public Interner(IEnumerable<string[]> initial)
        {
            foreach (var set in initial)
            {
                Intern(set);
            }
        }

        public int Intern(string[] set)
        {
            var key = string.Join('\u001f', set);
            if (!_indexes.TryGetValue(key, out var index))
            {
                index = _sets.Count;
                _indexes[key] = index;
                _sets.Add(set);
            }
            return index;
        }

        public string[][] ToArray() => [.. _sets];
    }

    /// <summary>One value's listings across feeds while a snapshot is built.</summary>
    private sealed class Merged
    {
        public int Score = -1;
        public bool MatchSubdomains;
        public ushort HalfLifeHours;
        public int FirstSeen = int.MaxValue;
        public int LastSeen;
        public int Expires;
        public int FirstFeed = -1;
        public List<int>? OtherFeeds;
        public HashSet<string>? Tags;

        public void Add(FeedIndicator indicator, int feed, ushort halfLifeHours, int expires, int now)
        {
            var score = Math.Clamp(indicator.Score ?? 50, 0, 100);
            if (score > Score)
            {
                // The feed that rates the value highest decides how fast that rating fades.
                Score = score;
                HalfLifeHours = halfLifeHours;
            }
            MatchSubdomains |= indicator.MatchSubdomains;
            var lastSeen = indicator.LastSeen ?? indicator.FirstSeen;
            var firstSeen = indicator.FirstSeen ?? indicator.LastSeen;
            FirstSeen = Math.Min(FirstSeen, firstSeen is { } first ? IndicatorRecord.Seconds(first) : now);
            LastSeen = Math.Max(LastSeen, lastSeen is { } last ? IndicatorRecord.Seconds(last) : now);
            Expires = Math.Max(Expires, expires);
            if (FirstFeed < 0)
            {
                FirstFeed = feed;
            }
            else if (FirstFeed != feed && (OtherFeeds is null || !OtherFeeds.Contains(feed)))
            {
                (OtherFeeds ??= []).Add(feed);
            }
            if (indicator.Tags.Count > 0)
            {
                Tags ??= new HashSet<string>(StringComparer.Ordinal);
                Tags.UnionWith(indicator.Tags);
            }
        }

        public IEnumerable<int> Feeds()
        {
            yield return FirstFeed;
            foreach (var feed in OtherFeeds ?? [])
            {
                yield return feed;
            }
        }
    }
}

/// <summary>Holds the current snapshot: readers take it without locks, an update swaps in a whole new one.</summary>
public sealed class IntelStore
{
    private IntelSnapshot _current = IntelSnapshot.Empty;

    public IntelSnapshot Current => Volatile.Read(ref _current);

    public void Swap(IntelSnapshot next) => Volatile.Write(ref _current, next);
}
