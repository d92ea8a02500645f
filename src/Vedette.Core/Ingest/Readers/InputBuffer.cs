using System.Buffers;

namespace Vedette.Ingest.Readers;

/// <summary>
/// A pooled window over a stream: the bytes read but not yet consumed, compacted to the front and grown (up to a
/// maximum) as a record needs more room.
/// </summary>
internal sealed class InputBuffer : IDisposable
{
    private const int InitialBytes = 64 * 1024;

    private readonly Stream _stream;
    private readonly int _maxBytes;
    private byte[] _buffer;
    private int _start;
    private int _end;

    public InputBuffer(Stream stream, int maxBytes)
    {
        _stream = stream;
        _maxBytes = maxBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBytes, maxBytes));
    }

    public bool Eof { get; private set; }

    public ReadOnlySpan<byte> Data => _buffer.AsSpan(_start, _end - _start);

    public void Consume(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _end - _start);
        _start += count;
    }

    /// <summary>Reads after the data held until the window is full; at the end of the stream, sets <see cref="Eof"/>.</summary>
    public async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        var held = _end - _start;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, held).CopyTo(_buffer);
            _start = 0;
            _end = held;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= _maxBytes)
            {
                throw new InvalidOperationException($"the reader asked for more than {_maxBytes} bytes at once");
            }
            var grown = ArrayPool<byte>.Shared.Rent(Math.Min(_maxBytes, _buffer.Length * 2));
            _buffer.AsSpan(0, _end).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = grown;
        }
        // Filling the whole window keeps a record that needs several fills from being scanned again for every small read.
        while (_end < _buffer.Length)
        {
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                Eof = true;
                return;
            }
            _end += read;
        }
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
