using System.Runtime.CompilerServices;
using Vedette.Domain;
using Vedette.Pipeline;

namespace Vedette.Ingest.Readers;

/// <summary>NDJSON: one JSON object a line. Each line is checked (an object, valid, within the depth cap) before it is handed on.</summary>
internal sealed class JsonLinesReader(InputOptions options)
{
    public async IAsyncEnumerable<LineBatch> ReadAsync(Stream stream, string origin, ErrorReport errors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var lines in new LineReader(options.MaxRecordBytes).ReadAsync(stream, origin, errors, cancellationToken))
        {
            LineBatch? records;
            using (lines)
            {
                records = Check(lines, origin, errors);
            }
            if (records is not null)
            {
                yield return records;
            }
        }
    }

    private LineBatch? Check(LineBatch lines, string origin, ErrorReport errors)
    {
        // Every line that passes fits: the checked batch is never larger than the batch read.
        var records = new LineBatch(origin, Math.Max(1, lines.Bytes));
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines.Line(i);
            var number = lines.LineNumber(i);
            if (number == 1 && line.StartsWith("\uFEFF"u8))
            {
                line = line[3..];
            }
            var scan = JsonValueScan.Next(line, isFinalBlock: true, options.MaxDepth, number);
            var problem = scan.Outcome switch
            {
                ScanOutcome.Object => line[scan.Consumed..].IndexOfAnyExcept(" \t\r"u8) is var extra and >= 0
                    ? $"unexpected data after the JSON object at byte {scan.Consumed + extra}"
                    : null,
                ScanOutcome.Incomplete => "the line ends inside a JSON value",
                _ => scan.Problem,
            };
            if (problem is null)
            {
                records.TryAdd(line, number);
            }
            else
            {
                errors.Report(new RecordError(new RecordRef(origin, number), InputSource.Stage, problem));
            }
        }
        if (records.Count > 0)
        {
            return records;
        }
        records.Dispose();
        return null;
    }
}
