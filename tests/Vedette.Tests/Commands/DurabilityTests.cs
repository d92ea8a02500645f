using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Vedette.Storage.Sqlite;

namespace Vedette.Tests.Commands;

/// <summary>A process killed with SIGKILL, with no chance to shut down, loses nothing the store had acknowledged.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task Every_alert_acknowledged_before_a_SIGKILL_is_there_after_reopening()
    {
        using var folder = new TempFolder();
        var input = folder.File("big.ndjson");
        var (simExit, _, simErr) = await Cli.RunAsync("simulate", "--events", "1500000", "--seed", "21", "--out", input);
        Assert.True(simExit == 0, simErr);
        var data = Path.Combine(folder.Path, "data");
        var database = Path.Combine(data, "vedette.db");

        using var process = Process.Start(Cli.StartInfo("ingest", input, "--data", data, "--format", "json"))!;
        var acknowledged = new HashSet<string>();
        var clock = Stopwatch.StartNew();
        // A write is acknowledged once it is committed: then another connection can read it.
        while (acknowledged.Count < 50 && clock.Elapsed < TimeSpan.FromMinutes(2) && !process.HasExited)
        {
            await Task.Delay(50);
            acknowledged.UnionWith(ReadCommittedAlertIds(database));
        }
        Assert.False(process.HasExited, "the ingest finished before it could be killed; give it more input");
        process.Kill(entireProcessTree: true); // SIGKILL on Linux: no shutdown, no flush, no checkpoint
        await process.WaitForExitAsync();
        Assert.True(acknowledged.Count >= 50, $"only {acknowledged.Count} alerts were committed before the kill");

        await using var store = await SqliteStore.OpenAsync(database, TimeProvider.System, CancellationToken.None);
        foreach (var id in acknowledged)
        {
            Assert.NotNull(await store.GetAlertAsync(Guid.Parse(id), CancellationToken.None));
        }
        using var check = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        check.Open();
        using var command = check.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", command.ExecuteScalar());
    }

    private static List<string> ReadCommittedAlertIds(string database)
    {
        if (!File.Exists(database))
        {
            return [];
        }
        try
        {
            using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT id FROM alerts";
            using var reader = command.ExecuteReader();
            var ids = new List<string>();
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
            }
            return ids;
        }
        catch (SqliteException)
        {
            // The store may still be creating its schema.
            return [];
        }
    }
}
