namespace Vedette.Cli.Commands;

/// <summary>The store a benchmark fills lives in a temporary folder of its own, removed afterwards.</summary>
internal static class BenchFolder
{
    public static async Task<int> RunInTemporaryAsync(string prefix, Func<string, Task<int>> run)
    {
        var folder = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            return await run(folder);
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException ex)
            {
                // A file still held open: say where the store was left, it can be large.
                await Console.Error.WriteLineAsync($"vedette: could not remove the benchmark's folder {folder}: {ex.Message}");
            }
        }
    }
}
