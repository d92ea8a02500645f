using System.Text.Json;
using Xunit.Abstractions;

namespace Vedette.Tests.Commands;

/// <summary>vedette rules check, test and list: on a rule folder made for the test and on SigmaHQ's own rules and regression cases.</summary>
public sealed class RulesCommandTests(ITestOutputHelper output)
{
    private static string BuiltinRules => Path.Combine(AppContext.BaseDirectory, "rules");

    [Fact]
    public async Task Check_counts_a_good_and_a_broken_rule_and_names_the_broken_one_with_line_and_reason()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("good.yml"), SshdRule("Good", "0b6c1a58-55d0-4bb2-9f7c-4d1e1f0f5b11", "selection"));
        File.WriteAllText(folder.File("broken.yml"), SshdRule("Broken", "5d1b3f6e-2a47-4d55-8c1e-3f0a9b7c6d22", "selection and other"));

        var (exit, stdout, _) = await Cli.RunAsync("rules", "check", folder.Path, "--format", "json");

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(2, json.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("loaded").GetInt32());
        var failed = Assert.Single(json.RootElement.GetProperty("failed").EnumerateArray());
        Assert.EndsWith("broken.yml", failed.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.True(failed.GetProperty("line").GetInt32() > 0);
        Assert.Contains("other", failed.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_of_the_built_in_rules_passes()
    {
        var (exit, stdout, _) = await Cli.RunAsync("rules", "check", BuiltinRules);

        Assert.Equal(0, exit);
        Assert.Contains(" 0 failed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_of_SigmaHQ_accounts_for_every_rule_file()
    {
        string[] folders = ["rules", "rules-emerging-threats", "rules-threat-hunting"];
        var (_, stdout, _) = await Cli.RunAsync(["rules", "check", .. folders.Select(f => SharedData.Path("sigma", f)), "--format", "json"]);

        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        var failed = root.GetProperty("failed").GetArrayLength();
        output.WriteLine($"SigmaHQ rules: {root.GetProperty("total")} total, {root.GetProperty("loaded")} loaded, {failed} failed");
        Assert.Equal(root.GetProperty("total").GetInt32(), root.GetProperty("loaded").GetInt32() + failed);
        // SOURCES.md: 3,141 + 473 + 140 rule files, none with more than one rule.
        Assert.Equal(3754, root.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Test_over_SigmaHQ_regression_data_reports_every_case()
    {
        var (exit, stdout, stderr) = await Cli.RunAsync(
            "rules", "test", SharedData.Path("sigma-regression", "regression_data"),
            "--rules", SharedData.Path("sigma", "rules"),
            "--rules", SharedData.Path("sigma", "rules-emerging-threats"),
            "--rules", SharedData.Path("sigma", "rules-threat-hunting"),
            "--format", "json");

        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        var cases = root.GetProperty("cases").GetInt32();
        var passed = root.GetProperty("passed").GetInt32();
        var failed = root.GetProperty("failed").EnumerateArray().ToList();
        output.WriteLine($"SigmaHQ regression cases: {cases}, passed {passed}, failed {failed.Count}");
        foreach (var failure in failed)
        {
            output.WriteLine($"  {failure.GetProperty("case")}: {failure.GetProperty("actual")} of {failure.GetProperty("expected")} ({failure.GetProperty("reason")})");
        }

        Assert.Equal(139, cases);
        Assert.Equal(cases, passed + failed.Count);
        Assert.Equal(failed.Count > 0 ? 1 : 0, exit);
        Assert.All(failed, f =>
        {
            Assert.Matches("^[0-9a-f-]{36}$", f.GetProperty("ruleId").GetString());
            Assert.True(f.GetProperty("expected").GetInt32() >= 1);
            Assert.True(f.GetProperty("actual").GetInt32() < f.GetProperty("expected").GetInt32() || f.GetProperty("reason").ValueKind == JsonValueKind.String);
            Assert.False(string.IsNullOrEmpty(f.GetProperty("case").GetString()));
        });
        Assert.True(passed > 0, stderr);
    }

    [Fact]
    public async Task Test_passes_a_case_that_matches_enough_and_fails_one_that_expects_more_or_names_a_missing_rule()
    {
        using var folder = new TempFolder();
        var sample = string.Join("\n", Enumerable.Range(0, 12).Select(i =>
            $$"""{"@timestamp":"2026-03-01T10:00:{{i:00}}Z","host":"bastion","program":"sshd","pid":4242,"message":"Failed password for root from 203.0.113.9 port {{40000 + i}} ssh2"}"""));
        WriteCase(folder, "enough", "735dce02-45a7-494f-8f70-89abdab44657", 1, sample);
        WriteCase(folder, "too_few", "735dce02-45a7-494f-8f70-89abdab44657", 3, sample);
        WriteCase(folder, "missing_rule", "00000000-0000-4000-8000-000000000000", null, sample);

        var (exit, stdout, _) = await Cli.RunAsync("rules", "test", folder.Path, "--rules", BuiltinRules, "--format", "json");

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(3, json.RootElement.GetProperty("cases").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("passed").GetInt32());
        var failed = json.RootElement.GetProperty("failed").EnumerateArray().ToDictionary(f => f.GetProperty("case").GetString()!);
        Assert.Equal((3, 1), (failed["too_few"].GetProperty("expected").GetInt32(), failed["too_few"].GetProperty("actual").GetInt32()));
        Assert.Equal(JsonValueKind.Null, failed["too_few"].GetProperty("reason").ValueKind);
        Assert.Equal(0, failed["missing_rule"].GetProperty("actual").GetInt32());
        Assert.Contains("no rule with this id", failed["missing_rule"].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_names_the_techniques_and_tactics_of_each_rule_with_the_ATTACK_catalog()
    {
        var (exit, stdout, _) = await Cli.RunAsync("rules", "list", "--attack", SharedData.Path("attack", "enterprise-attack.csv"), "--format", "json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        var rules = json.RootElement.GetProperty("rules").EnumerateArray().ToList();
        Assert.NotEmpty(rules);
        var bruteForce = rules.Single(r => r.GetProperty("title").GetString() == "SSH Brute Force From One Source");
        Assert.Equal("735dce02-45a7-494f-8f70-89abdab44657", bruteForce.GetProperty("id").GetString());
        Assert.Equal("high", bruteForce.GetProperty("level").GetString());
        Assert.Equal("test", bruteForce.GetProperty("status").GetString());
        Assert.Equal("correlation", bruteForce.GetProperty("logsource").GetString());
        var technique = Assert.Single(bruteForce.GetProperty("techniques").EnumerateArray());
        Assert.Equal(("T1110.001", "Brute Force: Password Guessing"), (technique.GetProperty("id").GetString(), technique.GetProperty("name").GetString()));
        Assert.Equal(["Credential Access"], bruteForce.GetProperty("tactics").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains(rules, r => r.GetProperty("logsource").GetString() == "linux/sshd");
    }

    private static string SshdRule(string title, string id, string condition) => $$"""
        title: {{title}}
        id: {{id}}
        logsource: {product: linux, service: sshd}
        detection:
          selection: {message|contains: 'Failed password'}
          condition: {{condition}}
        level: low
        """;

    private static void WriteCase(TempFolder folder, string name, string ruleId, int? matchCount, string sample)
    {
        var path = Path.Combine(folder.Path, name);
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "info.yml"), $"""
            id: 3e1f1c2a-0000-4000-8000-{name.Length:000000000000}
            rule_metadata:
                - id: {ruleId}
                  title: case {name}
            regression_tests_info:
                - name: Positive Detection Test
                  type: evtx
                  {(matchCount is { } count ? $"match_count: {count}" : "")}
                  path: regression_data/{name}/{ruleId}.evtx
            """);
        File.WriteAllText(Path.Combine(path, ruleId + ".json"), sample);
    }
}
