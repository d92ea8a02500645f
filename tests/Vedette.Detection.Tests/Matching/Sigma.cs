using Microsoft.Extensions.Time.Testing;
using Vedette.Detect;
using Vedette.Detection;
using Vedette.Detection.Mappings;

namespace Vedette.Tests.Matching;

/// <summary>Runs one inline detection section, as a whole Windows rule, through the real loader and detector.</summary>
internal static class Sigma
{
    public static readonly DetectionMappings Mappings = Repo.LoadMappings();

    /// <summary>A Sysmon process-creation event with the given extra fields (a JSON object body, no braces).</summary>
    public static string Event(string fields) =>
        $$"""{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"{{(fields.Length > 0 ? "," + fields : "")}}}""";

    /// <summary>A detection of one search holding one item, the search being the condition.</summary>
    public static string Item(string item) => $"sel:\n  {item}\ncondition: sel";

    public static string Rule(string detection) => $"""
        title: Test
        id: 00000000-0000-4000-8000-000000000001
        logsource:
          product: windows
        detection:
        {string.Join('\n', detection.Split('\n').Select(l => "  " + l))}
        level: medium
        """;

    public static bool Matches(string detection, string eventFields, DetectionMappings? mappings = null)
    {
        var rules = RuleSet.FromYaml(Rule(detection), mappings ?? Mappings);
        Assert.Empty(rules.Errors.Select(e => e.ToString()));
        var output = new DetectionOutput();
        new SigmaDetector(rules, new FakeTimeProvider(Events.T0)).Detect(Events.Json(Event(eventFields)), output);
        return output.Alerts.Count == 1;
    }

    /// <summary>The reason the rule is refused (it must be refused, once).</summary>
    public static string Error(string detection, DetectionMappings? mappings = null) =>
        Assert.Single(RuleSet.FromYaml(Rule(detection), mappings ?? Mappings).Errors).Reason;

    /// <summary>A JSON string literal for a value (quotes, backslashes and control characters escaped).</summary>
    public static string Json(string value) => Events.Quote(value);
}
