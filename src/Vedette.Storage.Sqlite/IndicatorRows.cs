using System.Text.Json;
using Microsoft.Data.Sqlite;
using Vedette.Domain;

namespace Vedette.Storage.Sqlite;

/// <summary>
/// Threat-intelligence records keyed by (type, value). A value seen again, by the same feed or another, merges into
/// one record: the union of feeds and tags, the widest seen range, the highest score, and the latest expiry
/// (no expiry wins, since one feed still vouches for the value indefinitely).
/// </summary>
internal sealed class IndicatorRows(SqliteConnection writer, DocWriter docs) : IDisposable
{
    private const string FindSql = "SELECT score, feeds, first_seen, last_seen, expires_at, tags FROM indicators WHERE type = @type AND value = @value";

    private readonly Statement _find = new(writer, FindSql);

    private readonly Statement _upsert = new(writer, """
        INSERT INTO indicators (type, value, score, feeds, first_seen, last_seen, expires_at, tags)
        VALUES (@type, @value, @score, @feeds, @first_seen, @last_seen, @expires_at, @tags)
        ON CONFLICT (type, value) DO UPDATE SET
            score = excluded.score, feeds = excluded.feeds, first_seen = excluded.first_seen,
            last_seen = excluded.last_seen, expires_at = excluded.expires_at, tags = excluded.tags
        """);

    /// <summary>A lookup statement for a reader connection.</summary>
    public static Statement CreateFind(SqliteConnection connection) => new(connection, FindSql);

    public void Upsert(IReadOnlyCollection<Indicator> indicators, CancellationToken cancellationToken)
    {
        foreach (var incoming in indicators)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var indicator = Find(_find, incoming.Value) is { } stored ? Merge(stored, incoming) : incoming;
            _upsert.Set("@type", ObservableTypes.ToName(indicator.Value.Type));
            _upsert.Set("@value", indicator.Value.Value);
            _upsert.Set("@score", indicator.Score);
            _upsert.Set("@feeds", docs.Strings(indicator.Feeds).Span);
            _upsert.Set("@first_seen", Columns.Time(indicator.FirstSeen));
            _upsert.Set("@last_seen", Columns.Time(indicator.LastSeen));
            _upsert.Set("@expires_at", Columns.Time(indicator.ExpiresAt));
            _upsert.Set("@tags", docs.Strings(indicator.Tags).Span);
            _upsert.Execute();
        }
    }

    public static Indicator? Find(Statement find, Observable value)
    {
        find.Set("@type", ObservableTypes.ToName(value.Type));
        find.Set("@value", value.Value);
        try
        {
            if (!find.Step())
            {
                return null;
            }
            return new Indicator(
                value,
                (int)find.Int64(0),
                ReadStrings(find.Text(1)),
                Columns.ParseTime(find.Text(2)),
                Columns.ParseTime(find.Text(3)),
                find.IsNull(4) ? null : Columns.ParseTime(find.Text(4)),
                ReadStrings(find.Text(5)));
        }
        finally
        {
            find.Reset();
        }
    }

    private static Indicator Merge(Indicator stored, Indicator incoming) => stored with
    {
        Score = Math.Max(stored.Score, incoming.Score),
        Feeds = Union(stored.Feeds, incoming.Feeds),
        FirstSeen = incoming.FirstSeen < stored.FirstSeen ? incoming.FirstSeen : stored.FirstSeen,
        LastSeen = incoming.LastSeen > stored.LastSeen ? incoming.LastSeen : stored.LastSeen,
        ExpiresAt = stored.ExpiresAt is { } a && incoming.ExpiresAt is { } b ? (a > b ? a : b) : null,
        Tags = Union(stored.Tags, incoming.Tags),
    };

    private static List<string> Union(IReadOnlyList<string> first, IReadOnlyList<string> second)
    {
        var union = new List<string>(first);
        foreach (var item in second)
        {
            if (!union.Contains(item))
            {
                union.Add(item);
            }
        }
        return union;
    }

    private static List<string> ReadStrings(string json)
    {
        using var document = JsonDocument.Parse(json);
        var items = new List<string>(document.RootElement.GetArrayLength());
        foreach (var item in document.RootElement.EnumerateArray())
        {
            items.Add(item.GetString()!);
        }
        return items;
    }

    public void Dispose()
    {
        _find.Dispose();
        _upsert.Dispose();
    }
}
