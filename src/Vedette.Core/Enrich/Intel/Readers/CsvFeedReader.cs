using System.Text;
using Vedette.Domain;
using Vedette.Pipeline;

namespace Vedette.Enrich.Intel.Readers;

/// <summary>
/// CSV feeds with a configured column mapping (<see cref="FeedDefinition.Csv"/>): columns by header name or by
/// zero-based index, comment lines, RFC 4180 quoting, any delimiter. The value's type is fixed, read from a column
/// (ThreatFox's ioc_type), or "auto" (recognised per value). Tag columns may hold several tags separated by commas
/// (URLhaus' "tags"). A row whose field count differs from the header's, or whose value, type, score or time cannot
/// be read, is reported with its line and skipped.
/// </summary>
/// <remarks>
/// The header is the first row when it names the value column; otherwise the last comment line before the data when
/// that names it (URLhaus and ThreatFox comment their header out: "# id,dateadded,url,..."). abuse.ch's closing
/// "# END 28 entries" comment becomes <see cref="FeedReadResult.DeclaredRecords"/>.
/// </remarks>
public sealed class CsvFeedReader : IFeedReader
{
    private const int MaxRecordChars = 1 << 20;

    public FeedKind Kind => FeedKind.Csv;

    public async Task<FeedReadResult> ReadAsync(IFeedLocation location, FeedDefinition feed, ErrorReport errors, CancellationToken cancellationToken)
    {
        var columns = feed.Csv ?? throw new InvalidOperationException($"feed {feed.Name}: a CSV feed needs a column mapping");
        var result = new FeedReadResult();
        var problems = new FeedProblems(feed, location, errors, result);
        await using var stream = await location.OpenAsync(cancellationToken);
        using var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var records = new CsvRecordReader(text, columns.Delimiter, columns.CommentPrefix, MaxRecordChars);
        CsvLayout? layout = null;
        string? lastComment = null;
        while (await records.ReadAsync(cancellationToken) is { } record)
        {
            if (record.Comment is { } comment)
            {
                result.DeclaredRecords = FeedValues.DeclaredCount(comment) ?? result.DeclaredRecords;
                lastComment = comment;
                continue;
            }
            if (record.Problem is { } problem)
            {
                problems.Reject(record.Line, problem);
                continue;
            }
            if (layout is null)
            {
                var header = columns.HasHeader ? await HeaderAsync(record, lastComment, columns, cancellationToken) : null;
                if (!CsvLayout.TryResolve(columns, header, record.Fields.Count, out layout, out var error))
                {
                    problems.Fail(null, record.Line, $"{error}; the feed is not read");
                    return result;
                }
                if (ReferenceEquals(header, record.Fields))
                {
                    continue;
                }
            }
            if (record.Fields.Count != layout.FieldCount)
            {
                problems.Reject(record.Line, $"{record.Fields.Count} fields where the header has {layout.FieldCount}");
                continue;
            }
            if (layout.TryRead(record.Fields, columns, out var indicator, out var rowError))
            {
                result.Indicators.Add(indicator);
            }
            else
            {
                problems.Reject(record.Line, rowError);
            }
        }
        return result;
    }

    /// <summary>The header row: this first record if it names the value column, else a commented-out header that does, else this record.</summary>
    private static async Task<IReadOnlyList<string>> HeaderAsync(CsvRecord first, string? lastComment, CsvColumns columns, CancellationToken cancellationToken)
    {
        if (CsvLayout.Names(first.Fields, columns.Value) || lastComment is null)
        {
            return first.Fields;
        }
        var commented = await CsvRecordReader.SplitAsync(lastComment, columns.Delimiter, cancellationToken);
        return CsvLayout.Names(commented, columns.Value) ? commented : first.Fields;
    }
}

