using System.Text.Json;
using Vedette.Storage.Sqlite;

namespace Vedette.Tests.Commands;

public sealed class SuppressCommandTests
{
    /// <summary>The shipped rule "Encoded PowerShell Command Line".</summary>
    private const string EncodedPowerShell = "25b3060f-ada6-4353-b558-d5cca5b76705";

    /// <summary>A Sysmon process creation of PowerShell with an encoded command, as the simulator writes it.</summary>
    private static string EncodedCommand(int minute, string host, string user, string parentImage) =>
        $$"""{"@timestamp":"2026-11-02T09:{{minute:00}}:00.000Z","EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Hostname":"{{host}}.corp.example","Image":"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe","CommandLine":"powershell.exe -nop -w hidden -enc SQBFAFgA","User":"CORP\\{{user}}","ParentImage":"{{parentImage.Replace(@"\", @"\\", StringComparison.Ordinal)}}"}""";

    private static async Task<JsonDocument> JsonAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await Cli.RunAsync([.. args, "--format", "json"]);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        return JsonDocument.Parse(stdout);
    }

    private static async Task<string> AddAsync(string data, params string[] args)
    {
        using var added = await JsonAsync(["suppress", "add", "--data", data, .. args]);
        return added.RootElement.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Add_list_and_remove_keep_the_suppression_and_audit_every_change()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");

        var id = await AddAsync(data,
            "--rule", EncodedPowerShell, "--entity", "host:WKS042.corp.example", "--field", "ParentImage=C:\\Tools\\deploy.exe", "--field", "User=CORP\\ops",
            "--expires", "7d", "--reason", "deploy tool, ticket OPS-231", "--author", "ana");

        using (var listed = await JsonAsync("suppress", "list", "--data", data))
        {
            var item = Assert.Single(listed.RootElement.GetProperty("items").EnumerateArray());
            Assert.Equal((id, "active", EncodedPowerShell), (item.GetProperty("id").GetString(), item.GetProperty("state").GetString(), item.GetProperty("ruleId").GetString()));
            Assert.Equal(("host", "wks042.corp.example"), (item.GetProperty("entity").GetProperty("type").GetString(), item.GetProperty("entity").GetProperty("value").GetString()));
            Assert.Equal("C:\\Tools\\deploy.exe", item.GetProperty("fields").GetProperty("ParentImage").GetString());
            Assert.Equal("CORP\\ops", item.GetProperty("fields").GetProperty("User").GetString());
            Assert.Equal(("deploy tool, ticket OPS-231", "ana", 0), (item.GetProperty("reason").GetString(), item.GetProperty("author").GetString(), item.GetProperty("hits").GetInt32()));
            var expires = item.GetProperty("expiresAt").GetDateTimeOffset() - item.GetProperty("createdAt").GetDateTimeOffset();
            Assert.Equal(TimeSpan.FromDays(7), expires);
        }

        var (exit, _, stderr) = await Cli.RunAsync("suppress", "remove", id, "--author", "bob", "--data", data);
        Assert.True(exit == 0, stderr);

        using (var active = await JsonAsync("suppress", "list", "--data", data))
        {
            Assert.Empty(active.RootElement.GetProperty("items").EnumerateArray());
        }
        using (var all = await JsonAsync("suppress", "list", "--all", "--data", data))
        {
            var item = Assert.Single(all.RootElement.GetProperty("items").EnumerateArray());
            Assert.Equal(("removed", "bob"), (item.GetProperty("state").GetString(), item.GetProperty("removedBy").GetString()));
        }
        var (again, _, againError) = await Cli.RunAsync("suppress", "remove", id, "--author", "bob", "--data", data);
        Assert.Equal(3, again);
        Assert.Contains("already removed by bob", againError, StringComparison.Ordinal);

        await using var store = await SqliteStore.OpenAsync(Path.Combine(data, "vedette.db"), TimeProvider.System, CancellationToken.None);
        var audit = await store.ReadAuditAsync(0, 10, CancellationToken.None);
        Assert.Equal(
            [("ana", "suppression.add", $"suppression/{id}"), ("bob", "suppression.remove", $"suppression/{id}")],
            audit.Select(e => (e.Actor, e.Action, e.Target)));
        using var details = JsonDocument.Parse(audit[0].Details);
        Assert.Equal("deploy tool, ticket OPS-231", details.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_suppression_silences_matching_alerts_which_are_stored_and_counted_but_join_no_incident()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");
        var first = folder.File("first.ndjson");
        File.WriteAllLines(first,
        [
            EncodedCommand(0, "WKS010", "alice", @"C:\Windows\System32\mshta.exe"),
            EncodedCommand(1, "WKS011", "bob", @"C:\Tools\deploy.exe"),
            EncodedCommand(2, "WKS012", "carol", @"C:\Tools\deploy.exe"),
        ]);
        var id = await AddAsync(data, "--rule", EncodedPowerShell, "--field", @"parentimage=c:\tools\DEPLOY.EXE", "--reason", "deploy tool", "--author", "ana");

        using (var ingest = await JsonAsync("ingest", first, "--data", data))
        {
            // The mshta line raises two alerts (encoded PowerShell, and a shell spawned by mshta); each deploy line one.
            Assert.Equal((4, 2), (ingest.RootElement.GetProperty("alerts").GetInt32(), ingest.RootElement.GetProperty("suppressed").GetInt32()));
        }

        using (var alerts = await JsonAsync("alerts", "list", "--data", data))
        {
            var items = alerts.RootElement.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(4, items.Count);
            var silenced = items.Where(a => a.TryGetProperty("suppressedBy", out _)).ToList();
            Assert.Equal(2, silenced.Count);
            Assert.All(silenced, a =>
            {
                Assert.Equal(id, a.GetProperty("suppressedBy").GetString());
                Assert.Equal(JsonValueKind.Null, a.GetProperty("incidentId").ValueKind);
                Assert.True(a.GetProperty("risk").GetProperty("total").GetInt32() > 0);
            });
            using var incidents = await JsonAsync("incidents", "list", "--data", data);
            var grouped = incidents.RootElement.GetProperty("items").EnumerateArray().SelectMany(i => i.GetProperty("alertIds").EnumerateArray().Select(a => a.GetString())).ToList();
            Assert.Equal(2, grouped.Count);
            Assert.DoesNotContain(grouped, alert => silenced.Exists(s => s.GetProperty("id").GetString() == alert));
        }

        using (var listed = await JsonAsync("suppress", "list", "--data", data))
        {
            Assert.Equal(2, Assert.Single(listed.RootElement.GetProperty("items").EnumerateArray()).GetProperty("hits").GetInt32());
        }

        // Once removed, the same activity raises alerts again; the hits it had are kept.
        Assert.Equal(0, (await Cli.RunAsync("suppress", "remove", id, "--author", "ana", "--data", data)).ExitCode);
        var second = folder.File("second.ndjson");
        File.WriteAllLines(second, [EncodedCommand(30, "WKS013", "dave", @"C:\Tools\deploy.exe")]);
        using (var ingest = await JsonAsync("ingest", second, "--data", data))
        {
            Assert.Equal((1, 0), (ingest.RootElement.GetProperty("alerts").GetInt32(), ingest.RootElement.GetProperty("suppressed").GetInt32()));
        }
        using (var all = await JsonAsync("suppress", "list", "--all", "--data", data))
        {
            Assert.Equal(2, Assert.Single(all.RootElement.GetProperty("items").EnumerateArray()).GetProperty("hits").GetInt32());
        }
    }

    [Theory]
    [InlineData("at least one of --rule, --entity or --field", "--reason", "noise", "--author", "ana")]
    [InlineData("--reason TEXT is required", "--rule", "r1", "--author", "ana")]
    [InlineData("--reason TEXT is required", "--rule", "r1", "--reason", " ", "--author", "ana")]
    [InlineData("--author NAME is required", "--rule", "r1", "--reason", "noise")]
    [InlineData("--entity must be TYPE:VALUE", "--entity", "wks01", "--reason", "noise", "--author", "ana")]
    [InlineData("--entity must be TYPE:VALUE", "--entity", "machine:wks01", "--reason", "noise", "--author", "ana")]
    [InlineData("'999.1.1.1' is not a valid ipv4", "--entity", "ipv4:999.1.1.1", "--reason", "noise", "--author", "ana")]
    [InlineData("--field must be NAME=VALUE", "--field", "ParentImage", "--reason", "noise", "--author", "ana")]
    [InlineData("--field user is given twice", "--field", "User=a", "--field", "user=b", "--reason", "noise", "--author", "ana")]
    [InlineData("neither a duration", "--rule", "r1", "--expires", "soon", "--reason", "noise", "--author", "ana")]
    [InlineData("is already past", "--rule", "r1", "--expires", "2020-01-01", "--reason", "noise", "--author", "ana")]
    public async Task Bad_suppressions_are_refused_with_a_usage_error_and_store_nothing(string message, params string[] args)
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");

        var (exit, _, stderr) = await Cli.RunAsync(["suppress", "add", "--data", data, .. args]);

        Assert.Equal(64, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task Removing_needs_an_author_and_an_existing_suppression()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");
        await AddAsync(data, "--rule", "r1", "--reason", "noise", "--author", "ana");
        var unknown = Guid.CreateVersion7().ToString();

        var (noAuthor, _, noAuthorError) = await Cli.RunAsync("suppress", "remove", unknown, "--data", data);
        var (missing, _, missingError) = await Cli.RunAsync("suppress", "remove", unknown, "--author", "ana", "--data", data);

        Assert.Equal(64, noAuthor);
        Assert.Contains("--author NAME is required", noAuthorError, StringComparison.Ordinal);
        Assert.Equal(3, missing);
        Assert.Contains($"no suppression {unknown}", missingError, StringComparison.Ordinal);
    }
}
