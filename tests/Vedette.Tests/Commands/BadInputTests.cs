using System.Text;
using System.Text.Json;
using Vedette.Storage;
using Vedette.Storage.Sqlite;

namespace Vedette.Tests.Commands;

/// <summary>Bad input gets a clear error naming file and line; the rest of the file is processed; nothing stored is lost.</summary>
public sealed class BadInputTests
{
    private static string Good(int i) =>
        $$"""{"kind":"alert","@timestamp":"2026-11-02T09:00:{{i:00}}Z","producer":"edr","title":"Good {{i}}","severity":"high","observables":[{"type":"host","value":"wks{{i}}.corp.example"}]}""";

    [Fact]
    public async Task Each_bad_line_is_named_with_file_and_line_and_every_good_line_is_stored()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(folder.Path, "data");

        // A first, clean ingest: what it stored must survive the bad file.
        var first = folder.File("first.ndjson");
        File.WriteAllLines(first, Enumerable.Range(0, 5).Select(Good));
        Assert.Equal(0, (await Cli.RunAsync("ingest", first, "--data", data)).ExitCode);
        var before = await AlertIdsAsync(data);
        Assert.Equal(5, before.Count);

        var bad = folder.File("bad.ndjson");
        using (var file = File.Create(bad))
        {
            void Line(byte[] bytes)
            {
                file.Write(bytes);
                file.WriteByte((byte)'\n');
            }
            Line(Encoding.UTF8.GetBytes(Good(10)));                                                  // 1
            Line("{\"kind\":\"alert\",\"title\":\"broken\","u8.ToArray());                         // 2 malformed JSON
            Line(Encoding.UTF8.GetBytes(Good(11)));                                                  // 3
            Line(Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', (1 << 20) + 10) + "\"}"));  // 4 over 1 MiB
            Line(Encoding.UTF8.GetBytes(Good(12)));                                                  // 5
            Line([.. "{\"kind\":\"alert\",\"title\":\"caf"u8, 0xC3, 0x28, .. "\",\"severity\":\"low\"}"u8]); // 6 invalid UTF-8
            Line(Encoding.UTF8.GetBytes(Good(13)));                                                  // 7
            Line("{\"kind\":\"alert\",\"title\":\"x\",\"severity\":\"urgent\"}"u8.ToArray());         // 8 unknown severity
            Line(Encoding.UTF8.GetBytes(Good(14)));                                                  // 9
        }

        var (exit, stdout, stderr) = await Cli.RunAsync("ingest", bad, "--data", data, "--format", "json");

        Assert.Equal(2, exit);
        Assert.Contains("bad.ndjson:2: normalize: malformed JSON", stderr, StringComparison.Ordinal);
        Assert.Contains("bad.ndjson:4: ingest: line longer than the maximum of 1048576 bytes", stderr, StringComparison.Ordinal);
        Assert.Contains("bad.ndjson:6: normalize: invalid UTF-8 at byte", stderr, StringComparison.Ordinal);
        Assert.Contains("bad.ndjson:8: normalize: unknown severity 'urgent'", stderr, StringComparison.Ordinal);
        Assert.Contains("4 record(s) could not be processed", stderr, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(stdout);
        Assert.Equal(5, summary.RootElement.GetProperty("alerts").GetInt64());
        Assert.Equal(4, summary.RootElement.GetProperty("errors").GetInt64());

        var after = await AlertIdsAsync(data);
        Assert.Equal(10, after.Count);
        Assert.Superset(before, after);
    }

    [Fact]
    public async Task The_line_cap_is_configurable()
    {
        using var folder = new TempFolder();
        var input = folder.File("in.ndjson");
        File.WriteAllLines(input, [Good(1), "{\"pad\":\"" + new string('x', 5000) + "\"}", Good(2)]);
        var (exit, _, stderr) = await Cli.RunAsync("ingest", input, "--data", Path.Combine(folder.Path, "d"), "--max-line-bytes", "4096");
        Assert.Equal(2, exit);
        Assert.Contains("in.ndjson:2: ingest: line longer than the maximum of 4096 bytes", stderr, StringComparison.Ordinal);
    }

    private static async Task<HashSet<Guid>> AlertIdsAsync(string data)
    {
        await using var store = await SqliteStore.OpenAsync(Path.Combine(data, "vedette.db"), TimeProvider.System, CancellationToken.None);
        var page = await store.ListAlertsAsync(new AlertQuery { Limit = 1000 }, CancellationToken.None);
        return [.. page.Items.Select(a => a.Id)];
    }
}
