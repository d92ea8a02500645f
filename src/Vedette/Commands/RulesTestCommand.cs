using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Detection;
using Vedette.Domain;
using Vedette.Ingest.Readers;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vedette.Cli.Commands;

internal sealed class RulesTestSettings : RuleSetSettings
{
    [CommandArgument(0, "<CASES_DIR>")]
    [Description("Folder of regression cases in SigmaHQ's format: folders holding info.yml and the sample's .json rendering.")]
    public string Cases { get; init; } = "";

    [CommandOption("--rules <PATH>")]
    [Description("Rule file or folder (repeatable); every case's rule must be among them.")]
    public string[] Rules { get; init; } = [];

    public override ValidationResult Validate() =>
        !Directory.Exists(Cases) ? ValidationResult.Error($"no such folder: {Cases}")
        : Rules.Length == 0 ? ValidationResult.Error("give the rules to test with --rules PATH")
        : Missing(Rules) is { } path ? ValidationResult.Error($"no such rule file or folder: {path}")
        : base.Validate();
}

/// <summary>One regression case: a rule, a sample of events, and how often the rule must match them (SigmaHQ's info.yml).</summary>
internal sealed record RegressionCase(string Name, string RuleId, string? Samples, int Expected);

/// <summary>The outcome of one case; a reason when the rule was not there to run or the sample could not be read.</summary>
internal sealed record RegressionOutcome(RegressionCase Case, int Actual, string? Reason)
{
    public bool Passed => Reason is null && Actual >= Case.Expected;
}

