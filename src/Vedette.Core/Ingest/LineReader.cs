using System.Buffers;
using System.Runtime.CompilerServices;
using Vedette.Domain;
using Vedette.Pipeline;

namespace Vedette.Ingest;

/// <summary>
/// Splits a byte stream into lines without ever holding more than one maximum-length line: a line over the cap is
/// reported with its number and skipped up to the next newline, and reading goes on.
/// </summary>
public sealed class LineReader
{
    public const int DefaultMaxLineBytes = 1 << 20;

    private readonly int _maxLineBytes;
    private readonly int _batchBytes;

    public LineReader(int maxLineBytes = DefaultMaxLineBytes, int batchBytes = 256 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 16);
        _maxLineBytes = maxLineBytes;
        _batchBytes = batchBytes;
    }

    public async IAsyncEnumerable<LineBatch> ReadAsync(Stream stream, string origin, ErrorReport errors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The buffer holds at most one partial line of up to the cap plus one read.
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(_maxLineBytes + 1, 64 * 1024) + 64 * 1024);
        var batch = new LineBatch(origin, _batchBytes);
        try
        {
            var start = 0;
            var end = 0;
            long lineNumber = 0;
            var skipping = false;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (start > 0 && start == end)
                {
                    start = end = 0;
                }
                if (end == buffer.Length)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                var requested = buffer.Length - end;
                var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
                var eof = read == 0;
                end += read;

                while (start < end)
                {
                    var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        if (!skipping && end - start > _maxLineBytes)
                        {
                            lineNumber++;
                            errors.Report(new RecordError(new RecordRef(origin, lineNumber), "ingest", $"line longer than the maximum of {_maxLineBytes} bytes; skipped"));
                            skipping = true;
                        }
                        if (skipping)
                        {
                            start = end;
                        }
                        break;
                    }
                    if (skipping)
                    {
                        skipping = false;
                        start += newline + 1;
                        continue;
                    }
                    lineNumber++;
                    var lineStart = start;
                    var lineLength = TrimmedLength(buffer, start, newline);
                    start += newline + 1;
                    if (newline > _maxLineBytes)
                    {
                        errors.Report(new RecordError(new RecordRef(origin, lineNumber), "ingest", $"line longer than the maximum of {_maxLineBytes} bytes; skipped"));
                        continue;
                    }
                    if (IsBlank(buffer, lineStart, lineLength))
                    {
                        continue;
                    }
                    if (!batch.TryAdd(buffer.AsSpan(lineStart, lineLength), lineNumber))
                    {
                        yield return batch;
                        batch = new LineBatch(origin, Math.Max(_batchBytes, lineLength));
                        batch.TryAdd(buffer.AsSpan(lineStart, lineLength), lineNumber);
                    }
                }

                if (!eof && read < requested && batch.Count > 0)
                {
                    // A short read means a live source (pipe, socket) has nothing more for now: don't sit on its lines.
                    yield return batch;
                    batch = new LineBatch(origin, _batchBytes);
                }

                if (eof)
                {
                    if (start < end && !skipping)
                    {
                        // A last line without a newline is still a line (a truncated file keeps what it has).
                        lineNumber++;
                        var tailLength = TrimmedLength(buffer, start, end - start);
                        if (!IsBlank(buffer, start, tailLength) && !batch.TryAdd(buffer.AsSpan(start, tailLength), lineNumber))
                        {
                            yield return batch;
                            batch = new LineBatch(origin, Math.Max(_batchBytes, tailLength));
                            batch.TryAdd(buffer.AsSpan(start, tailLength), lineNumber);
                        }
                    }
                    break;
                }
            }
            if (batch.Count > 0)
            {
                yield return batch;
                batch = null!;
            }
        }
        finally
        {
            batch?.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int TrimmedLength(byte[] buffer, int start, int length) =>
        length > 0 && buffer[start + length - 1] == (byte)'\r' ? length - 1 : length;

    private static bool IsBlank(byte[] buffer, int start, int length) =>
        buffer.AsSpan(start, length).IndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r') < 0;
}
