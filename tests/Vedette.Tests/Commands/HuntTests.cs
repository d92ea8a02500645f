using System.Text.Json;

namespace Vedette.Tests.Commands;

/// <summary>vedette hunt on real logs (loghub's OpenSSH sample) with the built-in rules: the detections and their shapes.</summary>
public sealed class HuntTests
{
    private static readonly string OpenSsh = SharedData.Path("linux-auth", "OpenSSH", "OpenSSH_2k.log");

    [Fact]
    public async Task Hunting_the_OpenSSH_sample_finds_brute_force_grouped_by_source_address()
    {
        var (exit, stdout, stderr) = await Cli.RunAsync("hunt", OpenSsh, "--format", "json", "--attack", SharedData.Path("attack", "enterprise-attack.csv"));

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(2000, root.GetProperty("events").GetInt64());
        Assert.Equal(0, root.GetProperty("errors").GetInt64());
        var detections = root.GetProperty("detections").EnumerateArray().ToList();
        Assert.All(detections, d =>
        {
            Assert.Equal(JsonValueKind.String, d.GetProperty("ruleId").ValueKind);
            Assert.Contains(d.GetProperty("level").GetString(), new[] { "informational", "low", "medium", "high", "critical" });
            Assert.Equal(JsonValueKind.Array, d.GetProperty("tags").ValueKind);
            Assert.True(DateTimeOffset.TryParse(d.GetProperty("timestamp").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
            Assert.Equal(JsonValueKind.Object, d.GetProperty("groupBy").ValueKind);
            Assert.Matches(@"OpenSSH_2k\.log:\d+$", d.GetProperty("source").GetString());
            Assert.Equal("sshd", d.GetProperty("fields").GetProperty("program").GetString());
        });

        var bruteForce = detections.Where(d => d.GetProperty("title").GetString() == "SSH Brute Force From One Source").ToList();
        Assert.NotEmpty(bruteForce);
        Assert.All(bruteForce, d => Assert.Equal("high", d.GetProperty("level").GetString()));
        Assert.All(bruteForce, d => Assert.Matches(@"^\d+\.\d+\.\d+\.\d+$", d.GetProperty("groupBy").GetProperty("src_ip").GetString()));
        Assert.All(bruteForce, d => Assert.True(d.GetProperty("eventCount").GetInt32() >= 10));
        // 183.62.140.253 fails about 300 times in the sample: the loudest attacker cannot be missed.
        Assert.Contains(bruteForce, d => d.GetProperty("groupBy").GetProperty("src_ip").GetString() == "183.62.140.253");

        var summary = root.GetProperty("summary").EnumerateArray().Single(s => s.GetProperty("title").GetString() == "SSH Brute Force From One Source");
        Assert.Equal(bruteForce.Count, summary.GetProperty("count").GetInt32());
        Assert.Equal(bruteForce[0].GetProperty("ruleId").GetString(), summary.GetProperty("ruleId").GetString());
        var technique = Assert.Single(summary.GetProperty("techniques").EnumerateArray());
        Assert.Equal("Brute Force: Password Guessing", technique.GetProperty("name").GetString());
    }

    [Fact]
    public async Task CSV_output_has_a_header_and_one_row_per_detection()
    {
        var (exit, stdout, _) = await Cli.RunAsync("hunt", OpenSsh, "--format", "csv");
        var (_, json, _) = await Cli.RunAsync("hunt", OpenSsh, "--format", "json");

        Assert.Equal(0, exit);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("timestamp,level,ruleId,title,source,groupBy,eventCount,tags", lines[0]);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(document.RootElement.GetProperty("detections").GetArrayLength(), lines.Length - 1);
        Assert.Contains(lines, l => l.Contains(",SSH Brute Force From One Source,", StringComparison.Ordinal) && l.Contains("src_ip=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Min_level_keeps_only_detections_at_or_above_it()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("accepted.yml"), """
            title: SSH Password Login Accepted
            id: 8d0e2a43-6c56-4b8e-9a39-2d7fb1b7f0a1
            status: test
            logsource: {product: linux, service: sshd}
            detection:
              selection:
                message|startswith: 'Accepted password for '
              condition: selection
            level: low
            """);

        var all = await HuntJsonAsync(OpenSsh, "--rules", folder.Path);
        var high = await HuntJsonAsync(OpenSsh, "--rules", folder.Path, "--min-level", "high");

        Assert.Contains("low", Levels(all));
        Assert.Contains("high", Levels(all));
        Assert.Equal(["high"], Levels(high).Distinct());
        Assert.Equal(Levels(all).Count(l => l == "high"), Levels(high).Count);
        Assert.DoesNotContain(high.GetProperty("summary").EnumerateArray(), s => s.GetProperty("title").GetString() == "SSH Password Login Accepted");
    }

    [Fact]
    public async Task Unreadable_records_are_counted_and_named_and_the_rest_is_hunted()
    {
        using var folder = new TempFolder();
        var input = folder.File("mixed.log");
        File.WriteAllLines(input, [.. File.ReadLines(OpenSsh).Take(300), "this is not syslog", .. File.ReadLines(OpenSsh).Skip(300).Take(100)]);

        var (exit, stdout, stderr) = await Cli.RunAsync("hunt", input, "--format", "json", "--syslog-year", "2017");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(400, json.RootElement.GetProperty("events").GetInt64());
        Assert.Equal(1, json.RootElement.GetProperty("errors").GetInt64());
        Assert.Contains("mixed.log:301: ingest: not a syslog line", stderr, StringComparison.Ordinal);
        Assert.All(json.RootElement.GetProperty("detections").EnumerateArray(), d => Assert.StartsWith("2017-12-10T", d.GetProperty("timestamp").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_rules_the_hunt_is_refused()
    {
        var (exit, _, stderr) = await Cli.RunAsync("hunt", OpenSsh, "--no-builtin");
        Assert.NotEqual(0, exit);
        Assert.Contains("--no-builtin leaves no rules", stderr, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> HuntJsonAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await Cli.RunAsync(["hunt", .. args, "--format", "json"]);
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        return json.RootElement.Clone();
    }

    private static List<string> Levels(JsonElement hunt) =>
        [.. hunt.GetProperty("detections").EnumerateArray().Select(d => d.GetProperty("level").GetString()!)];
}
