using Vedette.Domain;
using Vedette.Pipeline;

namespace Vedette.Enrich;

/// <summary>
/// The simplest feed format: one indicator per line (address, network, domain, URL or hash), '#' comments,
/// optional text after whitespace ignored (IPsum's count column). Lines that are no indicator are reported.
/// </summary>
public static class PlainListFeed
{
    public static IReadOnlyList<Indicator> Read(TextReader reader, string feed, int score, DateTimeOffset now, ErrorReport errors)
    {
        var indicators = new List<Indicator>();
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var text = line.AsSpan().Trim();
            if (text.IsEmpty || text[0] is '#' or ';')
            {
                continue;
            }
            var end = text.IndexOfAny(' ', '\t');
            var value = (end < 0 ? text : text[..end]).ToString();
            if (!Observable.TryDetect(value, out var observable))
            {
                errors.Report(new RecordError(new RecordRef(feed, lineNumber), "intel", $"'{Shorten(value)}' is not an address, network, domain, URL or hash"));
                continue;
            }
            indicators.Add(new Indicator(observable, score, [feed], now, now, null, []));
        }
        return indicators;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}
