namespace Vedette.Ingest.Readers;

/// <summary>Packs records into <see cref="LineBatch"/>es of about a quarter MiB, the unit the pipeline moves.</summary>
internal sealed class BatchWriter(string origin) : IDisposable
{
    private const int BatchBytes = 256 * 1024;

    private LineBatch? _current;

    /// <summary>Adds a record; returns the batch it filled up, which the caller now owns and hands on.</summary>
    public LineBatch? Add(ReadOnlySpan<byte> record, long reference)
    {
        _current ??= new LineBatch(origin, Math.Max(BatchBytes, record.Length));
        if (_current.TryAdd(record, reference))
        {
            return null;
        }
        var full = _current;
        _current = new LineBatch(origin, Math.Max(BatchBytes, record.Length));
        _current.TryAdd(record, reference);
        return full;
    }

    /// <summary>The last batch, if it holds anything; the caller owns it.</summary>
    public LineBatch? TakeRest()
    {
        var rest = _current;
        _current = null;
        if (rest is { Count: 0 })
        {
            rest.Dispose();
            return null;
        }
        return rest;
    }

    public void Dispose()
    {
        _current?.Dispose();
        _current = null;
    }
}
