using System.Buffers.Text;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Vedette.Storage.Sqlite;

/// <summary>Keyset paging: a cursor holds the sort key of the last item shown, so a page costs the same at any depth.</summary>
internal static class Paging
{
    public const int MaxLimit = 1000;

    public static int Clamp(int limit) => Math.Clamp(limit, 1, MaxLimit);

    /// <summary>Opaque to clients, so the sort key can change without breaking their contract; tagged with the listing it belongs to.</summary>
    public static string Encode(string listing, params ReadOnlySpan<string> key) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(listing + "\n" + string.Join('\n', key)));

    public static string[] Decode(string cursor, string listing, int keyLength)
    {
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('\n');
        }
        catch (FormatException ex)
        {
            throw NotACursor(cursor, listing, ex);
        }
        if (parts.Length != keyLength + 1 || parts[0] != listing)
        {
            throw NotACursor(cursor, listing);
        }
        return parts[1..];
    }

    /// <summary>
    /// Reads one page of documents. One row more than the limit is fetched to learn whether another page exists
    /// without counting; the cursor is the sort key of the last item shown.
    /// </summary>
    public static async Task<Page<T>> ReadAsync<T>(
        SqliteCommand command, string listing, int limit, Func<string, T> parse, Func<T, string[]> key, CancellationToken cancellationToken)
    {
        command.Parameters.AddWithValue("@limit", limit + 1);
        var items = new List<T>(Math.Min(limit, 64));
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (items.Count == limit)
            {
                return new Page<T>(items, Encode(listing, key(items[^1])));
            }
            items.Add(parse(reader.GetString(0)));
        }
        return new Page<T>(items, null);
    }

    public static ArgumentException NotACursor(string cursor, string listing, Exception? inner = null) =>
        new($"After: '{cursor}' is not a cursor from a listing of {listing}", inner);
}

/// <summary>A WHERE clause built from fixed fragments; every value goes in as a parameter.</summary>
internal sealed class SqlFilter(SqliteCommand command)
{
    private readonly StringBuilder _where = new();

    /// <summary>Adds the condition when the filter has a value; a null value means "not filtered on this".</summary>
    public SqlFilter Where(string condition, string parameter, object? value)
    {
        if (value is not null)
        {
            _where.Append(_where.Length == 0 ? " WHERE " : " AND ").Append(condition);
            command.Parameters.AddWithValue(parameter, value);
        }
        return this;
    }

    /// <summary>Adds a condition that holds for every query of the listing (no parameter).</summary>
    public SqlFilter Where(string condition)
    {
        _where.Append(_where.Length == 0 ? " WHERE " : " AND ").Append(condition);
        return this;
    }

    public override string ToString() => _where.ToString();
}
