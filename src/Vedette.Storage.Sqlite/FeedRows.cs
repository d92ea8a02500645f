using System.Text.Json;
using Microsoft.Data.Sqlite;
using Vedette.Domain;
using Vedette.Enrich.Intel;

namespace Vedette.Storage.Sqlite;

/// <summary>
/// Threat-intel feeds and what each lists, one row per (feed, type, value). Feeds are kept apart rather than merged
/// into one row per value: an update replaces exactly one feed's rows, and the in-memory snapshot does the merging.
/// Times are Unix seconds (a million rows of ISO text would double the table for precision no feed has).
/// </summary>
internal sealed class FeedRows(SqliteConnection writer, DocWriter docs) : IDisposable
{
    private const string StatusColumns = "name, kind, location, updated_at, attempted_at, last_error, indicator_count, fetch_state, half_life";

    private readonly Statement _clear = new(writer, "DELETE FROM feed_indicators WHERE feed = @feed");

    private readonly Statement _insert = new(writer, """
        INSERT INTO feed_indicators (feed, type, value, score, first_seen, last_seen, valid_until, subdomains, tags)
        VALUES (@feed, @type, @value, @score, @first_seen, @last_seen, @valid_until, @subdomains, @tags)
        ON CONFLICT (feed, type, value) DO UPDATE SET
            score = max(coalesce(score, 0), coalesce(excluded.score, 0)),
            first_seen = min(coalesce(first_seen, excluded.first_seen), coalesce(excluded.first_seen, first_seen)),
            last_seen = max(coalesce(last_seen, excluded.last_seen), coalesce(excluded.last_seen, last_seen)),
            valid_until = CASE WHEN valid_until IS NULL OR excluded.valid_until IS NULL THEN NULL ELSE max(valid_until, excluded.valid_until) END
        """);

    private readonly Statement _status = new(writer, $"""
        INSERT INTO feeds ({StatusColumns})
        VALUES (@name, @kind, @location, @updated_at, @attempted_at, @last_error, @indicator_count, @fetch_state, @half_life)
        ON CONFLICT (name) DO UPDATE SET
            kind = excluded.kind, location = excluded.location, updated_at = excluded.updated_at,
            attempted_at = excluded.attempted_at, last_error = excluded.last_error,
            indicator_count = excluded.indicator_count, fetch_state = excluded.fetch_state,
            half_life = excluded.half_life
        """);

    // An attempt that changed nothing leaves the feed's last update and its count as they were.
    private readonly Statement _attempt = new(writer, $"""
        INSERT INTO feeds ({StatusColumns})
        VALUES (@name, @kind, @location, @updated_at, @attempted_at, @last_error, @indicator_count, @fetch_state, @half_life)
        ON CONFLICT (name) DO UPDATE SET
            kind = excluded.kind, location = excluded.location, attempted_at = excluded.attempted_at,
            last_error = excluded.last_error, fetch_state = excluded.fetch_state, half_life = excluded.half_life
        """);

    private readonly Statement _count = new(writer, "SELECT count(*) FROM feed_indicators WHERE feed = @feed");

