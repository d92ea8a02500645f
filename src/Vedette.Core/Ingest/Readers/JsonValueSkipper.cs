namespace Vedette.Ingest.Readers;

/// <summary>
/// Finds the end of one JSON value by counting brackets outside strings, without parsing it or keeping its bytes:
/// how a record over the size or depth cap is passed over, chunk by chunk, so that the records after it are read.
/// </summary>
internal struct JsonValueSkipper
{
    private long _depth;
    private bool _started;
    private bool _scalar;
    private bool _inString;
    private bool _escaped;

    /// <summary>Advances over the next chunk; true when the value ended, with the bytes of the chunk it still took.</summary>
    public bool Advance(ReadOnlySpan<byte> chunk, out int consumed)
    {
        for (var i = 0; i < chunk.Length; i++)
        {
            var b = chunk[i];
            if (_inString)
            {
                if (_escaped)
                {
                    _escaped = false;
                }
                else if (b == (byte)'\\')
                {
                    _escaped = true;
                }
                else if (b == (byte)'"')
                {
                    _inString = false;
                    if (_depth == 0)
                    {
                        consumed = i + 1;
                        return true;
                    }
                }
                continue;
            }
            if (_scalar)
            {
                if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)',' or (byte)']' or (byte)'}')
                {
                    consumed = i;
                    return true;
                }
                continue;
            }
            switch (b)
            {
                case (byte)'"':
                    _inString = true;
                    break;
                case (byte)'{' or (byte)'[':
                    _depth++;
                    break;
                case (byte)'}' or (byte)']':
                    if (--_depth <= 0)
                    {
                        consumed = i + 1;
                        return true;
                    }
                    break;
                default:
                    _scalar = !_started;
                    break;
            }
            _started = true;
        }
        consumed = chunk.Length;
        return false;
    }
}
