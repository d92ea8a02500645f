using System.Buffers;
using System.Text.Json;
using Vedette.Domain;
using Vedette.Serialization;

namespace Vedette.Storage.Sqlite;

/// <summary>
/// Serializes JSON columns into one reused buffer and hands out the UTF-8 bytes, which statements bind as they are.
/// What a call returns is valid until the next call.
/// </summary>
internal sealed class DocWriter : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;

    public DocWriter() => _writer = new Utf8JsonWriter(_buffer, DomainJson.WriterOptions());

    /// <summary>Evidence lives in its own table, so that appending an event does not rewrite the alert.</summary>
    public ReadOnlyMemory<byte> Alert(Alert alert)
    {
        Reset();
        DomainJson.WriteAlert(_writer, alert, includeEvidence: false);
        return Finish();
    }

    public ReadOnlyMemory<byte> Incident(Incident incident)
    {
        Reset();
        DomainJson.WriteIncident(_writer, incident);
        return Finish();
    }

    public ReadOnlyMemory<byte> Strings(IEnumerable<string> values)
    {
        Reset();
        _writer.WriteStartArray();
        foreach (var value in values)
        {
            _writer.WriteStringValue(value);
        }
        _writer.WriteEndArray();
        return Finish();
    }

    public ReadOnlyMemory<byte> Map(IEnumerable<KeyValuePair<string, string>> entries)
    {
        Reset();
        _writer.WriteStartObject();
        foreach (var (key, value) in entries)
        {
            _writer.WriteString(key, value);
        }
        _writer.WriteEndObject();
        return Finish();
    }

    public void Dispose() => _writer.Dispose();

    private void Reset()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
    }

    private ReadOnlyMemory<byte> Finish()
    {
        _writer.Flush();
        return _buffer.WrittenMemory;
    }
}
