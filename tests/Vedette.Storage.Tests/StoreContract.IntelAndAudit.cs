using Vedette.Domain;
using Vedette.Enrich.Intel;
using Vedette.Serialization;

namespace Vedette.Storage.Tests;

public abstract partial class StoreContract
{
    [Fact]
    public async Task A_feed_update_replaces_that_feed_s_indicators_and_no_other_s()
    {
        var drop = new FeedStatus("spamhaus-drop", FeedKind.Spamhaus, "/feeds/drop.json") { UpdatedAt = Some.Start, AttemptedAt = Some.Start };
        await Store.ReplaceFeedAsync(drop, [Listed(ObservableType.Cidr, "203.0.113.0/24"), Listed(ObservableType.Cidr, "198.51.100.0/24")], Ct);
        await Store.ReplaceFeedAsync(new FeedStatus("ipsum", FeedKind.List, "/feeds/ipsum.txt"), [Listed(ObservableType.Ipv4, "192.0.2.1")], Ct);

        await Store.ReplaceFeedAsync(drop with { UpdatedAt = Some.Start.AddHours(1) }, [Listed(ObservableType.Cidr, "203.0.113.0/24")], Ct);

        Assert.Equal(["203.0.113.0/24"], (await Store.ReadFeedIndicatorsAsync("spamhaus-drop", Ct)).Select(i => i.Value.Value));
        Assert.Equal(["192.0.2.1"], (await Store.ReadFeedIndicatorsAsync("ipsum", Ct)).Select(i => i.Value.Value));
        var feeds = await Store.ListFeedsAsync(Ct);
        Assert.Equal([("ipsum", 1), ("spamhaus-drop", 1)], feeds.Select(f => (f.Name, f.Indicators)));
        Assert.Equal((FeedKind.Spamhaus, "/feeds/drop.json", Some.Start.AddHours(1)), (feeds[1].Kind, feeds[1].Location, feeds[1].UpdatedAt));
        Assert.Equal(2, (await Store.CountAsync(Ct)).Indicators);
    }

    [Fact]
    public async Task Stored_indicators_keep_what_their_feed_said_about_them()
    {
        var indicator = Listed(ObservableType.Domain, "evil.example") with
        {
            Score = 85,
            FirstSeen = Some.Start.AddDays(-3),
            LastSeen = Some.Start,
            ValidUntil = Some.Start.AddDays(30),
            Tags = ["QakBot", "T1071"],
            MatchSubdomains = false,
        };
        await Store.ReplaceFeedAsync(new FeedStatus("stix", FeedKind.Stix, "bundle.json"), [indicator, Listed(ObservableType.Sha256, new string('a', 64))], Ct);
        await ReopenAsync();

        var stored = (await Store.ReadFeedIndicatorsAsync("stix", Ct)).OrderBy(i => i.Value.Type).ToList();

        Assert.Equal(indicator.Value, stored[0].Value);
        Assert.Equal((85, Some.Start.AddDays(-3), Some.Start, Some.Start.AddDays(30), false), (stored[0].Score, stored[0].FirstSeen, stored[0].LastSeen, stored[0].ValidUntil, stored[0].MatchSubdomains));
        Assert.Equal(["QakBot", "T1071"], stored[0].Tags);
        Assert.Equal(ObservableType.Sha256, stored[1].Value.Type);
        Assert.Null(stored[1].ValidUntil);
        Assert.True(stored[1].MatchSubdomains);
        Assert.Empty(stored[1].Tags);
    }

    [Fact]
    public async Task A_value_a_feed_lists_twice_is_stored_once_with_the_higher_score_and_wider_dates()
    {
        await Store.ReplaceFeedAsync(new FeedStatus("dup", FeedKind.Csv, "dup.csv"),
        [
            Listed(ObservableType.Ipv4, "192.0.2.1") with { Score = 40, FirstSeen = Some.Start, LastSeen = Some.Start, ValidUntil = Some.Start.AddDays(1) },
            Listed(ObservableType.Ipv4, "192.0.2.1") with { Score = 70, FirstSeen = Some.Start.AddDays(-1), LastSeen = Some.Start.AddDays(1), ValidUntil = Some.Start.AddDays(5) },
        ], Ct);

        var stored = Assert.Single(await Store.ReadFeedIndicatorsAsync("dup", Ct));
        Assert.Equal((70, Some.Start.AddDays(-1), Some.Start.AddDays(1), Some.Start.AddDays(5)), (stored.Score, stored.FirstSeen, stored.LastSeen, stored.ValidUntil));
        Assert.Equal(1, (await Store.ListFeedsAsync(Ct)).Single().Indicators);
    }

    [Fact]
    public async Task A_failed_update_is_recorded_and_the_feed_s_indicators_stay()
    {
        var status = new FeedStatus("urlhaus", FeedKind.Csv, "https://urlhaus.example/csv") { UpdatedAt = Some.Start, AttemptedAt = Some.Start, FetchState = "etag=\"abc\"" };
        await Store.ReplaceFeedAsync(status, [Listed(ObservableType.Url, "http://evil.example/x")], Ct);

        await Store.SaveFeedStatusAsync(status with { AttemptedAt = Some.Start.AddHours(1), LastError = "HTTP 500 from https://urlhaus.example/csv" }, Ct);

        var feed = Assert.Single(await Store.ListFeedsAsync(Ct));
        Assert.Equal((Some.Start, Some.Start.AddHours(1), "HTTP 500 from https://urlhaus.example/csv", 1), (feed.UpdatedAt, feed.AttemptedAt, feed.LastError, feed.Indicators));
        Assert.Equal(status.FetchState, feed.FetchState);
        Assert.Single(await Store.ReadFeedIndicatorsAsync("urlhaus", Ct));
    }

