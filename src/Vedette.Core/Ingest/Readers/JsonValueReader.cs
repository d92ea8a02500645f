using System.Runtime.CompilerServices;
using Vedette.Domain;
using Vedette.Pipeline;

namespace Vedette.Ingest.Readers;

/// <summary>
/// Reads JSON objects that follow one another — pretty-printed, compact, or inside top-level arrays — holding at most
/// one record (and one read chunk) in memory. Each record is referenced by the line it starts on.
/// </summary>
internal sealed class JsonValueReader(InputOptions options)
{
    private const int ChunkBytes = 64 * 1024;

    public async IAsyncEnumerable<LineBatch> ReadAsync(Stream stream, string origin, ErrorReport errors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var splitter = new JsonValueSplitter(options.MaxRecordBytes, options.MaxDepth);
        using var input = new InputBuffer(stream, options.MaxRecordBytes + ChunkBytes);
        using var batches = new BatchWriter(origin);
        await input.FillAsync(cancellationToken);
        while (true)
        {
            var step = splitter.Next(input.Data, input.Eof);
            LineBatch? full = null;
            switch (step.Kind)
            {
                case SplitKind.Record:
                    full = batches.Add(input.Data.Slice(step.RecordStart, step.RecordLength), step.Line);
                    break;
                case SplitKind.Problem:
                    errors.Report(new RecordError(new RecordRef(origin, step.Line), InputSource.Stage, step.Problem!));
                    break;
                case SplitKind.NeedMore:
                    input.Consume(step.Consumed);
                    await input.FillAsync(cancellationToken);
                    continue;
                default:
                    if (batches.TakeRest() is { } rest)
                    {
                        yield return rest;
                    }
                    yield break;
            }
            input.Consume(step.Consumed);
            if (full is not null)
            {
                yield return full;
            }
        }
    }
}
