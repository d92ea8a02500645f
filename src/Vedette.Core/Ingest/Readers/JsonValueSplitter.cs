namespace Vedette.Ingest.Readers;

internal enum SplitKind
{
    /// <summary>A record: the bytes at RecordStart, RecordLength long.</summary>
    Record,

    /// <summary>Something to report at Line; reading goes on.</summary>
    Problem,

    /// <summary>The data held is used up: consume, read more, call again.</summary>
    NeedMore,

    /// <summary>Nothing more in this input.</summary>
    End,
}

/// <summary>One step of <see cref="JsonValueSplitter"/>: drop <c>Consumed</c> bytes from the front after acting on it.</summary>
internal readonly record struct SplitStep(SplitKind Kind, int Consumed, long Line = 0, int RecordStart = 0, int RecordLength = 0, string? Problem = null);

/// <summary>
/// Splits a stream of JSON values into records: objects written one after another (pretty-printed or compact) and the
/// object elements of top-level arrays. A record over the size or depth cap is reported and skipped by bracket
/// counting; after malformed JSON, reading resumes at the next line that starts with '{' — where the next record of
/// an evtx_dump-style rendering or of an NDJSON file begins.
/// </summary>
internal sealed class JsonValueSplitter(int maxRecordBytes, int maxDepth)
{
    private enum Mode
    {
        Values,
        Skipping,
        Resyncing,
    }

    private Mode _mode;
    private JsonValueSkipper _skipper;
    private long _line = 1;
    private bool _inArray;
    private bool _started;

    public SplitStep Next(ReadOnlySpan<byte> data, bool eof)
    {
        var position = 0;
        if (!_started && (data.Length >= 3 || eof))
        {
            _started = true;
            if (data.StartsWith("\uFEFF"u8))
            {
                position = 3;
            }
        }
        if (_mode == Mode.Skipping)
        {
            if (!_skipper.Advance(data, out var skipped))
            {
                _line += data.Count((byte)'\n');
                return new(eof ? SplitKind.End : SplitKind.NeedMore, data.Length);
            }
            _line += data[..skipped].Count((byte)'\n');
            position = skipped;
            _mode = Mode.Values;
        }
        else if (_mode == Mode.Resyncing)
        {
            var next = data.IndexOf("\n{"u8);
            if (next < 0)
            {
                // A newline at the very end may be followed by the '{' in the next chunk: keep it.
                var keep = !eof && data.Length > 0 && data[^1] == (byte)'\n' ? 1 : 0;
                _line += data[..^keep].Count((byte)'\n');
                return new(eof ? SplitKind.End : SplitKind.NeedMore, data.Length - keep);
            }
            _line += data[..(next + 1)].Count((byte)'\n');
            position = next + 1;
            _mode = Mode.Values;
        }

        while (position < data.Length)
        {
            var b = data[position];
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' || (_inArray && b == (byte)','))
            {
                if (b == (byte)'\n')
                {
                    _line++;
                }
                position++;
                continue;
            }
            if (_inArray && b == (byte)']')
            {
                _inArray = false;
                position++;
                continue;
            }
            if (!_inArray && b == (byte)'[')
            {
                _inArray = true;
                position++;
                continue;
            }
            return Value(data, position, eof);
        }
        return new(eof ? SplitKind.End : SplitKind.NeedMore, position);
    }

    private SplitStep Value(ReadOnlySpan<byte> data, int start, bool eof)
    {
        var line = _line;
        var scan = JsonValueScan.Next(data[start..], eof, maxDepth, line);
        switch (scan.Outcome)
        {
            case ScanOutcome.Object when scan.Consumed <= maxRecordBytes:
                _line += data.Slice(start, scan.Consumed).Count((byte)'\n');
                return new(SplitKind.Record, start + scan.Consumed, line, start, scan.Consumed);
            case ScanOutcome.Object:
                _line += data.Slice(start, scan.Consumed).Count((byte)'\n');
                return new(SplitKind.Problem, start + scan.Consumed, line, Problem: TooLong());
            case ScanOutcome.NotObject:
                _line += data.Slice(start, scan.Consumed).Count((byte)'\n');
                return new(SplitKind.Problem, start + scan.Consumed, line, Problem: scan.Problem);
            case ScanOutcome.Incomplete when data.Length - start <= maxRecordBytes && !eof:
                return new(SplitKind.NeedMore, start);
            case ScanOutcome.Incomplete when eof:
                _mode = Mode.Resyncing;
                return new(SplitKind.Problem, start, line, Problem: "the input ends inside this record");
            case ScanOutcome.Incomplete:
                StartSkipping();
                return new(SplitKind.Problem, start, line, Problem: TooLong());
            case ScanOutcome.TooDeep:
                StartSkipping();
                return new(SplitKind.Problem, start, line, Problem: scan.Problem);
            default:
                _mode = Mode.Resyncing;
                return new(SplitKind.Problem, start, line, Problem: scan.Problem);
        }
    }

    private void StartSkipping()
    {
        _mode = Mode.Skipping;
        _skipper = default;
    }

    private string TooLong() => $"record longer than the maximum of {maxRecordBytes} bytes; skipped";
}
