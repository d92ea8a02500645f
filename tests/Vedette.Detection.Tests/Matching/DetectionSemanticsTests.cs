using Microsoft.Extensions.Time.Testing;
using Vedette.Detect;
using Vedette.Detection;
using Vedette.Domain;

namespace Vedette.Tests.Matching;

/// <summary>Sigma's value and condition semantics, each rule written inline and run against events built from JSON.</summary>
public sealed class DetectionSemanticsTests
{
    private static readonly Detection.Mappings.DetectionMappings Mappings = Repo.LoadMappings();

    private static bool Matches(string detection, string eventJson)
    {
        var yaml = $"""
            title: Test
            id: 00000000-0000-4000-8000-000000000001
            logsource:
              product: windows
            detection:
            {Indent(detection)}
            level: medium
            """;
        var rules = RuleSet.FromYaml(yaml, Mappings);
        Assert.Empty(rules.Errors.Select(e => e.ToString()));
        var output = new DetectionOutput();
        new SigmaDetector(rules, new FakeTimeProvider(Events.T0)).Detect(Events.Json(eventJson), output);
        return output.Alerts.Count == 1;
    }

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(l => "  " + l));

    private const string Proc = """{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\Windows\\System32\\cmd.exe","CommandLine":"cmd.exe /c whoami","ParentImage":"C:\\Windows\\PSEXESVC.exe","Note":"a*b","Tags":["x","y"],"Empty":"","Port":"445","SourceIp":"10.1.2.3"}""";

    [Theory]
    [InlineData("sel:\n  Image: 'C:\\Windows\\System32\\CMD.EXE'\ncondition: sel", true)]
    [InlineData("sel:\n  Image|cased: 'C:\\Windows\\System32\\CMD.EXE'\ncondition: sel", false)]
    [InlineData("sel:\n  Image|endswith: '\\cmd.exe'\ncondition: sel", true)]
    [InlineData("sel:\n  Image|startswith: 'C:\\Windows\\'\ncondition: sel", true)]
    [InlineData("sel:\n  CommandLine|contains: 'WHOAMI'\ncondition: sel", true)]
    [InlineData("sel:\n  CommandLine|contains|all:\n    - cmd\n    - whoami\ncondition: sel", true)]
    [InlineData("sel:\n  CommandLine|contains|all:\n    - cmd\n    - net\ncondition: sel", false)]
    [InlineData("sel:\n  CommandLine:\n    - 'nope'\n    - 'cmd.exe /c whoami'\ncondition: sel", true)]
    [InlineData("sel:\n  Image: '*\\System32\\\\*.exe'\ncondition: sel", true)]
    [InlineData("sel:\n  Image: '*\\System32\\*.exe'\ncondition: sel", false)]
    [InlineData("sel:\n  Image: 'C:\\Windows\\System32\\cm?.exe'\ncondition: sel", true)]
    [InlineData("sel:\n  Note: 'a\\*b'\ncondition: sel", true)]
    [InlineData("sel:\n  Note: 'a\\*c'\ncondition: sel", false)]
    [InlineData("sel:\n  Tags: y\ncondition: sel", true)]
    [InlineData("sel:\n  Missing: null\ncondition: sel", true)]
    [InlineData("sel:\n  Image: null\ncondition: sel", false)]
    [InlineData("sel:\n  Empty: ''\ncondition: sel", true)]
    [InlineData("sel:\n  Image|exists: true\ncondition: sel", true)]
    [InlineData("sel:\n  Missing|exists: true\ncondition: sel", false)]
    [InlineData("sel:\n  Port|gte: 445\ncondition: sel", true)]
    [InlineData("sel:\n  Port|lt: 445\ncondition: sel", false)]
    [InlineData("sel:\n  SourceIp|cidr: 10.0.0.0/8\ncondition: sel", true)]
    [InlineData("sel:\n  SourceIp|cidr: 192.168.0.0/16\ncondition: sel", false)]
    [InlineData("sel:\n  CommandLine|re: 'cmd\\.exe /[cC] \\w+'\ncondition: sel", true)]
    [InlineData("sel:\n  CommandLine|re: 'CMD'\ncondition: sel", false)]
    [InlineData("sel:\n  CommandLine|re|i: 'CMD'\ncondition: sel", true)]
    [InlineData("keywords:\n  - 'WHOAMI'\ncondition: keywords", true)]
    [InlineData("keywords:\n  - 'mimikatz'\ncondition: keywords", false)]
    public void Values_and_modifiers_match_as_the_specification_says(string detection, bool expected)
    {
        Assert.Equal(expected, Matches(detection, Proc));
    }

    [Theory]
    [InlineData("a:\n  EventID: 1\nb:\n  Image|endswith: '\\powershell.exe'\ncondition: a and not b", true)]
    [InlineData("a:\n  EventID: 1\nb:\n  Image|endswith: '\\powershell.exe'\ncondition: a and b", false)]
    [InlineData("a:\n  EventID: 2\nb:\n  EventID: 1\ncondition: a or b", true)]
    [InlineData("a:\n  EventID: 2\nb:\n  EventID: 1\nc:\n  EventID: 3\ncondition: a or b and c", false)]
    [InlineData("a:\n  EventID: 2\nb:\n  EventID: 1\nc:\n  EventID: 1\ncondition: (a or b) and c", true)]
    [InlineData("sel_a:\n  EventID: 1\nsel_b:\n  EventID: 9\ncondition: 1 of sel_*", true)]
    [InlineData("sel_a:\n  EventID: 1\nsel_b:\n  EventID: 9\ncondition: all of sel_*", false)]
    [InlineData("sel_a:\n  EventID: 1\nsel_b:\n  Image|endswith: cmd.exe\ncondition: all of them", true)]
    [InlineData("sel:\n  EventID: 1\n_helper:\n  EventID: 9\ncondition: all of them", true)]
    [InlineData("sel:\n  EventID: 1\ncondition: not not sel", true)]
    [InlineData("sel:\n  - EventID: 9\n  - Image|endswith: cmd.exe\ncondition: sel", true)]
    [InlineData("sel:\n  EventID: 1\n  Image|endswith: powershell.exe\ncondition: sel", false)]
    public void Conditions_combine_searches_with_and_or_not_and_quantifiers(string detection, bool expected)
    {
        Assert.Equal(expected, Matches(detection, Proc));
    }

    [Fact]
    public void The_same_rule_runs_on_flat_and_nested_evtx_shapes()
    {
        const string detection = "sel:\n  Image|endswith: '\\cmd.exe'\n  EventID: 1\ncondition: sel";
        Assert.True(Matches(detection, Proc));
        Assert.True(Matches(detection, """{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"w"},"EventData":{"Image":"C:\\Windows\\System32\\cmd.exe"}}}"""));
        Assert.True(Matches(detection, """{"winlog":{"event_id":1,"channel":"Microsoft-Windows-Sysmon/Operational","computer_name":"w","event_data":{"Image":"C:\\Windows\\System32\\cmd.exe"}}}"""));
    }

    [Fact]
    public void A_rule_never_sees_events_of_another_logsource()
    {
        var yaml = """
            title: Linux only
            id: 00000000-0000-4000-8000-000000000002
            logsource:
              product: linux
              service: sshd
            detection:
              sel:
                user: root
              condition: sel
            level: low
            """;
        var rules = RuleSet.FromYaml(yaml, Mappings);
        var output = new DetectionOutput();
        var detector = new SigmaDetector(rules, new FakeTimeProvider(Events.T0));
        detector.Detect(Events.Json("""{"EventID":4625,"Channel":"Security","user":"root"}"""), output);
        Assert.Empty(output.Alerts);
        detector.Detect(Events.Json("""{"host":"web01","program":"sshd","message":"Failed password for root from 203.0.113.9 port 1 ssh2"}"""), output);
        Assert.Single(output.Alerts);
    }

    /// <summary>
    /// The plan finds an event's bucket from its channel and event id as the record wrote them: a channel the
    /// plan met recently reuses its bucket, any other is looked up ignoring case; an event id matches as text,
    /// whether the record wrote it as a number or a string, and a spelling with a leading zero is another text.
    /// The log source's channel and event id (Security 4688 for process creation) are the bucket's alone to check.
    /// </summary>
    [Fact]
    public void Channel_and_event_id_find_the_rules_however_the_record_spells_them()
    {
        const string Yaml = """
            title: Security process creation
            id: 00000000-0000-4000-8000-000000000003
            logsource:
              product: windows
              category: process_creation
            detection:
              sel:
                Image|endswith: '\cmd.exe'
              condition: sel
            level: low
            """;
        var detector = new SigmaDetector(RuleSet.FromYaml(Yaml, Mappings), new FakeTimeProvider(Events.T0));
        bool Fires(string json)
        {
            var output = new DetectionOutput();
            detector.Detect(Events.Json(json), output);
            return output.Alerts.Count == 1;
        }
        var events = new (string Json, bool Fires)[]
        {
            ("""{"Channel":"Security","EventID":4688,"NewProcessName":"C:\\x\\cmd.exe"}""", true),
            ("""{"Channel":"Security","EventID":4688,"NewProcessName":"C:\\x\\cmd.exe"}""", true),
            ("""{"Channel":"Security","EventID":"4688","NewProcessName":"C:\\x\\cmd.exe"}""", true),
            ("""{"Channel":"Security","EventID":"04688","NewProcessName":"C:\\x\\cmd.exe"}""", false),
            ("""{"Channel":"Security","EventID":4689,"NewProcessName":"C:\\x\\cmd.exe"}""", false),
            ("""{"Channel":"System","EventID":4688,"NewProcessName":"C:\\x\\cmd.exe"}""", false),
            ("""{"Channel":"SECURITY","EventID":4688,"NewProcessName":"C:\\x\\cmd.exe"}""", true),
            ("""{"Channel":"System","EventID":4688,"NewProcessName":"C:\\x\\cmd.exe"}""", false),
            ("""{"Channel":"Security","EventID":4688,"NewProcessName":"C:\\x\\cmd.exe"}""", true),
        };
        // More channels than the plan's memo of channels holds, then the first again: it is forgotten and looked up anew.
        var others = Enumerable.Range(0, 10).Select(i => ($$"""{"Channel":"Other{{i}}","EventID":4688,"NewProcessName":"C:\\x\\cmd.exe"}""", false));
        events = [.. events, .. others, .. others, .. events];
        Assert.Equal(events.Select(e => e.Fires), events.Select(e => Fires(e.Json)));
    }
}
