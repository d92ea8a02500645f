using System.Text;
using Microsoft.Extensions.Time.Testing;
using Vedette.Detect;
using Vedette.Detection;
using Vedette.Domain;
using Vedette.Ingest;
using Vedette.Ingest.Readers;
using Vedette.Pipeline;

namespace Vedette.Tests.Rules;

/// <summary>
/// The whole SigmaHQ rule set over every Windows recording in ../shared/data (OTRF and EVTX-ATTACK-SAMPLES): how
/// often each rule fires is kept in a golden file. A change to the engine that changes a count shows up here, and
/// its commit must say why. VEDETTE_UPDATE_GOLDEN=1 rewrites the file.
/// </summary>
public sealed class SigmaHqGoldenTests
{
    private static readonly string Golden = Path.Combine(Repo.Root, "tests", "Vedette.Detection.Tests", "Golden", "sigmahq-windows-hits.tsv");

    [Fact]
    public async Task Per_rule_hit_counts_over_the_Windows_recordings_match_the_golden_file()
    {
        var rules = RuleSet.Load(
            [.. new[] { "rules", "rules-emerging-threats", "rules-threat-hunting", "rules-placeholder", "rules-compliance" }.Select(f => SharedData.Path("sigma", f))],
            Repo.LoadMappings());
        Assert.Empty(rules.Errors.Select(e => e.ToString()));

        var time = new FakeTimeProvider(Events.T0);
        var detector = new SigmaDetector(rules, time);
        // Read as `vedette hunt` reads: every record into one reused buffer, so the counts pin that path too.
        var normalizer = new RecordNormalizer(time, reuseBuffers: true);
        var output = new DetectionOutput();
        var hits = new Dictionary<string, int>(StringComparer.Ordinal);
        var errors = new ErrorReport();
        long events = 0;
        var source = new InputSource([SharedData.Path("winlogs", "otrf"), SharedData.Path("evtx")], new InputOptions { SyslogYear = 2020 });
        await foreach (var batch in source.ReadAsync(errors, CancellationToken.None))
        {
            using (batch)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    try
                    {
                        detector.Detect(normalizer.Normalize(batch.Line(i), new RecordRef(batch.Origin, batch.LineNumber(i))).Event, output);
                        events++;
                    }
                    catch (FormatException ex)
                    {
                        errors.Report(new RecordError(new RecordRef(batch.Origin, batch.LineNumber(i)), "normalize", ex.Message));
                    }
                    Count(output, hits);
                }
            }
        }
        detector.Flush(output);
        Count(output, hits);

        var titles = rules.Rules.ToDictionary(r => r.Meta.Id, r => r.Meta.Title, StringComparer.Ordinal);
        // Ids and counts only: the rules' own text is third-party content and stays in ../shared/data.
        var actual = new StringBuilder("# SigmaHQ rule id\thits over ../shared/data/winlogs/otrf and ../shared/data/evtx\n");
        foreach (var (id, count) in hits.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            actual.Append(id).Append('\t').Append(count).Append('\n');
        }
        // 156,230 OTRF events (INDEX.tsv) plus the EVTX samples' JSON renderings; the .evtx files themselves are binary and refused.
        Assert.True(events > 156_230, $"only {events} events were read");
        if (Environment.GetEnvironmentVariable("VEDETTE_UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllTextAsync(Golden, actual.ToString());
        }
        var expected = await File.ReadAllTextAsync(Golden);
        Assert.True(expected == actual.ToString(), Diff(expected, actual.ToString(), titles));
    }

    private static void Count(DetectionOutput output, Dictionary<string, int> hits)
    {
        foreach (var alert in output.Alerts)
        {
            hits[alert.RuleId] = hits.GetValueOrDefault(alert.RuleId) + 1;
        }
        output.Clear();
    }

    private static string Diff(string expected, string actual, Dictionary<string, string> titles)
    {
        var before = expected.Split('\n').Where(l => !l.StartsWith('#')).ToHashSet();
        var after = actual.Split('\n').Where(l => !l.StartsWith('#')).ToHashSet();
        string Titled(string line) => $"{line}\t{titles.GetValueOrDefault(line.Split('\t')[0], "")}";
        var lines = before.Except(after).Select(l => "- " + Titled(l)).Concat(after.Except(before).Select(l => "+ " + Titled(l))).Take(40);
        return "per-rule hit counts changed (VEDETTE_UPDATE_GOLDEN=1 rewrites the file; explain the change in the commit):\n" + string.Join('\n', lines);
    }
}
