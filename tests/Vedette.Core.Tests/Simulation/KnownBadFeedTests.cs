using Vedette.Domain;
using Vedette.Enrich.Intel;
using Vedette.Enrich.Intel.Readers;
using Vedette.Pipeline;
using Vedette.Simulation;

namespace Vedette.Tests.Simulation;

public sealed class KnownBadFeedTests
{
    private readonly SimulatedDay _day = SimulatedDay.Of(SimulatedDay.Small);

    [Fact]
    public void The_feed_lists_the_phishing_and_c2_domains_the_c2_address_the_payload_hash_and_the_ssh_attacker()
    {
        var feed = _day.Result.KnownBadIndicators;
        var phishing = _day.Scenario(ScenarioKinds.PhishingExecutionBeaconing).Entities;
        var ssh = _day.Scenario(ScenarioKinds.SshBruteForce).Entities;

        foreach (var entity in phishing.Where(e => e.Type is ObservableType.Domain or ObservableType.Ipv4 or ObservableType.Sha256))
        {
            Assert.Contains(entity.Value, feed);
        }
        Assert.Contains(ssh.Single(e => e.Type == ObservableType.Ipv4).Value, feed);
        Assert.DoesNotContain(_day.Scenario(ScenarioKinds.WindowsBruteForce).Entities.Single(e => e.Type == ObservableType.Ipv4).Value, feed);
        Assert.InRange(feed.Count, 180, 220);
        Assert.Equal(feed.Count, feed.Distinct().Count());
    }

    [Fact]
    public void Decoy_indicators_never_appear_in_the_traffic()
    {
        var real = _day.Result.Scenarios.SelectMany(s => s.Entities).Select(e => e.Value).ToHashSet();
        var decoys = _day.Result.KnownBadIndicators.Where(i => !real.Contains(i)).ToList();
        var tokens = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in _day.Records)
        {
            foreach (var token in record.Text.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
            {
                tokens.Add(token);
            }
        }

        Assert.InRange(decoys.Count, 190, 210);
        Assert.DoesNotContain(decoys, tokens.Contains);
        Assert.Contains(real.First(v => v.Contains('.', StringComparison.Ordinal) && char.IsAsciiDigit(v[0])), tokens);
    }

    [Fact]
    public async Task The_feed_file_reads_back_as_a_plain_list_feed_without_errors()
    {
        using var writer = new StringWriter();
        Truth.WriteFeed(writer, _day.Result.KnownBadIndicators);
        var errors = new ErrorReport();

        var feed = new FeedDefinition { Name = "simulated", Kind = FeedKind.List, Location = "simulated" };
        var read = await FeedReaders.For(FeedKind.List).ReadAsync(new MemoryFeedLocation("simulated", System.Text.Encoding.UTF8.GetBytes(writer.ToString())), feed, errors, CancellationToken.None);
        var indicators = read.Indicators;

        Assert.StartsWith("# ", writer.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, errors.Count);
        Assert.Equal(_day.Result.KnownBadIndicators.Count, indicators.Count);
        Assert.Contains(indicators, i => i.Value.Type == ObservableType.Sha256);
    }

    private static readonly char[] Separators = [' ', '"', ',', ':', '/', '\\', ';', '=', '[', ']', '{', '}', '\'', '(', ')', '@'];
}
