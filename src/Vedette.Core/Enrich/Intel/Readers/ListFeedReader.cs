using System.Text;
using Vedette.Domain;
using Vedette.Pipeline;

namespace Vedette.Enrich.Intel.Readers;

/// <summary>
/// One indicator per line: FireHOL netsets, IPsum, Spamhaus' text lists, plain block lists. '#' and ';' start comment
/// lines; what follows the value after whitespace is ignored, except a count (IPsum's "address TAB lists"). The type
/// is recognised per value: single addresses stay addresses, networks stay networks. A FireHOL "Entries : N" header
/// becomes <see cref="FeedReadResult.DeclaredRecords"/> (FireHOL counts every line, single addresses included).
/// </summary>
/// <remarks>
/// A count after the value is the number of block lists that name it (IPsum). Independent lists agreeing is
/// evidence, so it may raise the score: min(100, 10 × count), never below the feed's DefaultScore, which is the
/// operator's floor for the feed. With the default of 50, IPsum's addresses on 6 or more lists score 60 to 100.
/// </remarks>
public sealed class ListFeedReader : IFeedReader
{
    public FeedKind Kind => FeedKind.List;

    public async Task<FeedReadResult> ReadAsync(IFeedLocation location, FeedDefinition feed, ErrorReport errors, CancellationToken cancellationToken)
    {
        var result = new FeedReadResult();
        var problems = new FeedProblems(feed, location, errors, result);
        await FeedDocuments.ReadLinesAsync(location, problems, errors, (line, number) => ReadLine(line, number, feed, result, problems), cancellationToken);
        return result;
    }

    private static void ReadLine(ReadOnlySpan<byte> line, long number, FeedDefinition feed, FeedReadResult result, FeedProblems problems)
    {
        line = line.Trim(" \t"u8);
        if (line.IsEmpty)
        {
            return;
        }
        if (line[0] is (byte)'#' or (byte)';')
        {
            if (result.DeclaredRecords is null && FeedValues.DeclaredCount(Encoding.UTF8.GetString(line)) is { } declared)
            {
                result.DeclaredRecords = declared;
            }
            return;
        }
        var end = line.IndexOfAny(" \t"u8);
        var value = Encoding.UTF8.GetString(end < 0 ? line : line[..end]);
        if (!Observable.TryDetect(value, out var observable))
        {
            problems.Reject(number, $"'{FeedValues.Shorten(value)}' is not an address, network, domain, URL, e-mail or hash");
            return;
        }
        result.Indicators.Add(new FeedIndicator(observable) { Score = end < 0 ? null : ScoreFromCount(line[end..], feed.DefaultScore) });
    }

    private static int? ScoreFromCount(ReadOnlySpan<byte> rest, int defaultScore)
    {
        rest = rest.Trim(" \t"u8);
        var end = rest.IndexOfAny(" \t"u8);
        if (end >= 0)
        {
            rest = rest[..end];
        }
        if (!int.TryParse(rest, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            return null;
        }
        return Math.Max(defaultScore, (int)Math.Min(100L, 10L * count));
    }
}
