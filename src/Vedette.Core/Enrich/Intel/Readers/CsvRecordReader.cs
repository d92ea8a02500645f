using System.Text;

namespace Vedette.Enrich.Intel.Readers;

/// <summary>
/// One thing a CSV file holds: a record's fields, a comment line's text (after the prefix), or a problem. Line is
/// the physical line the record starts on.
/// </summary>
internal sealed record CsvRecord(long Line, IReadOnlyList<string> Fields, string? Comment = null, string? Problem = null);

/// <summary>
/// RFC 4180 records from a text stream: fields separated by a delimiter, "quoted" fields that may hold the delimiter,
/// doubled quotes and line breaks, LF or CRLF line ends. Comment lines (starting with the prefix at the start of a
/// record) are handed back as comments: abuse.ch writes its header and its record count in them.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, char delimiter, string commentPrefix, int maxRecordChars)
{
    private readonly char[] _buffer = new char[16 * 1024];
    private readonly StringBuilder _field = new();
    private readonly List<string> _fields = [];
    private int _position;
    private int _length;
    private bool _eof;
    private long _line = 1;

    /// <summary>The next record or comment; null at the end of the text.</summary>
    public async ValueTask<CsvRecord?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!await EnsureAsync(Math.Max(1, commentPrefix.Length), cancellationToken))
            {
                return null;
            }
            var line = _line;
            if (commentPrefix.Length > 0 && _buffer.AsSpan(_position, _length - _position).StartsWith(commentPrefix, StringComparison.Ordinal))
            {
                var text = await RestOfLineAsync(cancellationToken);
                return new CsvRecord(line, [], text[commentPrefix.Length..].Trim());
            }
            var record = await RecordAsync(line, cancellationToken);
            if (record.Problem is not null || record.Fields is not [""])
            {
                return record;
            }
        }
    }

    /// <summary>Splits one line (a commented-out header) the same way records are split.</summary>
    public static async ValueTask<IReadOnlyList<string>> SplitAsync(string line, char delimiter, CancellationToken cancellationToken)
    {
        using var text = new StringReader(line);
        var record = await new CsvRecordReader(text, delimiter, "", line.Length + 1).ReadAsync(cancellationToken);
        return record?.Fields ?? [];
    }

    private async ValueTask<CsvRecord> RecordAsync(long line, CancellationToken cancellationToken)
    {
        _fields.Clear();
        _field.Clear();
        var quoted = false;
        var afterQuote = false;
        var chars = 0;
        while (_position < _length || await EnsureAsync(1, cancellationToken))
        {
            var c = _buffer[_position++];
            if (c == '\n')
            {
                _line++;
            }
            if (++chars > maxRecordChars)
            {
                await SkipLineAsync(c, cancellationToken);
                return new CsvRecord(line, [], Problem: $"record longer than {maxRecordChars} characters; skipped to the next line");
            }
            if (quoted)
            {
                if (c != '"')
                {
                    _field.Append(c);
                }
                else if (await EnsureAsync(1, cancellationToken) && _buffer[_position] == '"')
                {
                    _field.Append('"');
                    _position++;
                }
                else
                {
                    quoted = false;
                    afterQuote = true;
                }
            }
            else if (c == delimiter)
            {
                EndField();
                afterQuote = false;
            }
            else if (c == '\n')
            {
                EndField();
                return new CsvRecord(line, [.. _fields]);
            }
            else if (c == '"' && !afterQuote && IsBlank(_field))
            {
                _field.Clear();
                quoted = true;
            }
            else if (c != '\r' && !(afterQuote && c == ' '))
            {
                _field.Append(c);
            }
        }
        EndField();
        return quoted
            ? new CsvRecord(line, [], Problem: "a quoted field is not closed before the end of the file")
            : new CsvRecord(line, [.. _fields]);
    }

    private void EndField()
    {
        _fields.Add(_field.ToString().Trim(' ', '\t'));
        _field.Clear();
    }

    private static bool IsBlank(StringBuilder text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is not (' ' or '\t'))
            {
                return false;
            }
        }
        return true;
    }

    private async ValueTask<string> RestOfLineAsync(CancellationToken cancellationToken)
    {
        _field.Clear();
        while (_position < _length || await EnsureAsync(1, cancellationToken))
        {
            var c = _buffer[_position++];
            if (c == '\n')
            {
                _line++;
                break;
            }
            if (_field.Length < maxRecordChars)
            {
                _field.Append(c);
            }
        }
        return _field.ToString().TrimEnd('\r');
    }

    private async ValueTask SkipLineAsync(char last, CancellationToken cancellationToken)
    {
        if (last != '\n')
        {
            await RestOfLineAsync(cancellationToken);
        }
        _field.Clear();
    }

    /// <summary>Makes at least <paramref name="count"/> characters available if the text has them; false when none are left.</summary>
    private async ValueTask<bool> EnsureAsync(int count, CancellationToken cancellationToken)
    {
        while (_length - _position < count && !_eof)
        {
            if (_position > 0)
            {
                _buffer.AsSpan(_position, _length - _position).CopyTo(_buffer);
                _length -= _position;
                _position = 0;
            }
            var read = await reader.ReadAsync(_buffer.AsMemory(_length), cancellationToken);
            _eof = read == 0;
            _length += read;
        }
        return _length > _position;
    }
}
