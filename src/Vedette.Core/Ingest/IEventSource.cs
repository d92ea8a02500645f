using Vedette.Pipeline;

namespace Vedette.Ingest;

/// <summary>Where lines come from: a file, a replay, an HTTP batch, a socket.</summary>
public interface IEventSource
{
    string Name { get; }

    /// <summary>Bytes this source will deliver in total, when known (for progress).</summary>
    long? Length { get; }

    IAsyncEnumerable<LineBatch> ReadAsync(ErrorReport errors, CancellationToken cancellationToken);
}

/// <summary>NDJSON files, read once from start to end.</summary>
public sealed class FileSource(string path, LineReader reader) : IEventSource
{
    public string Name { get; } = Path.GetFileName(path);

    public long? Length { get; } = new FileInfo(path).Length;

    public async IAsyncEnumerable<LineBatch> ReadAsync(ErrorReport errors, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        await foreach (var batch in reader.ReadAsync(stream, Name, errors, cancellationToken))
        {
            yield return batch;
        }
    }
}

/// <summary>Several sources one after another (a replay of many files).</summary>
public sealed class ConcatSource(IReadOnlyList<IEventSource> sources) : IEventSource
{
    public string Name => string.Join(", ", sources.Select(s => s.Name));

    public long? Length => sources.All(s => s.Length is not null) ? sources.Sum(s => s.Length!.Value) : null;

    public async IAsyncEnumerable<LineBatch> ReadAsync(ErrorReport errors, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var source in sources)
        {
            await foreach (var batch in source.ReadAsync(errors, cancellationToken))
            {
                yield return batch;
            }
        }
    }
}
