using System.Globalization;
using Vedette.Ingest.Readers;
using Vedette.Pipeline;

namespace Vedette.Cli.Commands;

/// <summary>
/// Events held in memory for a benchmark: the records of the input, repeated until the wanted size, packed into one
/// array so that measuring touches no disk and allocates nothing per record.
/// </summary>
internal sealed class BenchDetectInput
{
    private readonly byte[] _data;
    private readonly List<(int Start, int Length)> _records;

    private BenchDetectInput(byte[] data, List<(int Start, int Length)> records, ErrorReport errors)
    {
        _data = data;
        _records = records;
        Errors = errors;
        Bytes = records.Count == 0 ? 0 : records[^1].Start + records[^1].Length;
    }

    public int Count => _records.Count;

    public long Bytes { get; }

    public ErrorReport Errors { get; }

    public ReadOnlySpan<byte> Record(int index) => _data.AsSpan(_records[index].Start, _records[index].Length);

    public static async Task<BenchDetectInput> LoadAsync(IReadOnlyList<string> paths, long bytes, CancellationToken cancellationToken)
    {
        var errors = new ErrorReport();
        var data = new byte[bytes];
        var records = new List<(int Start, int Length)>();
        var used = 0;
        var source = new InputSource(paths, new InputOptions { SyslogYear = TimeProvider.System.GetUtcNow().Year, SyslogNotAfter = TimeProvider.System.GetUtcNow() });
        await foreach (var batch in source.ReadAsync(errors, cancellationToken))
        {
            using (batch)
            {
                for (var i = 0; i < batch.Count && used < bytes; i++)
                {
                    used = Append(data, used, batch.Line(i), records);
                }
            }
            if (used >= bytes)
            {
                break;
            }
        }
        // Fewer bytes than asked for: the same records again, in order, until the size is reached.
        for (var i = 0; used < bytes && records.Count > 0; i++)
        {
            var (start, length) = records[i];
            used = Append(data, used, data.AsSpan(start, length), records);
        }
        return new BenchDetectInput(data, records, errors);
    }

    /// <summary>"2m", "256k", "1g", "1048576": a byte count up to the largest array; null when it is not one.</summary>
    public static long? ParseBytes(string text)
    {
        var span = text.AsSpan().Trim();
        var unit = span.Length > 0 ? char.ToLowerInvariant(span[^1]) : ' ';
        var multiplier = unit switch
        {
            'k' => 1L << 10,
            'm' => 1L << 20,
            'g' => 1L << 30,
            _ => 1L,
        };
        if (multiplier > 1)
        {
            span = span[..^1];
        }
        return long.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0 && count <= Array.MaxLength / multiplier
            ? count * multiplier
            : null;
    }

    private static int Append(byte[] data, int used, ReadOnlySpan<byte> record, List<(int Start, int Length)> records)
    {
        var length = Math.Min(record.Length, data.Length - used);
        if (length < record.Length)
        {
            // The last record that does not fit whole is left out rather than cut into invalid JSON.
            return data.Length;
        }
        record.CopyTo(data.AsSpan(used));
        records.Add((used, length));
        return used + length;
    }
}
