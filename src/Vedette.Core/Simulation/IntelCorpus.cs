using System.Globalization;
using System.Net;
using Vedette.Domain;
using Vedette.Enrich.Intel;
using Vedette.Enrich.Intel.Readers;
using Vedette.Pipeline;

namespace Vedette.Simulation;

/// <summary>
/// A threat-intel store of realistic size for benchmarks: the real feed files (IPsum, FireHOL, Spamhaus, Feodo, STIX,
/// MISP) as they are, topped up with generated hashes, domains and URLs to the size asked for, and a mixed-type
/// query set in which some values are listed, some lie inside listed networks or under listed domains, and most
/// (as in real traffic) are not listed at all. Deterministic per seed.
/// </summary>
public sealed class IntelCorpus
{
    private IntelCorpus(IReadOnlyList<IntelFeed> feeds, int real, Observable[] queries)
    {
        Feeds = feeds;
        RealIndicators = real;
        Queries = queries;
    }

    public IReadOnlyList<IntelFeed> Feeds { get; }

    /// <summary>Indicators read from real feed files (before merging across feeds).</summary>
    public int RealIndicators { get; }

    public int TotalIndicators => Feeds.Sum(f => f.Indicators.Count);

    public Observable[] Queries { get; }

    /// <summary>Real files under <paramref name="feedsFolder"/> (the shared data's intel folder), when given and present.</summary>
    public static async Task<IntelCorpus> CreateAsync(string? feedsFolder, int indicators, int queries, int seed, CancellationToken cancellationToken)
    {
        var feeds = new List<IntelFeed>();
        if (feedsFolder is not null && Directory.Exists(feedsFolder))
        {
            foreach (var (name, kind, path, csv) in RealFiles(feedsFolder))
            {
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    continue;
                }
                var feed = new FeedDefinition { Name = name, Kind = kind, Location = path, Csv = csv };
                var read = await FeedReaders.For(kind).ReadAsync(new FileFeedLocation(path), feed, new ErrorReport(), cancellationToken);
                feeds.Add(new IntelFeed(name, read.Indicators));
            }
        }
        var real = feeds.Sum(f => f.Indicators.Count);
        var random = new Random(seed);
        // Real feeds overlap (FireHOL and Spamhaus list the same networks): count what they hold once merged.
        var distinctReal = IntelSnapshot.Build(feeds, DateTimeOffset.UtcNow).Count;
        var generated = Math.Max(0, indicators - distinctReal);
        // Hashes dominate real intel stores (MalwareBazaar, VirusTotal hunting), then domains, then URLs.
        var sha256 = generated * 30 / 100;
        var md5 = generated * 15 / 100;
        var sha1 = generated * 10 / 100;
        var urls = generated * 10 / 100;
        var domains = generated - sha256 - md5 - sha1 - urls;
        var generatedDomains = new List<string>(domains);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var listed = new List<FeedIndicator>(generated);
        for (var i = 0; i < domains; i++)
        {
            var domain = Domain(random);
            if (!seen.Add(domain))
            {
                i--;
                continue;
            }
            generatedDomains.Add(domain);
            listed.Add(new FeedIndicator(new Observable(ObservableType.Domain, domain)) { Score = 60 + (i % 40), Tags = i % 3 == 0 ? ["phishing"] : [] });
        }
        listed.AddRange(Hashes(random, ObservableType.Sha256, 32, sha256));
        listed.AddRange(Hashes(random, ObservableType.Md5, 16, md5));
        listed.AddRange(Hashes(random, ObservableType.Sha1, 20, sha1));
        for (var i = 0; i < urls; i++)
        {
            listed.Add(new FeedIndicator(new Observable(ObservableType.Url, Url(random, generatedDomains.Count > 0 ? generatedDomains[random.Next(generatedDomains.Count)] : Domain(random)))) { Score = 80 });
        }
        feeds.Add(new IntelFeed("generated", listed));
        // Copied at the end, so that the query strings lie together as the observables of freshly parsed alerts do,
        // rather than scattered among the feeds' strings.
        var mixed = MixedQueries(random, feeds, queries);
        for (var i = 0; i < mixed.Length; i++)
        {
            mixed[i] = new Observable(mixed[i].Type, new string(mixed[i].Value.AsSpan()));
        }
        return new IntelCorpus(feeds, real, mixed);
    }

    private static IEnumerable<(string Name, FeedKind Kind, string Path, CsvColumns? Csv)> RealFiles(string folder)
    {
        CsvPresets.TryGet("feodo", out var feodo);
        yield return ("ipsum", FeedKind.List, Path.Combine(folder, "ipsum", "ipsum.txt"), null);
        yield return ("firehol_level1", FeedKind.List, Path.Combine(folder, "firehol", "firehol_level1.netset"), null);
        yield return ("spamhaus-drop", FeedKind.Spamhaus, Path.Combine(folder, "spamhaus", "drop_v4.json"), null);
        yield return ("spamhaus-asn-drop", FeedKind.Spamhaus, Path.Combine(folder, "spamhaus", "asn_drop.json"), null);
        yield return ("feodo", FeedKind.Csv, Path.Combine(folder, "abusech-feodo", "ipblocklist.csv"), feodo);
        yield return ("stix-poisonivy", FeedKind.Stix, Path.Combine(folder, "stix21", "examples", "threat-reports", "poisonivy.json"), null);
        yield return ("stix-apt1", FeedKind.Stix, Path.Combine(folder, "stix21", "examples", "threat-reports", "apt1.json"), null);
        yield return ("misp", FeedKind.Misp, Path.Combine(folder, "misp-feed"), null);
    }

    /// <summary>
    /// A third of the queries are values that are listed (or inside a listed network, or under a listed domain),
    /// two thirds are not: mostly addresses and domains, as the observables of real alerts are.
    /// </summary>
    private static Observable[] MixedQueries(Random random, List<IntelFeed> feeds, int count)
    {
        var all = feeds.SelectMany(f => f.Indicators).Select(i => i.Value).ToArray();
        var byType = all.GroupBy(v => v.Type).ToDictionary(g => g.Key, g => g.ToArray());
        Observable Pick(ObservableType type) => byType[type][random.Next(byType[type].Length)];
        var queries = new Observable[count];
        for (var i = 0; i < count; i++)
        {
            var listed = random.Next(3) == 0;
            var kind = random.Next(100);
            queries[i] = kind switch
            {
                < 35 when listed && byType.ContainsKey(ObservableType.Cidr) && random.Next(2) == 0 => InsideNetwork(random, Pick(ObservableType.Cidr)),
                < 35 when listed && byType.ContainsKey(ObservableType.Ipv4) => Pick(ObservableType.Ipv4),
                < 35 => new Observable(ObservableType.Ipv4, new IPAddress((uint)random.Next()).ToString()),
                < 40 => new Observable(ObservableType.Ipv6, $"2001:db8:{random.Next(65536):x}::{random.Next(65536):x}"),
                < 70 when listed && byType.ContainsKey(ObservableType.Domain) => random.Next(2) == 0
                    ? Pick(ObservableType.Domain)
                    : new Observable(ObservableType.Domain, $"{Label(random, 6)}.{Pick(ObservableType.Domain).Value}"),
                < 70 => new Observable(ObservableType.Domain, Domain(random)),
                < 90 when listed && byType.ContainsKey(ObservableType.Sha256) => Pick(ObservableType.Sha256),
                < 90 => new Observable(ObservableType.Sha256, Convert.ToHexStringLower(RandomBytes(random, 32))),
                < 95 when listed && byType.ContainsKey(ObservableType.Md5) => Pick(ObservableType.Md5),
                < 95 => new Observable(ObservableType.Md5, Convert.ToHexStringLower(RandomBytes(random, 16))),
                _ when listed && byType.ContainsKey(ObservableType.Url) => Pick(ObservableType.Url),
                _ => new Observable(ObservableType.Url, Url(random, Domain(random))),
            };
        }
        return queries;
    }

    private static Observable InsideNetwork(Random random, Observable network)
    {
        var slash = network.Value.IndexOf('/', StringComparison.Ordinal);
        if (network.Value.Contains(':', StringComparison.Ordinal))
        {
            return new Observable(ObservableType.Ipv6, network.Value[..slash]);
        }
        var start = IPAddress.Parse(network.Value.AsSpan(0, slash)).GetAddressBytes();
        var length = int.Parse(network.Value.AsSpan(slash + 1), CultureInfo.InvariantCulture);
        var first = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(start);
        var size = length == 0 ? uint.MaxValue : (1u << (32 - length)) - 1;
        var address = first + (uint)(random.NextInt64(0, (long)size + 1));
        Span<byte> bytes = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new Observable(ObservableType.Ipv4, new IPAddress(bytes).ToString());
    }

    private static IEnumerable<FeedIndicator> Hashes(Random random, ObservableType type, int bytes, int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return new FeedIndicator(new Observable(type, Convert.ToHexStringLower(RandomBytes(random, bytes)))) { Score = 90, Tags = i % 4 == 0 ? ["ransomware"] : [] };
        }
    }

    private static readonly string[] Suffixes = ["com", "net", "org", "info", "xyz", "top", "ru", "cn", "io", "co.uk", "com.br", "online", "site"];

    private static string Domain(Random random) =>
        random.Next(4) == 0
            ? $"{Label(random, 4 + random.Next(6))}.{Label(random, 5 + random.Next(8))}.{Suffixes[random.Next(Suffixes.Length)]}"
            : $"{Label(random, 5 + random.Next(10))}.{Suffixes[random.Next(Suffixes.Length)]}";

    private static string Url(Random random, string host) =>
        $"http://{host}/{Label(random, 4 + random.Next(8))}/{Label(random, 6)}.{(random.Next(2) == 0 ? "exe" : "php")}";

    private static string Label(Random random, int length) =>
        string.Create(length, random, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + r.Next(26));
            }
        });

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
