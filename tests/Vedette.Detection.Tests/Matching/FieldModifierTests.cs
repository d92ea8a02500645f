using Vedette.Detection.Mappings;

namespace Vedette.Tests.Matching;

/// <summary>
/// The generic, numeric, time, IP and specific modifiers of the Sigma modifiers appendix
/// (sigma-appendix-modifiers.md), and the placeholders of the rules specification ("Placeholders").
/// </summary>
public sealed class FieldModifierTests
{
    private const string Process = """
        "Image":"C:\\Windows\\System32\\cmd.exe","TargetFilename":"c:\\windows\\system32\\CMD.EXE","CommandLine":"cmd.exe /c whoami",
        "ParentImage":"C:\\Windows\\explorer.exe","Port":445,"SourceIp":"10.1.2.3","Nothing":null,"Empty":"",
        "UtcTime":"2024-03-05T23:10:42+02:00","Tags":["x","C:\\Windows"],"Multi":"first line\nsecond line"
        """;

    private static bool Matches(string detection, DetectionMappings? mappings = null) => Sigma.Matches(detection, Process, mappings);

    [Theory]
    // "fieldref: Modifies a plain string into a field reference", SigmaHQ's file_delete_win_delete_own_image.
    [InlineData("TargetFilename|fieldref: Image", true)]
    [InlineData("TargetFilename|fieldref|cased: Image", false)]
    [InlineData("CommandLine|fieldref: Image", false)]
    [InlineData("Image|fieldref|startswith: Tags", true)]
    [InlineData("Image|fieldref|endswith: ParentImage", false)]
    [InlineData("ParentImage|fieldref|contains: Tags", true)]
    [InlineData("Image|fieldref: Missing", false)]
    [InlineData("Missing|fieldref: Image", false)]
    [InlineData("Image|fieldref: Nothing", false)]
    [InlineData("Image|fieldref:\n    - Missing\n    - TargetFilename", true)]
    [InlineData("Image|fieldref|all:\n    - Missing\n    - TargetFilename", false)]
    // "Can be combined with the neq modifier".
    [InlineData("CommandLine|fieldref|neq: Image", true)]
    [InlineData("TargetFilename|fieldref|neq: Image", false)]
    public void Fieldref_compares_a_field_with_another_field_of_the_same_event(string item, bool expected)
    {
        Assert.Equal(expected, Matches(Sigma.Item(item)));
    }

    [Theory]
    // "neq: The field is different from the specified values" — pySigma negates the whole item.
    [InlineData("Port|neq: 445", false)]
    [InlineData("Port|neq: 3389", true)]
    [InlineData("Port|neq:\n    - 3389\n    - 445", false)]
    [InlineData("Image|contains|neq: powershell", true)]
    [InlineData("Image|endswith|neq: cmd.exe", false)]
    [InlineData("Missing|neq: 445", true)]
    [InlineData("Nothing|neq: null", false)]
    [InlineData("Image|neq: null", true)]
    public void Neq_matches_where_the_item_without_it_would_not(string item, bool expected)
    {
        Assert.Equal(expected, Matches(Sigma.Item(item)));
    }

    [Theory]
    // "exists ... only verifies the presence of a field, not its value, be it empty or null".
    [InlineData("Nothing|exists: true", true)]
    [InlineData("Empty|exists: true", true)]
    [InlineData("Missing|exists: true", false)]
    [InlineData("Missing|exists: false", true)]
    [InlineData("Image|exists: false", false)]
    public void Exists_tests_presence_only(string item, bool expected)
    {
        Assert.Equal(expected, Matches(Sigma.Item(item)));
    }

    [Theory]
    // "Time Modifiers ... extracts a numeric value from a date", with no time zone conversion.
    [InlineData("UtcTime|minute: 10", true)]
    [InlineData("UtcTime|hour: 23", true)]
    [InlineData("UtcTime|hour: 21", false)]
    [InlineData("UtcTime|day: 5", true)]
    [InlineData("UtcTime|week: 10", true)]
    [InlineData("UtcTime|month: 3", true)]
    [InlineData("UtcTime|year: 2024", true)]
    [InlineData("UtcTime|hour:\n    - 22\n    - 23", true)]
    [InlineData("Image|hour: 23", false)]
    [InlineData("UtcTime|hour|neq: 23", false)]
    public void Time_modifiers_compare_one_part_of_a_date_as_written(string item, bool expected)
    {
        Assert.Equal(expected, Matches(Sigma.Item(item)));
    }

    [Theory]
    [InlineData("Port|lt: 446", true)]
    [InlineData("Port|lte: 445", true)]
    [InlineData("Port|gt: 445", false)]
    [InlineData("Port|gte: 445.0", true)]
    [InlineData("Image|gt: 0", false)]
    [InlineData("SourceIp|cidr: 10.0.0.0/8", true)]
    [InlineData("SourceIp|cidr:\n    - 192.168.0.0/16\n    - 10.1.2.0/24", true)]
    [InlineData("SourceIp|cidr: 10.1.3.0/24", false)]
    [InlineData("SourceIp|cidr: '::/0'", false)]
    public void Numeric_and_cidr_modifiers_compare_numbers_and_networks(string item, bool expected)
    {
        Assert.Equal(expected, Matches(Sigma.Item(item)));
    }

