using System.IO.Compression;
using Microsoft.AspNetCore.Http;

namespace Vedette.Server.Ingest;

/// <summary>A request body went past the configured cap (before or after decoding).</summary>
public sealed class BodyTooLargeException(long limit) : IOException($"the request body is larger than {limit} bytes")
{
    public long Limit { get; } = limit;
}

/// <summary>The body is in an encoding the server does not decode.</summary>
public sealed class UnsupportedEncodingException(string encoding) : IOException($"Content-Encoding '{encoding}' is not supported: send identity or gzip")
{
    public string Encoding { get; } = encoding;
}

/// <summary>
/// Opens a request body for reading: gzip decoded when the client says so, and capped both as received and as
/// decoded, so that neither a large upload nor a small decompression bomb can hold more than the cap in memory.
/// </summary>
public static class RequestBody
{
    public static Stream Open(HttpRequest request, long maxBytes)
    {
        var raw = new CappedStream(request.Body, maxBytes);
        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        if (encoding.Length == 0 || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return new FillingStream(raw);
        }
        if (encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase) || encoding.Equals("x-gzip", StringComparison.OrdinalIgnoreCase))
        {
            return new FillingStream(new CappedStream(new GZipStream(raw, CompressionMode.Decompress), maxBytes));
        }
        throw new UnsupportedEncodingException(encoding);
    }
}

/// <summary>A read-only stream that throws <see cref="BodyTooLargeException"/> once more than the cap has been read.</summary>
internal sealed class CappedStream(Stream inner, long maxBytes) : ReadOnlyWrapper(inner)
{
    private long _read;

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(Inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await Inner.ReadAsync(buffer, cancellationToken));


    private int Count(int read)
    {
        _read += read;
        return _read > maxBytes ? throw new BodyTooLargeException(maxBytes) : read;
    }

}

/// <summary>
/// Fills each read as far as the body allows. The line reader treats a short read as "a live source has nothing more
/// for now" and hands on a partly filled batch; over a network body that would make a batch (and its pooled buffer) per
/// packet.
/// </summary>
internal sealed class FillingStream(Stream inner) : ReadOnlyWrapper(inner)
{
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var total = 0;
        while (total < count)
        {
            var read = Inner.Read(buffer, offset + total, count - total);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await Inner.ReadAsync(buffer[total..], cancellationToken);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }


}

/// <summary>What the request-body wrappers share: read-only, forward-only, and the wrapped stream disposed with them.</summary>
internal abstract class ReadOnlyWrapper(Stream inner) : Stream
{
    protected Stream Inner { get; } = inner;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
