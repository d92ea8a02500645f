namespace Vedette.Ingest.Readers;

/// <summary>
/// A read-only pass-through that counts the bytes read, adds them to a progress counter, and refuses to deliver more
/// than a limit: how a decompressed archive entry is held to its cap even when its header lies about its size.
/// </summary>
internal sealed class CountingStream(Stream inner, long limit, string overLimit, InputProgress? progress) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private int Count(int read)
    {
        _read += read;
        if (_read > limit)
        {
            throw new InvalidDataException(overLimit);
        }
        progress?.Add(read);
        return read;
    }
}

/// <summary>Bytes of input read so far, for a progress bar on another thread.</summary>
public sealed class InputProgress
{
    private long _bytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    internal void Add(long bytes) => Interlocked.Add(ref _bytes, bytes);
}
