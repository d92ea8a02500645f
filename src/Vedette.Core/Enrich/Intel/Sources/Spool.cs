namespace Vedette.Enrich.Intel.Sources;

/// <summary>
/// Holds a download until it is complete, so that readers only ever see whole feeds: in memory while small, in a
/// temporary file (deleted when closed) beyond that. Refuses to grow past the feed's cap.
/// </summary>
internal sealed class Spool(long cap, Func<Exception> tooBig) : IDisposable
{
    private const int InMemoryLimit = 4 << 20;
    private Stream _target = new MemoryStream();

    public long Length => _target.Length;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        _target.Write(bytes);
    }

    public async Task CopyFromAsync(Stream source, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            Reserve(read);
            await _target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    /// <summary>The content, from its start; the caller owns it.</summary>
    public Stream Detach()
    {
        var content = _target;
        _target = Stream.Null;
        content.Position = 0;
        return content;
    }

    public void Dispose() => _target.Dispose();

    private void Reserve(int more)
    {
        if (_target.Length + more > cap)
        {
            throw tooBig();
        }
        if (_target is MemoryStream memory && memory.Length + more > InMemoryLimit)
        {
            var file = new FileStream(
                Path.Combine(Path.GetTempPath(), $"vedette-feed-{Guid.NewGuid():N}.tmp"),
                FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
            memory.Position = 0;
            memory.CopyTo(file);
            memory.Dispose();
            _target = file;
        }
    }
}