    [Fact]
    public async Task A_feed_never_loaded_has_no_indicators()
    {
        Assert.Empty(await Store.ReadFeedIndicatorsAsync("nobody", Ct));
        Assert.Empty(await Store.ListFeedsAsync(Ct));
    }

    private static FeedIndicator Listed(ObservableType type, string value) => new(Observable.Parse(type, value)) { Score = 50 };

    [Fact]
    public async Task Audit_entries_are_chained_by_hashes_anyone_can_recompute()
    {
        var at = Some.Start;
        var appended = new List<AuditEntry>
        {
            await Store.AppendAuditAsync("ana", "alert.acknowledge", "alert/1", """{"note":"looking"}""", at, Ct),
            await Store.AppendAuditAsync("system", "playbook.run", "incident/2", "", at.AddSeconds(1), Ct),
            await Store.AppendAuditAsync("bob", "alert.close", "alert/1", "verdict=false-positive\nline two", at.AddSeconds(2), Ct),
        };

        var read = await Store.ReadAuditAsync(0, 100, Ct);

        Assert.Equal(appended, read);
        Assert.Equal([1L, 2L, 3L], read.Select(e => e.Sequence));
        Assert.Equal(new string('0', 64), read[0].PreviousHash);
        for (var i = 0; i < read.Count; i++)
        {
            var e = read[i];
            Assert.Equal(AuditHash.Compute(e.PreviousHash, e.Sequence, e.At, e.Actor, e.Action, e.Target, e.Details), e.Hash);
            if (i > 0)
            {
                Assert.Equal(read[i - 1].Hash, e.PreviousHash);
            }
        }
        // Pinned (computed outside Vedette from the format AuditHash documents): a store that hashed differently
        // would break every chain exported before it.
        Assert.Equal("104a9713f601e506df1581898819ccfd9b4ef8f2b96e5632a6be2ad7ab00f320", read[0].Hash);
    }

    [Fact]
    public async Task Reading_the_audit_log_resumes_after_a_sequence_and_honours_the_limit()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.AppendAuditAsync("ana", "view", $"alert/{i}", "", Some.Start.AddSeconds(i), Ct);
        }

        var page = await Store.ReadAuditAsync(afterSequence: 2, limit: 2, Ct);

        Assert.Equal([3L, 4L], page.Select(e => e.Sequence));
        Assert.Equal(["alert/2", "alert/3"], page.Select(e => e.Target));
    }

    [Fact]
    public async Task Searching_the_audit_log_filters_by_actor_action_prefix_and_target_newest_first_and_pages_back()
    {
        string[] actions = ["incident.comment", "incident.assign", "incidentally.other", "alert.close", "incident.comment", "auth.signin"];
        for (var i = 0; i < actions.Length; i++)
        {
            await Store.AppendAuditAsync(i % 2 == 0 ? "ana" : "bob", actions[i], i < 3 ? "incident/1" : "incident/2", "", Some.Start.AddSeconds(i), Ct);
        }

        Assert.Equal([6L, 5L, 4L, 3L, 2L, 1L], (await Store.SearchAuditAsync(new AuditQuery(), Ct)).Select(e => e.Sequence));
        Assert.Equal([3L, 2L, 1L], (await Store.SearchAuditAsync(new AuditQuery { Target = "incident/1" }, Ct)).Select(e => e.Sequence));
        Assert.Equal([5L, 3L, 1L], (await Store.SearchAuditAsync(new AuditQuery { Actor = "ana" }, Ct)).Select(e => e.Sequence));
        // A prefix ends in '.': "incident." is not "incidentally.", and '%' or '_' in a name mean nothing special.
        Assert.Equal([5L, 2L, 1L], (await Store.SearchAuditAsync(new AuditQuery { Action = "incident." }, Ct)).Select(e => e.Sequence));
        Assert.Equal([5L, 1L], (await Store.SearchAuditAsync(new AuditQuery { Action = "incident.comment" }, Ct)).Select(e => e.Sequence));
        Assert.Empty(await Store.SearchAuditAsync(new AuditQuery { Action = "incident%" }, Ct));
        Assert.Equal([1L], (await Store.SearchAuditAsync(new AuditQuery { Target = "incident/1", Action = "incident.comment", Actor = "ana" }, Ct)).Select(e => e.Sequence));
        Assert.Equal([4L, 3L], (await Store.SearchAuditAsync(new AuditQuery { Before = 5, Limit = 2 }, Ct)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task The_audit_chain_continues_across_a_reopen()
    {
        var first = await Store.AppendAuditAsync("ana", "login", "session", "", Some.Start, Ct);
        await ReopenAsync();

        var second = await Store.AppendAuditAsync("ana", "logout", "session", "", Some.Start.AddHours(1), Ct);

        Assert.Equal((2L, first.Hash), (second.Sequence, second.PreviousHash));
    }
}
