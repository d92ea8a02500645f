using System.Text;
using Vedette.Ingest;
using Vedette.Pipeline;

namespace Vedette.Tests.Ingest;

public sealed class LineReaderTests
{
    private static async Task<List<(long Line, string Text)>> ReadAllAsync(byte[] input, ErrorReport errors, int maxLine = 64, int batchBytes = 128)
    {
        var lines = new List<(long, string)>();
        await foreach (var batch in new LineReader(maxLine, batchBytes).ReadAsync(new MemoryStream(input), "input.ndjson", errors, CancellationToken.None))
        {
            using (batch)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    lines.Add((batch.LineNumber(i), Encoding.UTF8.GetString(batch.Line(i))));
                }
            }
        }
        return lines;
    }

    [Fact]
    public async Task Lines_keep_their_numbers_across_blank_lines_CRLF_and_batches()
    {
        var text = string.Join("", Enumerable.Range(1, 50).Select(i => i % 7 == 0 ? "\r\n" : $"line {i}\r\n"));
        var errors = new ErrorReport();
        var lines = await ReadAllAsync(Encoding.UTF8.GetBytes(text), errors);

        Assert.Equal(0, errors.Count);
        Assert.Equal(Enumerable.Range(1, 50).Where(i => i % 7 != 0).Select(i => ((long)i, $"line {i}")), lines);
    }

    [Fact]
    public async Task A_line_over_the_maximum_is_reported_with_its_number_and_the_rest_is_read()
    {
        var input = "first\n" + new string('x', 200) + "\nthird\n" + new string('y', 65) + "\nfifth";
        var errors = new ErrorReport();
        var lines = await ReadAllAsync(Encoding.UTF8.GetBytes(input), errors);

        Assert.Equal([(1L, "first"), (3L, "third"), (5L, "fifth")], lines);
        Assert.Equal(2, errors.Count);
        Assert.Equal(["input.ndjson:2", "input.ndjson:4"], errors.Kept.Select(e => e.Ref.ToString()));
        Assert.All(errors.Kept, e => Assert.Contains("longer than the maximum of 64 bytes", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_huge_line_without_newline_is_skipped_without_being_buffered_whole()
    {
        // 5 MB of one line against a 64-byte cap: the reader must skip it, not grow a buffer to hold it.
        var input = new byte[5_000_000 + 10];
        input.AsSpan().Fill((byte)'z');
        Encoding.ASCII.GetBytes("\nok\n").CopyTo(input.AsSpan(5_000_000));
        var errors = new ErrorReport();
        var lines = await ReadAllAsync(input, errors);

        Assert.Equal(1, errors.Count);
        Assert.Contains((2L, "ok"), lines);
    }

    [Fact]
    public async Task A_truncated_last_line_is_still_delivered()
    {
        var lines = await ReadAllAsync(Encoding.UTF8.GetBytes("{\"a\":1}\n{\"b\":"), new ErrorReport());
        Assert.Equal([(1L, "{\"a\":1}"), (2L, "{\"b\":")], lines);
    }
}
