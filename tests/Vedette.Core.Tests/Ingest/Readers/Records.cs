using System.Text;
using Vedette.Domain;
using Vedette.Ingest.Readers;
using Vedette.Pipeline;

namespace Vedette.Tests.Ingest.Readers;

/// <summary>One record as a test looks at it.</summary>
public sealed record ReadRecord(RecordRef Ref, string Json);

/// <summary>Reads inputs through <see cref="InputSource"/> into a list, with the errors it reported.</summary>
internal static class Records
{
    public static Task<(List<ReadRecord> Records, ErrorReport Errors)> ReadAsync(string path, InputOptions? options = null) =>
        ReadAsync([path], options ?? new InputOptions { SyslogYear = 2025 });

    public static async Task<(List<ReadRecord> Records, ErrorReport Errors)> ReadAsync(IReadOnlyList<string> paths, InputOptions options)
    {
        var errors = new ErrorReport();
        var records = new List<ReadRecord>();
        await foreach (var batch in new InputSource(paths, options).ReadAsync(errors, CancellationToken.None))
        {
            using (batch)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    records.Add(new ReadRecord(new RecordRef(batch.Origin, batch.LineNumber(i)), Encoding.UTF8.GetString(batch.Line(i))));
                }
            }
        }
        return (records, errors);
    }
}

/// <summary>A temporary folder per test, removed afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vedette-tests", Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
