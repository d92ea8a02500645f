using System.Buffers;
using Vedette.Pipeline;

namespace Vedette.Ingest;

/// <summary>
/// Raw lines read from one source, packed into one pooled buffer so that a batch costs one copy and no
/// per-line allocation. The consumer returns the buffer with <see cref="Dispose"/>.
/// </summary>
public sealed class LineBatch : IDisposable
{
    private byte[] _buffer;
    private int _used;
    private readonly List<(int Start, int Length, long Line)> _lines = [];

    public LineBatch(string origin, int capacity)
    {
        Origin = origin;
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
    }

    public string Origin { get; }

    /// <summary>
    /// Told when this batch's detections are durable in the store (or could not be stored): how an HTTP intake
    /// answers its caller only once what it accepted cannot be lost. Null for sources nobody waits on.
    /// </summary>
    public IBatchReceipt? Receipt { get; set; }

    public int Count => _lines.Count;

    public int Bytes => _used;

    public long LineNumber(int index) => _lines[index].Line;

    public ReadOnlySpan<byte> Line(int index)
    {
        var (start, length, _) = _lines[index];
        return _buffer.AsSpan(start, length);
    }

    public bool TryAdd(ReadOnlySpan<byte> line, long lineNumber)
    {
        if (_used + line.Length > _buffer.Length)
        {
            return false;
        }
        line.CopyTo(_buffer.AsSpan(_used));
        _lines.Add((_used, line.Length, lineNumber));
        _used += line.Length;
        return true;
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
