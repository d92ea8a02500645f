using System.Net;
using Vedette.Domain;
using Vedette.Enrich.Intel;

namespace Vedette.Tests.Enrich;

public sealed class IntelSnapshotTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    private static FeedIndicator Listed(ObservableType type, string value, int score = 80) =>
        new(Observable.Parse(type, value)) { Score = score, FirstSeen = Now.AddDays(-1), LastSeen = Now.AddDays(-1) };

    private static IntelSnapshot Build(params (string Feed, FeedIndicator[] Indicators)[] feeds) =>
        IntelSnapshot.Build(feeds.Select(f => new IntelFeed(f.Feed, f.Indicators)), Now);

    private static IntelMatch? Match(IntelSnapshot snapshot, ObservableType type, string value, DateTimeOffset? at = null) =>
        snapshot.TryMatch(Observable.Parse(type, value), at ?? Now, out var match) ? match : null;

    [Fact]
    public void An_address_inside_a_listed_network_matches_as_cidr_and_names_the_network()
    {
        var snapshot = Build(("spamhaus-drop", [Listed(ObservableType.Cidr, "203.0.113.0/24")]));

        var match = Match(snapshot, ObservableType.Ipv4, "203.0.113.77");

        Assert.NotNull(match);
        Assert.Equal(MatchReason.Cidr, match.Reason);
        Assert.Equal("203.0.113.0/24", match.Indicator.Value);
        Assert.Equal(["spamhaus-drop"], match.Feeds);
        Assert.Null(Match(snapshot, ObservableType.Ipv4, "203.0.114.1"));
        Assert.Null(Match(snapshot, ObservableType.Ipv4, "203.0.112.255"));
    }

    [Fact]
    public void Nested_networks_give_the_longest_prefix_first_and_every_enclosing_one_in_MatchAll()
    {
        var snapshot = Build(
            ("wide", [Listed(ObservableType.Cidr, "10.0.0.0/8", 30)]),
            ("narrow", [Listed(ObservableType.Cidr, "10.1.0.0/16", 60)]),
            ("host", [Listed(ObservableType.Ipv4, "10.1.2.3", 90)]));

        Assert.Equal(("10.1.2.3", MatchReason.Exact), Describe(Match(snapshot, ObservableType.Ipv4, "10.1.2.3")));
        Assert.Equal(("10.1.0.0/16", MatchReason.Cidr), Describe(Match(snapshot, ObservableType.Ipv4, "10.1.2.4")));
        Assert.Equal(("10.0.0.0/8", MatchReason.Cidr), Describe(Match(snapshot, ObservableType.Ipv4, "10.2.0.1")));
        Assert.Equal(("10.0.0.0/8", MatchReason.Cidr), Describe(Match(snapshot, ObservableType.Ipv4, "10.255.255.255")));
        Assert.Null(Match(snapshot, ObservableType.Ipv4, "11.0.0.0"));
        Assert.Null(Match(snapshot, ObservableType.Ipv4, "9.255.255.255"));

        var all = snapshot.MatchAll(Observable.Parse(ObservableType.Ipv4, "10.1.2.3"), Now);
        Assert.Equal(["10.1.2.3", "10.1.0.0/16", "10.0.0.0/8"], all.Select(m => m.Indicator.Value));
        Assert.Equal([90, 60, 30], all.Select(m => m.Score));
    }

    [Fact]
    public void A_network_looked_up_matches_itself_exactly_and_the_networks_around_it()
    {
        var snapshot = Build(("drop", [Listed(ObservableType.Cidr, "198.51.100.0/24")]));

        Assert.Equal(("198.51.100.0/24", MatchReason.Exact), Describe(Match(snapshot, ObservableType.Cidr, "198.51.100.0/24")));
        Assert.Equal(("198.51.100.0/24", MatchReason.Cidr), Describe(Match(snapshot, ObservableType.Cidr, "198.51.100.128/25")));
        Assert.Null(Match(snapshot, ObservableType.Cidr, "198.51.0.0/16"));
    }

    [Fact]
    public void A_slash_32_is_the_address_itself()
    {
        var snapshot = Build(("a", [Listed(ObservableType.Cidr, "192.0.2.1/32")]), ("b", [Listed(ObservableType.Ipv4, "192.0.2.1")]));

        Assert.Equal(1, snapshot.Count);
        var match = Match(snapshot, ObservableType.Ipv4, "192.0.2.1");
        Assert.Equal(("192.0.2.1", MatchReason.Exact), Describe(match));
        Assert.Equal(["a", "b"], match!.Feeds);
    }

    [Fact]
    public void IPv6_networks_and_addresses_match_by_longest_prefix()
    {
        var snapshot = Build(("v6", [Listed(ObservableType.Cidr, "2001:db8::/32", 40), Listed(ObservableType.Cidr, "2001:db8:1::/48", 70), Listed(ObservableType.Ipv6, "2001:db8:1::5")]));

        Assert.Equal(("2001:db8:1::5", MatchReason.Exact), Describe(Match(snapshot, ObservableType.Ipv6, "2001:db8:1::5")));
        Assert.Equal(("2001:db8:1::/48", MatchReason.Cidr), Describe(Match(snapshot, ObservableType.Ipv6, "2001:db8:1::6")));
        Assert.Equal(("2001:db8::/32", MatchReason.Cidr), Describe(Match(snapshot, ObservableType.Ipv6, "2001:db8:ffff::1")));
        Assert.Null(Match(snapshot, ObservableType.Ipv6, "2001:db9::1"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Longest_prefix_match_agrees_with_a_brute_force_scan_over_random_networks(bool v6)
    {
        var random = new Random(v6 ? 6 : 4);
        var bits = v6 ? 128 : 32;
        var listed = new Dictionary<(UInt128, int), int>();
        var indicators = new List<FeedIndicator>();
        // Networks drawn around a few hot spots, so that many nest inside each other.
        var hot = Enumerable.Range(0, 8).Select(_ => RandomAddress(random, bits)).ToArray();
        for (var i = 0; i < 400; i++)
        {
            var length = random.Next(v6 ? 16 : 4, bits + 1);
            var address = hot[random.Next(hot.Length)] ^ (RandomAddress(random, bits) >> random.Next(length / 2, bits));
            var network = Mask(address, length, bits);
            if (listed.TryAdd((network, length), i))
            {
                indicators.Add(new FeedIndicator(Observable.Parse(ObservableType.Cidr, $"{ToAddress(network, v6)}/{length}")) { Score = i % 101 });
            }
        }
        var snapshot = Build(("random", [.. indicators]));

        for (var q = 0; q < 3000; q++)
        {
            var query = q % 3 == 0 ? RandomAddress(random, bits) : hot[random.Next(hot.Length)] ^ (RandomAddress(random, bits) >> random.Next(1, bits));
            var expected = listed.Keys.Where(p => Mask(query, p.Item2, bits) == p.Item1).OrderByDescending(p => p.Item2).Select(p => ((UInt128, int)?)p).FirstOrDefault();
            var found = snapshot.TryMatch(new Observable(v6 ? ObservableType.Ipv6 : ObservableType.Ipv4, ToAddress(query, v6)), Now, out var match);
            Assert.Equal(expected is not null, found);
            if (expected is { } prefix)
            {
                var name = prefix.Item2 == bits ? ToAddress(prefix.Item1, v6) : $"{ToAddress(prefix.Item1, v6)}/{prefix.Item2}";
                Assert.Equal(name, match.Indicator.Value);
                var all = snapshot.MatchAll(new Observable(v6 ? ObservableType.Ipv6 : ObservableType.Ipv4, ToAddress(query, v6)), Now);
                Assert.Equal(listed.Keys.Count(p => Mask(query, p.Item2, bits) == p.Item1), all.Count);
            }
        }
    }

    [Fact]
    public void A_subdomain_of_a_listed_domain_matches_as_parent_domain()
    {
        var snapshot = Build(("phish", [Listed(ObservableType.Domain, "evil.example")]));

        Assert.Equal(("evil.example", MatchReason.ParentDomain), Describe(Match(snapshot, ObservableType.Domain, "a.b.evil.example")));
        Assert.Equal(("evil.example", MatchReason.Exact), Describe(Match(snapshot, ObservableType.Domain, "evil.example")));
        Assert.Null(Match(snapshot, ObservableType.Domain, "notevil.example"));
        Assert.Null(Match(snapshot, ObservableType.Domain, "example"[..] + ".org"));
    }

    [Fact]
    public void A_feed_that_lists_exact_names_only_does_not_match_subdomains()
    {
        var exactOnly = Listed(ObservableType.Domain, "cdn.example") with { MatchSubdomains = false };
        var snapshot = Build(("exact-only", [exactOnly]), ("parents", [Listed(ObservableType.Domain, "bad.example")]));

        Assert.Null(Match(snapshot, ObservableType.Domain, "x.cdn.example"));
        Assert.NotNull(Match(snapshot, ObservableType.Domain, "cdn.example"));
        Assert.Equal(MatchReason.ParentDomain, Match(snapshot, ObservableType.Domain, "x.bad.example")!.Reason);
    }

    [Fact]
    public void Expired_and_revoked_indicators_do_not_match()
    {
        var snapshot = Build(("stix",
        [
            Listed(ObservableType.Ipv4, "192.0.2.10") with { ValidUntil = Now.AddDays(-1) },
            Listed(ObservableType.Ipv4, "192.0.2.11") with { Revoked = true },
            Listed(ObservableType.Ipv4, "192.0.2.12") with { ValidUntil = Now.AddDays(2) },
            Listed(ObservableType.Domain, "gone.example") with { ValidUntil = Now.AddHours(1) },
        ]));

        Assert.Null(Match(snapshot, ObservableType.Ipv4, "192.0.2.10"));
        Assert.Null(Match(snapshot, ObservableType.Ipv4, "192.0.2.11"));
        Assert.NotNull(Match(snapshot, ObservableType.Ipv4, "192.0.2.12"));
        // Expiry is checked at lookup too: a snapshot built yesterday does not match what expired since.
        Assert.NotNull(Match(snapshot, ObservableType.Domain, "a.gone.example"));
        Assert.Null(Match(snapshot, ObservableType.Domain, "a.gone.example", Now.AddHours(2)));
        Assert.Null(Match(snapshot, ObservableType.Ipv4, "192.0.2.12", Now.AddDays(3)));
        Assert.Equal(Now.AddDays(2), Match(snapshot, ObservableType.Ipv4, "192.0.2.12")!.ExpiresAt);
    }

    [Fact]
    public void An_expired_network_gives_way_to_the_live_one_around_it()
    {
        var snapshot = Build(("f", [Listed(ObservableType.Cidr, "10.0.0.0/8"), Listed(ObservableType.Cidr, "10.1.0.0/16") with { ValidUntil = Now.AddHours(1) }]));

        Assert.Equal("10.1.0.0/16", Match(snapshot, ObservableType.Ipv4, "10.1.0.1")!.Indicator.Value);
        Assert.Equal("10.0.0.0/8", Match(snapshot, ObservableType.Ipv4, "10.1.0.1", Now.AddHours(2))!.Indicator.Value);
    }

    [Fact]
    public void An_indicator_listed_by_two_feeds_shows_both_the_highest_score_and_all_tags()
    {
        var snapshot = Build(
            ("feodo", [Listed(ObservableType.Ipv4, "203.0.113.7", 60) with { Tags = ["QakBot"] }]),
            ("ipsum", [Listed(ObservableType.Ipv4, "203.0.113.7", 90) with { Tags = ["scanner"], FirstSeen = Now.AddDays(-9) }]));

        var match = Match(snapshot, ObservableType.Ipv4, "203.0.113.7")!;

        Assert.Equal(["feodo", "ipsum"], match.Feeds);
        Assert.Equal(90, match.Score);
        Assert.Equal(["QakBot", "scanner"], match.Tags);
        Assert.Equal(Now.AddDays(-9), match.FirstSeen);
        Assert.Equal(Now.AddDays(-1), match.LastSeen);
        Assert.Equal(new Dictionary<string, int> { ["feodo"] = 1, ["ipsum"] = 1 }, snapshot.CountByFeed());
    }

    [Fact]
    public void Scores_halve_every_half_life_since_last_seen()
    {
        var feed = new IntelFeed("decaying", [Listed(ObservableType.Ipv4, "203.0.113.7", 80) with { LastSeen = Now }]) { HalfLife = TimeSpan.FromDays(1) };
        var snapshot = IntelSnapshot.Build([feed], Now);

        Assert.Equal(80, Match(snapshot, ObservableType.Ipv4, "203.0.113.7")!.Score);
        Assert.Equal(40, Match(snapshot, ObservableType.Ipv4, "203.0.113.7", Now.AddDays(1))!.Score);
        Assert.Equal(20, Match(snapshot, ObservableType.Ipv4, "203.0.113.7", Now.AddDays(2))!.Score);
    }

    [Fact]
    public void Hashes_urls_emails_files_and_asns_match_exactly()
    {
        var snapshot = Build(("mixed",
        [
            Listed(ObservableType.Md5, "44D88612FEA8A8F36DE82E1278ABB02F"),
            Listed(ObservableType.Sha1, "3395856ce81f2b7382dee72602f798b642f14140"),
            Listed(ObservableType.Sha256, "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"),
            Listed(ObservableType.Url, "hxxp://evil[.]example/payload.exe"),
            Listed(ObservableType.Email, "Phisher@Evil.Example"),
            Listed(ObservableType.File, "MIMIKATZ.EXE"),
            Listed(ObservableType.Asn, "AS64496"),
        ]));

        Assert.NotNull(Match(snapshot, ObservableType.Md5, "44d88612fea8a8f36de82e1278abb02f"));
        Assert.Null(Match(snapshot, ObservableType.Md5, "44d88612fea8a8f36de82e1278abb02e"));
        Assert.NotNull(Match(snapshot, ObservableType.Sha1, "3395856CE81F2B7382DEE72602F798B642F14140"));
        Assert.NotNull(Match(snapshot, ObservableType.Sha256, "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"));
        Assert.NotNull(Match(snapshot, ObservableType.Url, "http://evil.example/payload.exe"));
        Assert.Null(Match(snapshot, ObservableType.Url, "http://evil.example/other.exe"));
        Assert.NotNull(Match(snapshot, ObservableType.Email, "phisher@evil.example"));
        Assert.Equal("mimikatz.exe", Match(snapshot, ObservableType.Process, @"C:\Users\Public\mimikatz.exe")!.Indicator.Value);
        Assert.NotNull(Match(snapshot, ObservableType.Asn, "64496"));
        Assert.Equal(
            new Dictionary<string, int> { ["asn"] = 1, ["email"] = 1, ["file"] = 1, ["md5"] = 1, ["sha1"] = 1, ["sha256"] = 1, ["url"] = 1 },
            snapshot.CountByType());
    }

    [Fact]
    public async Task Lookups_on_another_thread_see_either_the_old_or_the_new_snapshot_whole()
    {
        var store = new IntelStore();
        var small = Build(("a", [.. Enumerable.Range(0, 100).Select(i => Listed(ObservableType.Ipv4, $"10.0.0.{i}"))]));
        var large = Build(("a", [.. Enumerable.Range(0, 200).Select(i => Listed(ObservableType.Ipv4, $"10.0.{i / 100}.{i % 100}"))]));
        store.Swap(small);
        var torn = 0;
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var snapshot = store.Current;
                var hits = Enumerable.Range(0, 200).Count(i => snapshot.TryFind(new Observable(ObservableType.Ipv4, $"10.0.{i / 100}.{i % 100}"), Now, out _));
                if (hits != snapshot.Count)
                {
                    Interlocked.Increment(ref torn);
                }
            }
        });
        for (var i = 0; i < 200; i++)
        {
            store.Swap(i % 2 == 0 ? large : small);
        }
        stop.Cancel();
        await reader;

        Assert.Equal(0, torn);
        Assert.Same(small, store.Current);
    }

    private static (string, MatchReason)? Describe(IntelMatch? match) => match is null ? null : (match.Indicator.Value, match.Reason);

    private static UInt128 RandomAddress(Random random, int bits)
    {
        var value = ((UInt128)(ulong)random.NextInt64() << 64) | (ulong)random.NextInt64();
        return bits == 128 ? value : value & uint.MaxValue;
    }

    private static UInt128 Mask(UInt128 address, int length, int bits) =>
        length == 0 ? 0 : address & ((UInt128.MaxValue << (128 - length)) >> (128 - bits));

    private static string ToAddress(UInt128 value, bool v6)
    {
        if (!v6)
        {
            return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]).ToString();
        }
        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return new IPAddress(bytes).ToString();
    }
}