    public void Replace(FeedStatus status, IReadOnlyCollection<FeedIndicator> indicators, CancellationToken cancellationToken)
    {
        // The feed row first: feed_indicators references it.
        Save(_status, status);
        _clear.Set("@feed", status.Name);
        _clear.Execute();
        _insert.Set("@feed", status.Name);
        foreach (var indicator in indicators)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _insert.Set("@type", ObservableTypes.ToName(indicator.Value.Type));
            _insert.Set("@value", indicator.Value.Value);
            _insert.Set("@score", (long?)indicator.Score);
            _insert.Set("@first_seen", Seconds(indicator.FirstSeen));
            _insert.Set("@last_seen", Seconds(indicator.LastSeen));
            _insert.Set("@valid_until", Seconds(indicator.ValidUntil));
            _insert.Set("@subdomains", indicator.MatchSubdomains ? 1 : 0);
            if (indicator.Tags.Count == 0)
            {
                _insert.Set("@tags", (string?)null);
            }
            else
            {
                _insert.Set("@tags", docs.Strings(indicator.Tags).Span);
            }
            _insert.Execute();
        }
        // Duplicates within the feed merged into one row: the status counts rows, as `intel stats` will.
        _count.Set("@feed", status.Name);
        Save(_status, status with { Indicators = (int)_count.ExecuteInt64() });
    }

    public void SaveAttempt(FeedStatus status) => Save(_attempt, status);

    private static void Save(Statement statement, FeedStatus status)
    {
        statement.Set("@name", status.Name);
        statement.Set("@kind", status.Kind.ToString().ToLowerInvariant());
        statement.Set("@location", status.Location);
        statement.Set("@updated_at", Seconds(status.UpdatedAt));
        statement.Set("@attempted_at", Seconds(status.AttemptedAt));
        statement.Set("@last_error", status.LastError);
        statement.Set("@indicator_count", status.Indicators);
        statement.Set("@fetch_state", status.FetchState);
        statement.Set("@half_life", (long?)status.HalfLife?.TotalSeconds);
        statement.Execute();
    }

    public static async Task<IReadOnlyList<FeedStatus>> ListAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {StatusColumns} FROM feeds ORDER BY name";
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var feeds = new List<FeedStatus>();
        while (await reader.ReadAsync(cancellationToken))
        {
            feeds.Add(new FeedStatus(reader.GetString(0), Enum.Parse<FeedKind>(reader.GetString(1), ignoreCase: true), reader.GetString(2))
            {
                UpdatedAt = Time(reader, 3),
                AttemptedAt = Time(reader, 4),
                LastError = reader.IsDBNull(5) ? null : reader.GetString(5),
                Indicators = reader.GetInt32(6),
                FetchState = reader.IsDBNull(7) ? null : reader.GetString(7),
                HalfLife = reader.IsDBNull(8) ? null : TimeSpan.FromSeconds(reader.GetInt64(8)),
            });
        }
        return feeds;
    }

    public static async Task<IReadOnlyList<FeedIndicator>> ReadAsync(SqliteConnection connection, string feed, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT type, value, score, first_seen, last_seen, valid_until, subdomains, tags
            FROM feed_indicators WHERE feed = @feed
            """;
        command.Parameters.AddWithValue("@feed", feed);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var indicators = new List<FeedIndicator>();
        var types = new Dictionary<string, ObservableType>(StringComparer.Ordinal);
        // SQLite reads are synchronous underneath: ReadAsync per row would only add a task per row to a million.
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var typeName = reader.GetString(0);
            if (!types.TryGetValue(typeName, out var type))
            {
                type = ObservableTypes.TryParse(typeName, out var parsed)
                    ? parsed
                    : throw new InvalidDataException($"feed_indicators holds an unknown type '{typeName}'");
                types[typeName] = type;
            }
            // Values were canonical when written; parsing each again would double the cost of a reload.
            indicators.Add(new FeedIndicator(new Observable(type, reader.GetString(1)))
            {
                Score = reader.IsDBNull(2) ? null : reader.GetInt32(2),
                FirstSeen = Time(reader, 3),
                LastSeen = Time(reader, 4),
                ValidUntil = Time(reader, 5),
                MatchSubdomains = reader.GetInt64(6) != 0,
                Tags = reader.IsDBNull(7) ? [] : ReadStrings(reader.GetString(7)),
            });
        }
        return indicators;
    }

    private static long? Seconds(DateTimeOffset? time) => time?.ToUnixTimeSeconds();

    private static DateTimeOffset? Time(SqliteDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(column));

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
        _clear.Dispose();
        _insert.Dispose();
        _status.Dispose();
        _attempt.Dispose();
        _count.Dispose();
    }
}
