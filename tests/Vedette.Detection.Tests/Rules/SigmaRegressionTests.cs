using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Vedette.Detect;
using Vedette.Detection;
using Vedette.Domain;
using Vedette.Ingest;
using Xunit.Abstractions;

namespace Vedette.Tests.Rules;

/// <summary>
/// SigmaHQ's own regression cases (rule + sample + expected match count) as an external oracle. This first engine
/// supports a subset of Sigma; every case whose rule it loads must match as SigmaHQ says. The full engine (its
/// own issue) raises the number of cases that load.
/// </summary>
public sealed class SigmaRegressionTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_regression_case_whose_rule_loads_matches_its_sample()
    {
        var root = SharedData.Path("sigma-regression", "regression_data");
        var ruleFiles = IndexRuleFiles();
        var mappings = Repo.LoadMappings();
        var normalizer = new RecordNormalizer(new FakeTimeProvider(Events.T0));
        int evaluated = 0, skipped = 0;
        var failures = new List<string>();

        foreach (var info in Directory.EnumerateFiles(root, "info.yml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(info);
            var ruleId = Between(text, "rule_metadata:", "id:");
            var expected = text.Contains("match_count:", StringComparison.Ordinal) ? int.Parse(Between(text, "regression_tests_info:", "match_count:")) : 1;
            var json = Directory.GetFiles(Path.GetDirectoryName(info)!, "*.json").FirstOrDefault();
            if (json is null || !ruleFiles.TryGetValue(ruleId, out var ruleFile))
            {
                skipped++;
                continue;
            }
            var rules = RuleSet.Load([ruleFile], mappings);
            if (rules.Errors.Count > 0 || rules.Rules.Count == 0)
            {
                skipped++;
                continue;
            }
            evaluated++;
            var detector = new SigmaDetector(rules, new FakeTimeProvider(Events.T0));
            var found = new DetectionOutput();
            var index = 0;
            foreach (var record in ConcatenatedJson(json))
            {
                detector.Detect(normalizer.Normalize(record, new RecordRef(json, ++index)).Event, found);
            }
            detector.Flush(found);
            var matches = found.Alerts.Count(a => a.RuleId == ruleId);
            if (matches < expected)
            {
                failures.Add($"{ruleFile}: {matches} of {expected} expected matches");
            }
        }

        output.WriteLine($"evaluated {evaluated} regression cases, skipped {skipped} whose rules this engine does not load yet");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(evaluated >= 40, $"only {evaluated} regression cases could be evaluated");
    }

    private static Dictionary<string, string> IndexRuleFiles()
    {
        var index = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var folder in Directory.GetDirectories(SharedData.Path("sigma"), "rules*"))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.yml", SearchOption.AllDirectories))
            {
                foreach (var line in File.ReadLines(file).Take(8))
                {
                    if (line.StartsWith("id: ", StringComparison.Ordinal))
                    {
                        index.TryAdd(line[4..].Trim(), file);
                        break;
                    }
                }
            }
        }
        return index;
    }

    /// <summary>The renderings are pretty-printed objects one after another: a stream of JSON values, not one document.</summary>
    private static List<byte[]> ConcatenatedJson(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var records = new List<byte[]>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                records.Add(bytes[start..(int)reader.BytesConsumed]);
            }
        }
        return records;
    }

    private static string Between(string text, string section, string key)
    {
        var from = text.IndexOf(section, StringComparison.Ordinal);
        var at = text.IndexOf(key, from, StringComparison.Ordinal) + key.Length;
        var end = text.IndexOf('\n', at);
        return text[at..(end < 0 ? text.Length : end)].Trim();
    }
}
