using Microsoft.Data.Sqlite;
using Vedette.Storage.Sqlite;

namespace Vedette.Tests.Commands;

/// <summary>`audit verify` against a store whose audit table was changed behind Vedette's back.</summary>
public sealed class AuditVerifyTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static async Task<string> StoreWithEntriesAsync(TempFolder folder, int count = 5)
    {
        var data = folder.File("data");
        await using var store = await SqliteStore.OpenAsync(Path.Combine(data, "vedette.db"), TimeProvider.System, CancellationToken.None);
        for (var i = 1; i <= count; i++)
        {
            await store.AppendAuditAsync(i % 2 == 0 ? "ana" : "bob", "alert.close", $"alert/{i}", $$"""{"verdict":"false-positive","n":{{i}}}""", Start.AddMinutes(i), CancellationToken.None);
        }
        return data;
    }

    /// <summary>What an attacker with the file could do: drop the triggers that refuse UPDATE and DELETE, then change rows.</summary>
    private static async Task TamperAsync(string data, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "vedette.db")};Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; " + sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task An_intact_chain_verifies_with_its_count_and_head()
    {
        using var folder = new TempFolder();
        var data = await StoreWithEntriesAsync(folder);

        var (exit, stdout, stderr) = await Cli.RunAsync("audit", "verify", "--data", data);

        Assert.True(exit == 0, stderr);
        Assert.Contains("Audit log intact: 5 entries verified; head is entry 5", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_log_is_intact()
    {
        using var folder = new TempFolder();
        var data = await StoreWithEntriesAsync(folder, count: 0);

        var (exit, stdout, _) = await Cli.RunAsync("audit", "verify", "--data", data);

        Assert.Equal(0, exit);
        Assert.Contains("0 entries verified", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edited_entry_is_named_as_edited()
    {
        using var folder = new TempFolder();
        var data = await StoreWithEntriesAsync(folder);

        await TamperAsync(data, """UPDATE audit SET details = '{"verdict":"true-positive","n":3}' WHERE sequence = 3""");
        var (exit, _, stderr) = await Cli.RunAsync("audit", "verify", "--data", data);

        Assert.Equal(2, exit);
        Assert.Contains("audit log broken at entry 3: entry 3 was edited", stderr, StringComparison.Ordinal);
        Assert.Contains("(2 entries before it verified)", stderr, StringComparison.Ordinal);
    }

    /// <summary>Each way of tampering, and the first broken entry the check must name with what was done to it.</summary>
    [Theory]
    [InlineData("an entry edited with its hash recomputed breaks the link to the next one",
        "UPDATE audit SET actor = 'mallory', hash = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' WHERE sequence = 2",
        "audit log broken at entry 2: entry 2 was edited")]
    [InlineData("a deleted entry is named as missing",
        "DELETE FROM audit WHERE sequence = 3",
        "audit log broken at entry 3: entry 3 is missing (deleted): the next entry is 4")]
    [InlineData("a deletion hidden by renumbering the later entries is still found",
        "DELETE FROM audit WHERE sequence = 2; UPDATE audit SET sequence = sequence - 1 WHERE sequence > 2",
        "audit log broken at entry 2: entry 2 does not follow entry 1")]
    public async Task Tampering_is_named_at_the_first_broken_entry(string tampering, string sql, string expected)
    {
        using var folder = new TempFolder();
        var data = await StoreWithEntriesAsync(folder);

        await TamperAsync(data, sql);
        var (exit, _, stderr) = await Cli.RunAsync("audit", "verify", "--data", data);

        Assert.True(exit == 2, $"{tampering}: exit {exit}");
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reordered_entries_are_named_as_reordered()
    {
        using var folder = new TempFolder();
        var data = await StoreWithEntriesAsync(folder);

        // Swap the content of entries 2 and 3, keeping the sequence numbers in place.
        await TamperAsync(data, """
            UPDATE audit SET sequence = -2 WHERE sequence = 2;
            UPDATE audit SET sequence = 2 WHERE sequence = 3;
            UPDATE audit SET sequence = 3 WHERE sequence = -2;
            """);
        var (exit, _, stderr) = await Cli.RunAsync("audit", "verify", "--data", data);

        Assert.Equal(2, exit);
        Assert.Contains("audit log broken at entry 2: entry 2 does not follow entry 1", stderr, StringComparison.Ordinal);
        Assert.Contains("the entry now at sequence 3: entries were reordered", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_json_report_names_the_first_bad_entry()
    {
        using var folder = new TempFolder();
        var data = await StoreWithEntriesAsync(folder);
        await TamperAsync(data, "DELETE FROM audit WHERE sequence = 1");

        var (exit, stdout, _) = await Cli.RunAsync("audit", "verify", "--data", data, "--format", "json");

        Assert.Equal(2, exit);
        using var report = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.False(report.RootElement.GetProperty("intact").GetBoolean());
        Assert.Equal(1, report.RootElement.GetProperty("firstBad").GetProperty("sequence").GetInt64());
        Assert.Equal(0, report.RootElement.GetProperty("verified").GetInt64());
    }
}
