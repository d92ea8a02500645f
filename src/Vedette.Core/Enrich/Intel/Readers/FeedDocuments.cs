using System.Text.Json;
using Vedette.Ingest;
using Vedette.Pipeline;

namespace Vedette.Enrich.Intel.Readers;

/// <summary>Handles one line of a line-oriented feed: its bytes (without the line end) and its number in the file.</summary>
internal delegate void FeedLineHandler(ReadOnlySpan<byte> line, long number);

/// <summary>How readers go through a feed's documents: line by line, or JSON record by record, with breaks reported.</summary>
internal static class FeedDocuments
{
    /// <summary>
    /// Every non-blank line of the main document, streamed, each at most <see cref="LineReader.DefaultMaxLineBytes"/>
    /// long (a longer one is reported and skipped by the line reader), a leading byte-order mark dropped.
    /// </summary>
    public static async Task ReadLinesAsync(IFeedLocation location, FeedProblems problems, ErrorReport errors, FeedLineHandler onLine, CancellationToken cancellationToken)
    {
        await using var stream = await location.OpenAsync(cancellationToken);
        await foreach (var batch in new LineReader().ReadAsync(stream, problems.Origin, errors, cancellationToken))
        {
            using (batch)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    var line = batch.Line(i);
                    var number = batch.LineNumber(i);
                    onLine(number == 1 && line.StartsWith("\uFEFF"u8) ? line[3..] : line, number);
                }
            }
        }
    }

    /// <summary>The main document's JSON records (see <see cref="JsonRecordStream"/>); where it breaks is reported as the feed's error.</summary>
    public static async Task ReadJsonAsync(IFeedLocation location, string? arrayProperty, FeedDefinition feed, FeedProblems problems, Action<JsonElement, long> onRecord, CancellationToken cancellationToken)
    {
        await using var stream = await location.OpenAsync(cancellationToken);
        await ReadJsonAsync(stream, relative: null, arrayProperty, feed, problems, onRecord, cancellationToken);
    }

    /// <summary>A JSON document: the main one (<paramref name="relative"/> null) or one next to it.</summary>
    public static async Task ReadJsonAsync(Stream stream, string? relative, string? arrayProperty, FeedDefinition feed, FeedProblems problems, Action<JsonElement, long> onRecord, CancellationToken cancellationToken)
    {
        var end = await JsonRecordStream.ReadAsync(stream, arrayProperty, feed.MaxBytes, onRecord, cancellationToken);
        if (end.Problem is not null)
        {
            problems.Fail(relative, end.Line, end.Problem);
        }
    }
}
