using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Unicode;
using Vedette.Domain;
using Vedette.Pipeline;

namespace Vedette.Ingest.Readers;

/// <summary>Syslog text, one message a line, each turned into syslog-in-JSON (see <see cref="SyslogLine"/>) under its line number.</summary>
internal sealed class SyslogReader(InputOptions options)
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async IAsyncEnumerable<LineBatch> ReadAsync(Stream stream, string origin, ErrorReport errors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var json = new Utf8JsonWriter(buffer, WriterOptions);
        using var batches = new BatchWriter(origin);
        await foreach (var lines in new LineReader(options.MaxRecordBytes).ReadAsync(stream, origin, errors, cancellationToken))
        {
            using (lines)
            {
                for (var i = 0; i < lines.Count; i++)
                {
                    if (Convert(lines, i, buffer, json, batches, errors) is { } full)
                    {
                        yield return full;
                    }
                }
            }
        }
        if (batches.TakeRest() is { } rest)
        {
            yield return rest;
        }
    }

    private LineBatch? Convert(LineBatch lines, int index, ArrayBufferWriter<byte> buffer, Utf8JsonWriter json, BatchWriter batches, ErrorReport errors)
    {
        var line = lines.Line(index);
        var number = lines.LineNumber(index);
        if (number == 1 && line.StartsWith("\uFEFF"u8))
        {
            line = line[3..];
        }
        string? problem;
        if (!Utf8.IsValid(line))
        {
            problem = "invalid UTF-8";
        }
        else
        {
            buffer.ResetWrittenCount();
            json.Reset(buffer);
            if (SyslogLine.TryWrite(line, options.SyslogYear, options.SyslogNotAfter, json, out problem))
            {
                json.Flush();
                return batches.Add(buffer.WrittenSpan, number);
            }
        }
        errors.Report(new RecordError(new RecordRef(lines.Origin, number), InputSource.Stage, problem));
        return null;
    }
}
