using System.Text.Json;

namespace Vedette.Tests.Commands;

public sealed class QueryCommandTests
{
    [Fact]
    public async Task Alert_pages_visit_every_alert_once_newest_first()
    {
        using var folder = new TempFolder();
        var input = folder.File("alerts.ndjson");
        File.WriteAllLines(input, Enumerable.Range(0, 25).Select(i =>
            $$"""{"kind":"alert","@timestamp":"2026-11-02T09:{{i:00}}:00Z","producer":"edr","title":"Alert {{i}}","severity":"medium","observables":[{"type":"host","value":"wks{{i}}.corp.example"}]}"""));
        var data = Path.Combine(folder.Path, "data");
        Assert.Equal(0, (await Cli.RunAsync("ingest", input, "--data", data)).ExitCode);

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var args = new List<string> { "alerts", "list", "--data", data, "--format", "json", "--limit", "10" };
            if (cursor is not null)
            {
                args.AddRange(["--after", cursor]);
            }
            var (exit, stdout, stderr) = await Cli.RunAsync([.. args]);
            Assert.True(exit == 0, stderr);
            using var page = JsonDocument.Parse(stdout);
            seen.AddRange(page.RootElement.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()!));
            cursor = page.RootElement.GetProperty("next").GetString();
        }
        while (cursor is not null);

        Assert.Equal(25, seen.Count);
        Assert.Equal(25, seen.Distinct().Count());
        Assert.Equal(seen.OrderDescending(StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task Filters_select_by_severity_and_status()
    {
        using var folder = new TempFolder();
        var input = folder.File("alerts.ndjson");
        File.WriteAllLines(input,
        [
            """{"kind":"alert","title":"low one","severity":"low"}""",
            """{"kind":"alert","title":"high one","severity":"high"}""",
            """{"kind":"alert","title":"critical one","severity":"critical"}""",
        ]);
        var data = Path.Combine(folder.Path, "data");
        Assert.Equal(0, (await Cli.RunAsync("ingest", input, "--data", data)).ExitCode);

        var (_, stdout, _) = await Cli.RunAsync("alerts", "list", "--data", data, "--format", "json", "--severity", "high");
        using var page = JsonDocument.Parse(stdout);
        Assert.Equal(["critical one", "high one"], page.RootElement.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("title").GetString()).Order());

        var (_, closedOut, _) = await Cli.RunAsync("alerts", "list", "--data", data, "--format", "json", "--status", "closed");
        using var closed = JsonDocument.Parse(closedOut);
        Assert.Empty(closed.RootElement.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("alerts", "list", "--format", "xml")]
    [InlineData("alerts", "list", "--severity", "urgent")]
    [InlineData("incidents", "list", "--status", "done")]
    [InlineData("alerts", "show", "not-a-guid")]
    public async Task Bad_arguments_are_refused_with_a_message(params string[] args)
    {
        using var folder = new TempFolder();
        var (exit, stdout, stderr) = await Cli.RunAsync([.. args, "--data", folder.Path]);
        Assert.NotEqual(0, exit);
        Assert.False(string.IsNullOrWhiteSpace(stdout + stderr));
    }

    [Fact]
    public async Task Reading_a_store_that_does_not_exist_says_so_and_creates_nothing()
    {
        using var folder = new TempFolder();
        var missing = Path.Combine(folder.Path, "nothing-here");
        var (exit, _, stderr) = await Cli.RunAsync("incidents", "list", "--data", missing);
        Assert.NotEqual(0, exit);
        Assert.Contains("no Vedette store at", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task Showing_an_unknown_id_is_not_found()
    {
        using var folder = new TempFolder();
        var input = folder.File("a.ndjson");
        File.WriteAllText(input, "{\"kind\":\"alert\",\"title\":\"x\",\"severity\":\"low\"}\n");
        var data = Path.Combine(folder.Path, "data");
        Assert.Equal(0, (await Cli.RunAsync("ingest", input, "--data", data)).ExitCode);
        var (exit, _, stderr) = await Cli.RunAsync("incidents", "show", Guid.NewGuid().ToString(), "--data", data);
        Assert.Equal(3, exit);
        Assert.Contains("no incident", stderr, StringComparison.Ordinal);
    }
}