/// <summary>
/// vedette rules test: runs each regression case's rule over its sample with a fresh detector and checks it matched at
/// least the expected number of times (SigmaHQ's rule: fewer is a failure, more only a warning). Exit code 1 when any failed.
/// </summary>
internal sealed class RulesTestCommand : AsyncCommand<RulesTestSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RulesTestSettings settings, CancellationToken cancellationToken)
    {
        var rules = RuleSets.Load(settings.Rules, settings.Mapping);
        RuleSets.ReportLoadErrors(rules);
        var loaded = rules.Rules.Select(r => r.Meta.Id).ToHashSet(StringComparer.Ordinal);
        var options = new InputOptions { SyslogYear = TimeProvider.System.GetUtcNow().Year, SyslogNotAfter = TimeProvider.System.GetUtcNow() };
        var outcomes = new List<RegressionOutcome>();
        foreach (var info in Directory.EnumerateFiles(settings.Cases, "info.yml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            IReadOnlyList<RegressionCase> tests;
            try
            {
                tests = RegressionCases.Read(info, settings.Cases);
            }
            catch (InvalidDataException ex)
            {
                // A case that cannot be read is a failed case, not the end of the run.
                outcomes.Add(new RegressionOutcome(new RegressionCase(Path.GetRelativePath(settings.Cases, Path.GetDirectoryName(info)!), "", null, 1), 0, ex.Message));
                continue;
            }
            foreach (var test in tests)
            {
                outcomes.Add(await RunAsync(test, rules, loaded, options, cancellationToken));
            }
        }
        Print(outcomes, settings.Format);
        return outcomes.All(o => o.Passed) ? 0 : 1;
    }

    private static async Task<RegressionOutcome> RunAsync(RegressionCase test, RuleSet rules, HashSet<string> loaded, InputOptions options, CancellationToken cancellationToken)
    {
        if (!loaded.Contains(test.RuleId))
        {
            var why = rules.Errors.FirstOrDefault(e => e.RuleId == test.RuleId) is { } error ? $"the rule did not load: {error.Reason}" : "no rule with this id among the --rules paths";
            return new RegressionOutcome(test, 0, why);
        }
        if (test.Samples is null)
        {
            return new RegressionOutcome(test, 0, "no .json rendering of the sample next to info.yml");
        }
        var hunt = new HuntRun(rules, Severity.Informational, TimeProvider.System);
        await hunt.RunAsync(new InputSource([test.Samples], options), cancellationToken);
        var actual = hunt.Detections.Count(a => a.RuleId == test.RuleId);
        var reason = actual < test.Expected && hunt.Errors.Kept.FirstOrDefault() is { } failure ? $"the sample did not read cleanly: {failure}" : null;
        return new RegressionOutcome(test, actual, reason);
    }

    private static void Print(List<RegressionOutcome> outcomes, ReportFormat format)
    {
        var failed = outcomes.Where(o => !o.Passed).ToList();
        if (format == ReportFormat.Json)
        {
            StoreAccess.WriteJson(writer =>
            {
                writer.WriteStartObject();
                writer.WriteNumber("cases", outcomes.Count);
                writer.WriteNumber("passed", outcomes.Count - failed.Count);
                writer.WriteStartArray("failed");
                foreach (var outcome in failed)
                {
                    writer.WriteStartObject();
                    writer.WriteString("case", outcome.Case.Name);
                    writer.WriteString("ruleId", outcome.Case.RuleId);
                    writer.WriteNumber("expected", outcome.Case.Expected);
                    writer.WriteNumber("actual", outcome.Actual);
                    writer.WriteString("reason", outcome.Reason);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            });
            return;
        }
        if (failed.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumn("case").AddColumn("expected").AddColumn("actual").AddColumn("reason");
            foreach (var outcome in failed)
            {
                table.AddRow(new Text(outcome.Case.Name), new Text(outcome.Case.Expected.ToString()), new Text(outcome.Actual.ToString()), new Text(outcome.Reason ?? "matched too few times"));
            }
            AnsiConsole.Write(table);
        }
        AnsiConsole.MarkupLineInterpolated($"{outcomes.Count:N0} cases: [green]{outcomes.Count - failed.Count:N0} passed[/], [{(failed.Count > 0 ? "red" : "green")}]{failed.Count:N0} failed[/].");
    }
}

/// <summary>Reads SigmaHQ's info.yml: rule_metadata [{id, title}] and regression_tests_info [{name, path, match_count?}].</summary>
internal static class RegressionCases
{
    public static IReadOnlyList<RegressionCase> Read(string infoPath, string root)
    {
        var folder = Path.GetDirectoryName(infoPath)!;
        var name = Path.GetRelativePath(root, folder);
        YamlMappingNode info;
        try
        {
            using var reader = File.OpenText(infoPath);
            var yaml = new YamlStream();
            yaml.Load(reader);
            info = yaml.Documents.FirstOrDefault()?.RootNode as YamlMappingNode ?? throw new InvalidDataException($"{infoPath}: expected a map");
        }
        catch (YamlException ex)
        {
            throw new InvalidDataException($"{infoPath}:{ex.Start.Line}: {ex.Message}", ex);
        }
        var ruleId = Items(info, "rule_metadata").Select(m => Scalar(m, "id")).FirstOrDefault(id => id is not null)
            ?? throw new InvalidDataException($"{infoPath}: no rule_metadata id");
        var tests = Items(info, "regression_tests_info");
        return [.. tests.Select(test =>
        {
            var expected = int.TryParse(Scalar(test, "match_count"), out var count) ? count : 1;
            var label = tests.Count > 1 ? $"{name} [{Scalar(test, "name")}]" : name;
            return new RegressionCase(label, ruleId, Samples(folder, Scalar(test, "path")), expected);
        })];
    }

    /// <summary>The JSON rendering next to the EVTX the case names (same file name, .json), or the folder's only .json.</summary>
    private static string? Samples(string folder, string? evtxPath)
    {
        if (evtxPath is not null && Path.Combine(folder, Path.ChangeExtension(Path.GetFileName(evtxPath), ".json")) is var named && File.Exists(named))
        {
            return named;
        }
        var json = Directory.GetFiles(folder, "*.json");
        return json.Length == 1 ? json[0] : null;
    }

    private static List<YamlMappingNode> Items(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlSequenceNode sequence
            ? [.. sequence.Children.OfType<YamlMappingNode>()]
            : [];

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar ? scalar.Value : null;
}
