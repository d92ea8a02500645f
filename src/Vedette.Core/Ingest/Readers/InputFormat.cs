using Vedette.Pipeline;

namespace Vedette.Ingest.Readers;

/// <summary>What a file holds, told from its first bytes.</summary>
internal enum InputFormat
{
    /// <summary>Nothing but whitespace.</summary>
    Empty,

    /// <summary>NDJSON: the first line is a whole object ({...}).</summary>
    JsonLines,

    /// <summary>JSON values one after another, pretty-printed or in a top-level array.</summary>
    JsonValues,

    /// <summary>Text whose first line is a syslog line.</summary>
    Syslog,

    /// <summary>Text that is neither JSON nor syslog (a README, a licence, an application's own log format).</summary>
    Text,

    /// <summary>A zip archive (PK\x03\x04).</summary>
    Zip,

    /// <summary>Holds NUL bytes: not a log this reader understands (EVTX, images, ...).</summary>
    Binary,
}

internal static class InputFormats
{
    private const int ChunkBytes = 16 * 1024;

    /// <summary>The records of a text format; <see cref="InputFormat.Empty"/> has none.</summary>
    public static IAsyncEnumerable<LineBatch> Read(InputFormat format, InputOptions options, Stream stream, string origin, ErrorReport errors, CancellationToken cancellationToken) => format switch
    {
        InputFormat.JsonLines => new JsonLinesReader(options).ReadAsync(stream, origin, errors, cancellationToken),
        InputFormat.JsonValues => new JsonValueReader(options).ReadAsync(stream, origin, errors, cancellationToken),
        InputFormat.Syslog => new SyslogReader(options).ReadAsync(stream, origin, errors, cancellationToken),
        InputFormat.Empty => AsyncEnumerable.Empty<LineBatch>(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a text format"),
    };

    /// <summary>Why a format is not read, or null when it is.</summary>
    public static string? Refusal(InputFormat format) => format switch
    {
        InputFormat.Binary => "binary content (NUL bytes), not JSON or syslog text; skipped",
        InputFormat.Text => "text whose first line is neither JSON nor syslog; skipped",
        _ => null,
    };

    /// <summary>Reads the start of a stream (up to the end of the first non-blank line, at most <paramref name="maxProbe"/> bytes) to tell its format.</summary>
    public static async Task<InputFormat> DetectAsync(Stream stream, int maxProbe, CancellationToken cancellationToken)
    {
        var probe = new byte[Math.Min(maxProbe, ChunkBytes)];
        var length = 0;
        while (true)
        {
            if (length == probe.Length && probe.Length < maxProbe)
            {
                Array.Resize(ref probe, Math.Min(maxProbe, probe.Length * 4));
            }
            var read = length < probe.Length ? await stream.ReadAsync(probe.AsMemory(length), cancellationToken) : 0;
            length += read;
            if (Classify(probe.AsSpan(0, length), complete: read == 0) is { } format)
            {
                return format;
            }
        }
    }

    /// <summary>The format, or null when the bytes so far do not tell yet.</summary>
    internal static InputFormat? Classify(ReadOnlySpan<byte> start, bool complete)
    {
        if (start.StartsWith("PK\u0003\u0004"u8))
        {
            return InputFormat.Zip;
        }
        if (start[..Math.Min(start.Length, 4096)].Contains((byte)0))
        {
            return InputFormat.Binary;
        }
        var text = start.StartsWith("\uFEFF"u8) ? start[3..] : start;
        var first = text.IndexOfAnyExcept(" \t\r\n"u8);
        if (first < 0)
        {
            return complete ? InputFormat.Empty : null;
        }
        var newline = text[first..].IndexOf((byte)'\n');
        if (newline < 0 && !complete)
        {
            return null;
        }
        var line = (newline < 0 ? text[first..] : text.Slice(first, newline)).TrimEnd(" \t\r"u8);
        return text[first] switch
        {
            (byte)'[' => InputFormat.JsonValues,
            (byte)'{' => line.Length > 1 && line[^1] == (byte)'}' ? InputFormat.JsonLines : InputFormat.JsonValues,
            _ => SyslogLine.IsSyslog(line) ? InputFormat.Syslog : InputFormat.Text,
        };
    }
}