/// <summary>The column indexes a CSV feed's mapping resolves to, and how one row becomes an indicator.</summary>
internal sealed record CsvLayout(int FieldCount, int Value, int? Type, int? Score, int? FirstSeen, int? LastSeen, IReadOnlyList<int> Tags)
{
    public static bool Names(IReadOnlyList<string> fields, string column)
    {
        foreach (var field in fields)
        {
            if (string.Equals(field, column, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    public static bool TryResolve(CsvColumns columns, IReadOnlyList<string>? header, int fieldCount, out CsvLayout layout, out string error)
    {
        var count = header?.Count ?? fieldCount;
        var missing = new List<string>();
        int? Find(string? column)
        {
            if (column is null)
            {
                return null;
            }
            for (var i = 0; header is not null && i < header.Count; i++)
            {
                if (string.Equals(header[i], column, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
            if (int.TryParse(column, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < count)
            {
                return index;
            }
            missing.Add(column);
            return null;
        }
        var value = Find(columns.Value);
        var tags = new List<int>();
        foreach (var tag in columns.Tags)
        {
            if (Find(tag) is { } index)
            {
                tags.Add(index);
            }
        }
        layout = new CsvLayout(count, value ?? 0, Find(columns.TypeColumn), Find(columns.Score), Find(columns.FirstSeen), Find(columns.LastSeen), tags);
        var where = header is null ? $"rows of {count} fields" : $"header ({FeedValues.Shorten(string.Join(",", header))})";
        error = missing.Count == 0 ? "" : $"column {string.Join(", ", missing.Select(c => $"'{c}'"))} not found: neither a name in the {where} nor an index below {count}";
        return missing.Count == 0;
    }

    public bool TryRead(IReadOnlyList<string> fields, CsvColumns columns, out FeedIndicator indicator, out string error)
    {
        indicator = null!;
        var typeName = Type is { } typeColumn ? fields[typeColumn] : columns.Type;
        if (!CsvValues.TryParse(typeName, fields[Value], out var observable, out error))
        {
            return false;
        }
        int? score = null;
        if (Score is { } scoreColumn && fields[scoreColumn].Length > 0)
        {
            if (!int.TryParse(fields[scoreColumn], System.Globalization.CultureInfo.InvariantCulture, out var number) || !FeedValues.IsScore(number))
            {
                error = $"score '{FeedValues.Shorten(fields[scoreColumn])}' is not a number from 0 to 100";
                return false;
            }
            score = number;
        }
        if (!TryTime(fields, FirstSeen, out var firstSeen, out error) || !TryTime(fields, LastSeen, out var lastSeen, out error))
        {
            return false;
        }
        var tags = new List<string>();
        foreach (var tagColumn in Tags)
        {
            foreach (var tag in fields[tagColumn].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!tags.Contains(tag))
                {
                    tags.Add(tag);
                }
            }
        }
        indicator = new FeedIndicator(observable) { Score = score, FirstSeen = firstSeen, LastSeen = lastSeen, Tags = tags };
        return true;
    }

    private static bool TryTime(IReadOnlyList<string> fields, int? column, out DateTimeOffset? time, out string error)
    {
        time = null;
        error = "";
        if (column is not { } index || fields[index].Length == 0)
        {
            return true;
        }
        if (FeedValues.TryParseTime(fields[index], out var parsed))
        {
            time = parsed;
            return true;
        }
        error = $"'{FeedValues.Shorten(fields[index])}' is not a time";
        return false;
    }
}

/// <summary>A CSV value of a named type: an observable type name, "ip", "auto", or the type names abuse.ch uses.</summary>
internal static class CsvValues
{
    public static bool TryParse(string typeName, string raw, out Observable observable, out string error)
    {
        var type = typeName.Trim().ToLowerInvariant();
        switch (type)
        {
            case "auto":
                error = Observable.TryDetect(raw, out observable) ? "" : $"'{FeedValues.Shorten(raw)}' is not an address, network, domain, URL, e-mail or hash";
                return error.Length == 0;
            case "ip":
                return FeedValues.TryParseAddress(raw, out observable, out error);
            case "ip:port":
                return FeedValues.TryParseAddress(WithoutPort(raw.Trim()), out observable, out error);
            case "md5_hash" or "sha1_hash" or "sha256_hash":
                type = type[..^5];
                break;
        }
        if (ObservableTypes.TryParse(type, out var observableType))
        {
            return Observable.TryParse(observableType, raw, out observable, out error);
        }
        observable = default;
        error = $"unknown indicator type '{FeedValues.Shorten(typeName)}'";
        return false;
    }

    /// <summary>"198.51.100.7:443" → the address; "[2001:db8::1]:443" → the IPv6 address.</summary>
    private static string WithoutPort(string value)
    {
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            return close > 0 ? value[1..close] : value;
        }
        var colon = value.LastIndexOf(':');
        return colon > 0 && value.IndexOf(':', StringComparison.Ordinal) == colon ? value[..colon] : value;
    }
}
