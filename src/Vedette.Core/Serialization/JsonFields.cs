using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Vedette.Serialization;

/// <summary>Typed access to the fields of a JSON object; every failure names the field, so a bad document says where.</summary>
internal static class JsonFields
{
    private static readonly JsonElement EmptyArray = CreateEmptyArray();

    public static JsonException Invalid(ReadOnlySpan<byte> name, string value) =>
        new($"field '{Encoding.UTF8.GetString(name)}': '{value}' is not a valid value");

    public static JsonElement Required(JsonElement json, ReadOnlySpan<byte> name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new JsonException($"missing field '{Encoding.UTF8.GetString(name)}'");

    public static string String(JsonElement json, ReadOnlySpan<byte> name)
    {
        var value = Required(json, name);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw WrongKind(name, value, "a string");
    }

    public static string? OptionalString(JsonElement json, ReadOnlySpan<byte> name) =>
        IsAbsent(json, name, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw WrongKind(name, value, "a string");

    public static bool Boolean(JsonElement json, ReadOnlySpan<byte> name) => Required(json, name).ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw WrongKind(name, json.GetProperty(name), "true or false"),
    };

    public static int Int32(JsonElement json, ReadOnlySpan<byte> name)
    {
        var value = Required(json, name);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : throw WrongKind(name, value, "an integer");
    }

    public static Guid Guid(JsonElement json, ReadOnlySpan<byte> name)
    {
        var value = Required(json, name);
        return value.ValueKind == JsonValueKind.String && value.TryGetGuid(out var guid) ? guid : throw WrongKind(name, value, "a UUID");
    }

    public static Guid? OptionalGuid(JsonElement json, ReadOnlySpan<byte> name) => IsAbsent(json, name, out _) ? null : Guid(json, name);

    public static DateTimeOffset Time(JsonElement json, ReadOnlySpan<byte> name)
    {
        var value = Required(json, name);
        return value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var time)
            ? time
            : throw WrongKind(name, value, "an ISO-8601 timestamp");
    }

    /// <summary>Round-trip format ("O"): 100 ns precision and the source's offset survive a write and a read.</summary>
    public static void WriteTime(Utf8JsonWriter writer, ReadOnlySpan<byte> name, DateTimeOffset time)
    {
        Span<byte> text = stackalloc byte[40];
        time.TryFormat(text, out var length, "O", CultureInfo.InvariantCulture);
        writer.WriteString(name, text[..length]);
    }

    /// <summary>The items of an array field; a missing or null array is empty, so older or hand-written documents still read.</summary>
    public static JsonElement.ArrayEnumerator Array(JsonElement json, ReadOnlySpan<byte> name)
    {
        if (IsAbsent(json, name, out var value))
        {
            return EmptyArray.EnumerateArray();
        }
        return value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw WrongKind(name, value, "an array");
    }

    public static bool IsAbsent(JsonElement json, ReadOnlySpan<byte> name, out JsonElement value) =>
        !json.TryGetProperty(name, out value) || value.ValueKind == JsonValueKind.Null;

    private static JsonException WrongKind(ReadOnlySpan<byte> name, JsonElement value, string expected)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
        if (text!.Length > 80)
        {
            text = string.Concat(text.AsSpan(0, 77), "...");
        }
        return new JsonException($"field '{Encoding.UTF8.GetString(name)}': expected {expected}, found '{text}'");
    }

    private static JsonElement CreateEmptyArray()
    {
        using var document = JsonDocument.Parse("[]");
        return document.RootElement.Clone();
    }
}
