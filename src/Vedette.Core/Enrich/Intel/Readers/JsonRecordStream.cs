using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Vedette.Enrich.Intel.Readers;

/// <summary>How reading a JSON document ended: whole (no problem), or stopped at a problem on a line.</summary>
internal readonly record struct JsonStreamEnd(string? Problem, long Line);

/// <summary>
/// Streams the records of a JSON document — the items of a top-level array, or of one array property of the top-level
/// object (a STIX bundle's or TAXII envelope's "objects", an AbuseIPDB response's "data") — parsing one record at a
/// time, so that memory follows the largest record, not the document, and a document cut off in the middle still
/// yields every record before the cut. A top-level object without that array is itself the one record (a single STIX
/// object, a MISP event); it is held whole, which the byte cap bounds.
/// </summary>
internal sealed class JsonRecordStream : IDisposable
{
    public const int MaxDepth = 64;

    private const int ChunkBytes = 64 * 1024;

    private enum Phase
    {
        Start,
        TopObject,
        Records,
        Done,
    }

    private readonly Stream _stream;
    private readonly byte[]? _arrayProperty;
    private readonly int _maxRecordBytes;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private long _base;
    private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = MaxDepth });
    private Phase _phase;
    private bool _topIsArray;
    // While the top-level object may still turn out to be the record itself, its bytes are kept from here.
    private int _keepFrom = -1;
    private long _keepLine;
    private long _line = 1;
    private int _linesCounted;

    private JsonRecordStream(Stream stream, string? arrayProperty, long maxRecordBytes)
    {
        _stream = stream;
        _arrayProperty = arrayProperty is null ? null : Encoding.UTF8.GetBytes(arrayProperty);
        _maxRecordBytes = (int)Math.Clamp(maxRecordBytes, ChunkBytes, Array.MaxLength - ChunkBytes);
        _buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
    }

    /// <summary>
    /// Reads <paramref name="stream"/> and hands each record, with the line it starts on, to <paramref name="onRecord"/>
    /// (which must not keep the element: it is disposed afterwards).
    /// </summary>
    public static async Task<JsonStreamEnd> ReadAsync(Stream stream, string? arrayProperty, long maxRecordBytes, Action<JsonElement, long> onRecord, CancellationToken cancellationToken)
    {
        using var records = new JsonRecordStream(stream, arrayProperty, maxRecordBytes);
        await records.FillAsync(cancellationToken);
        if (records._buffer.AsSpan(0, records._end).StartsWith("\uFEFF"u8))
        {
            records._start = 3;
        }
        while (true)
        {
            if (records.Step(onRecord) is { } end)
            {
                return end;
            }
            if (!records.MakeRoom())
            {
                return new($"a JSON value starting near byte {records._base + records._start} is larger than {records._maxRecordBytes} bytes; reading stopped", records.LineAt(records._start));
            }
            await records.FillAsync(cancellationToken);
        }
    }

    /// <summary>Reads as far as the bytes held allow; null means "more bytes needed".</summary>
    private JsonStreamEnd? Step(Action<JsonElement, long> onRecord)
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
        var lastGood = _base + _start;
        try
        {
            while (true)
            {
                // Everything up to here is whole; an incomplete value resumes from this point once more bytes are in.
                var resumeAt = reader;
                lastGood = _base + _start + reader.BytesConsumed;
                if (!reader.Read())
                {
                    return _eof ? End() : Suspend(resumeAt);
                }
                switch (_phase)
                {
                    case Phase.Start:
                        if (reader.TokenType == JsonTokenType.StartArray)
                        {
                            _topIsArray = true;
                            _phase = Phase.Records;
                            break;
                        }
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            return new("the document is not a JSON object or array", 1);
                        }
                        _phase = Phase.TopObject;
                        _keepFrom = _start + (int)reader.TokenStartIndex;
                        _keepLine = LineAt(_keepFrom);
                        break;
                    case Phase.TopObject:
                        if (reader.TokenType == JsonTokenType.EndObject)
                        {
                            DeliverWholeObject(_start + (int)reader.BytesConsumed, onRecord);
                            _phase = Phase.Done;
                            break;
                        }
                        var isRecordArray = _arrayProperty is not null && reader.ValueTextEquals(_arrayProperty);
                        if (!reader.Read())
                        {
                            return Suspend(resumeAt);
                        }
                        if (isRecordArray && reader.TokenType == JsonTokenType.StartArray)
                        {
                            _phase = Phase.Records;
                            _keepFrom = -1;
                            break;
                        }
                        if (!reader.TrySkip())
                        {
                            return Suspend(resumeAt);
                        }
                        break;
                    case Phase.Records:
                        if (reader.TokenType == JsonTokenType.EndArray)
                        {
                            _phase = _topIsArray ? Phase.Done : Phase.TopObject;
                            break;
                        }
                        var probe = reader;
                        if (!probe.TrySkip())
                        {
                            return Suspend(resumeAt);
                        }
                        var line = LineAt(_start + (int)reader.TokenStartIndex);
                        using (var record = JsonDocument.ParseValue(ref reader))
                        {
                            onRecord(record.RootElement, line);
                        }
                        break;
                    default:
                        return new($"unexpected data after the JSON document at byte {_base + _start + reader.TokenStartIndex}", LineAt(_start + (int)reader.TokenStartIndex));
                }
            }
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            return new($"JSON cut off or malformed at line {line}, byte {ex.BytePositionInLine} of that line (the last complete value ends at byte {lastGood} of the document): {FirstSentence(ex.Message)}; reading stopped", line);
        }
    }

    private JsonStreamEnd End() =>
        _phase == Phase.Done ? new(null, 0) : new($"the JSON document ends at byte {_base + _end} before it is complete; reading stopped", LineAt(_end));

    private JsonStreamEnd? Suspend(Utf8JsonReader resumeAt)
    {
        _state = resumeAt.CurrentState;
        _start += (int)resumeAt.BytesConsumed;
        return null;
    }

    private void DeliverWholeObject(int end, Action<JsonElement, long> onRecord)
    {
        if (_keepFrom < 0)
        {
            return;
        }
        // The bytes were read and checked (depth included) on the way here.
        using (var record = JsonDocument.Parse(_buffer.AsMemory(_keepFrom, end - _keepFrom), new JsonDocumentOptions { MaxDepth = MaxDepth }))
        {
            onRecord(record.RootElement, _keepLine);
        }
        _keepFrom = -1;
    }

    /// <summary>Drops what is consumed and, if the window is still full, grows it; false when a value outgrows the cap.</summary>
    private bool MakeRoom()
    {
        var drop = _keepFrom >= 0 ? Math.Min(_keepFrom, _start) : _start;
        LineAt(Math.Max(drop, _linesCounted));
        if (drop > 0)
        {
            _buffer.AsSpan(drop, _end - drop).CopyTo(_buffer);
            _base += drop;
            _start -= drop;
            _end -= drop;
            _linesCounted -= drop;
            if (_keepFrom >= 0)
            {
                _keepFrom -= drop;
            }
        }
        if (_end < _buffer.Length)
        {
            return true;
        }
        if (_buffer.Length >= _maxRecordBytes)
        {
            return false;
        }
        var grown = ArrayPool<byte>.Shared.Rent(Math.Min(_maxRecordBytes, _buffer.Length * 2));
        _buffer.AsSpan(0, _end).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = grown;
        return true;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        while (_end < _buffer.Length && !_eof)
        {
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            _eof = read == 0;
            _end += read;
        }
    }

    /// <summary>The line a buffer position is on, counting newlines once as positions move forward.</summary>
    private long LineAt(int index)
    {
        if (index > _linesCounted)
        {
            _line += _buffer.AsSpan(_linesCounted, index - _linesCounted).Count((byte)'\n');
            _linesCounted = index;
        }
        return _line;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