    [Theory]
    // "Regex is matched case-sensitive by default", with the i, m and s sub-modifiers.
    [InlineData("CommandLine|re: 'WHOAMI'", false)]
    [InlineData("CommandLine|re|i: 'WHOAMI'", true)]
    [InlineData("CommandLine|re|ignorecase: 'WHOAMI'", true)]
    [InlineData("Multi|re: '^second'", false)]
    [InlineData("Multi|re|m: '^second'", true)]
    [InlineData("Multi|re: 'line.second'", false)]
    [InlineData("Multi|re|s: 'line.second'", true)]
    [InlineData("CommandLine|re: '(cmd|powershell)\\.exe /[a-z] who'", true)]
    // A regular expression is searched anywhere already, so contains, startswith and endswith change nothing.
    [InlineData("CommandLine|re|contains: 'c w'", true)]
    [InlineData("Image|re|cased: 'cmd'", null)]
    public void Re_searches_the_value_case_sensitively_with_optional_flags(string item, bool? expected)
    {
        if (expected is null)
        {
            Assert.Contains("modifier 'cased' does not apply to 're'", Sigma.Error(Sigma.Item(item)), StringComparison.Ordinal);
            return;
        }
        Assert.Equal(expected, Matches(Sigma.Item(item)));
    }

    [Theory]
    [InlineData("Image|cased: 'C:\\Windows\\System32\\cmd.exe'", true)]
    [InlineData("Image|cased|endswith: '\\CMD.exe'", false)]
    [InlineData("Image|endswith|cased: '\\cmd.exe'", true)]
    [InlineData("CommandLine|cased|contains|all:\n    - cmd\n    - WHOAMI", false)]
    public void Cased_makes_any_string_match_case_sensitive(string item, bool expected)
    {
        Assert.Equal(expected, Matches(Sigma.Item(item)));
    }

    private static readonly DetectionMappings WithPlaceholders = Sigma.Mappings with
    {
        Placeholders = new Dictionary<string, IReadOnlyList<string>>
        {
            ["Administrators"] = ["admin", "root"],
            ["Workstations"] = ["wks-*", "laptop??"],
        },
    };

    [Theory]
    // The rules specification's own three examples, then the placeholder values as Sigma strings.
    [InlineData("User: '%Administrators%'", "\"User\":\"%Administrators%\"", true)]
    [InlineData("User|expand: '%Administrators%'", "\"User\":\"ROOT\"", true)]
    [InlineData("User|expand: '%Administrators%'", "\"User\":\"%Administrators%\"", false)]
    [InlineData("User|expand: '\\%plain%Administrators%'", "\"User\":\"%plainadmin\"", true)]
    [InlineData("Computer|expand: '%Workstations%'", "\"Computer\":\"WKS-0042\"", true)]
    [InlineData("Computer|expand: '%Workstations%'", "\"Computer\":\"laptop07\"", true)]
    [InlineData("Computer|expand: '%Workstations%'", "\"Computer\":\"srv-01\"", false)]
    [InlineData("CommandLine|contains|expand: 'runas /user:%Administrators% '", "\"CommandLine\":\"x runas /user:root cmd\"", true)]
    [InlineData("CommandLine|expand|contains|all:\n    - '%Administrators%'\n    - 'runas'", "\"CommandLine\":\"runas /user:root\"", true)]
    public void Expand_replaces_placeholders_with_the_configured_values(string item, string fields, bool expected)
    {
        Assert.Equal(expected, Sigma.Matches(Sigma.Item(item), fields, WithPlaceholders));
    }

    [Fact]
    public void An_undefined_placeholder_refuses_the_rule_naming_it()
    {
        var reason = Sigma.Error("sel:\n  Computer|expand: '%DomainControllers%'\ncondition: sel", WithPlaceholders);
        Assert.Contains("placeholder '%DomainControllers%' is not defined", reason, StringComparison.Ordinal);
        Assert.Contains(DetectionMappings.PlaceholdersFile, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_placeholder_defined_without_values_loads_the_rule_which_then_matches_nothing_and_is_reported()
    {
        var empty = WithPlaceholders with { Placeholders = new Dictionary<string, IReadOnlyList<string>> { ["DomainControllers"] = [] } };
        var yaml = "title: t\nid: 00000000-0000-4000-8000-0000000000e1\nlogsource:\n  product: windows\ndetection:\n  sel:\n    Computer|expand: '%DomainControllers%'\n  condition: sel\nlevel: low";
        var rules = Vedette.Detection.RuleSet.FromYaml(yaml, empty);
        Assert.Empty(rules.Errors);
        Assert.Contains("%DomainControllers% has no values", Assert.Single(rules.Warnings).Reason, StringComparison.Ordinal);
        Assert.False(Sigma.Matches(Sigma.Item("Computer|expand: '%DomainControllers%'"), "\"Computer\":\"dc01\"", empty));
        Assert.False(Sigma.Matches(Sigma.Item("Computer|expand: '%DomainControllers%'"), "\"Computer\":\"\"", empty));
    }
}
