using System.Text;
using System.Text.Json;
using Vedette.Domain;

namespace Vedette.Ingest;

/// <summary>
/// Reads one JSON object from UTF-8 bytes into flat fields: nested objects become dotted paths
/// (Event.EventData.Image), arrays of scalars become lists. Field names are interned because the same few hundred
/// names repeat in every event; values are the only per-event strings.
/// </summary>
public sealed class JsonFlattener
{
    public const int MaxDepth = 64;
    private const int MaxInternedNames = 16_384;
    private const int MaxFields = 4_096;

    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _nameLookup;
    private readonly List<string> _items = [];
    private readonly StringBuilder _path = new();

    public JsonFlattener() => _nameLookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Flattens a JSON object; throws <see cref="FormatException"/> with a position for anything else.</summary>
    public Dictionary<string, FieldValue> Flatten(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth + 1, CommentHandling = JsonCommentHandling.Disallow });
        var fields = new Dictionary<string, FieldValue>(24, StringComparer.Ordinal);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("expected a JSON object");
            }
            _path.Clear();
            ReadObject(ref reader, json, fields, 0);
            if (reader.Read())
            {
                throw new FormatException($"unexpected data after the JSON object at byte {reader.TokenStartIndex}");
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException($"malformed JSON at byte {ex.BytePositionInLine}: {FirstSentence(ex.Message)}", ex);
        }
        return fields;
    }

    private void ReadObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Dictionary<string, FieldValue> fields, int depth)
    {
        if (depth >= MaxDepth)
        {
            throw new FormatException($"JSON nested deeper than {MaxDepth} levels");
        }
        var prefixLength = _path.Length;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = PropertyName(ref reader);
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                _path.Append(name).Append('.');
                ReadObject(ref reader, json, fields, depth + 1);
                _path.Length = prefixLength;
                continue;
            }
            var key = prefixLength == 0 ? name : Intern(string.Concat(_path.ToString(), name));
            if (fields.Count >= MaxFields)
            {
                throw new FormatException($"more than {MaxFields} fields in one record");
            }
            fields[key] = reader.TokenType == JsonTokenType.StartArray ? ReadArray(ref reader, json, depth + 1) : Scalar(ref reader);
        }
    }

    private FieldValue ReadArray(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, int depth)
    {
        _items.Clear();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    // Structured array items carry no Sigma-addressable field; keep their JSON text so nothing is lost.
                    if (depth >= MaxDepth)
                    {
                        throw new FormatException($"JSON nested deeper than {MaxDepth} levels");
                    }
                    var start = reader.TokenStartIndex;
                    reader.Skip();
                    _items.Add(Encoding.UTF8.GetString(json[(int)start..(int)reader.BytesConsumed]));
                    break;
                case JsonTokenType.Null:
                    break;
                default:
                    _items.Add(Scalar(ref reader).Text!);
                    break;
            }
        }
        return FieldValue.List([.. _items]);
    }

    private static FieldValue Scalar(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => FieldValue.String(reader.GetString()!),
        JsonTokenType.Number => FieldValue.Number(Encoding.UTF8.GetString(reader.ValueSpan)),
        JsonTokenType.True => FieldValue.Boolean(true),
        JsonTokenType.False => FieldValue.Boolean(false),
        JsonTokenType.Null => FieldValue.Null,
        _ => throw new FormatException($"unexpected {reader.TokenType} at byte {reader.TokenStartIndex}"),
    };

    private string PropertyName(ref Utf8JsonReader reader)
    {
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        if (length > 256 || reader.ValueIsEscaped)
        {
            return Intern(reader.GetString()!);
        }
        Span<char> chars = stackalloc char[length];
        var written = reader.CopyString(chars);
        chars = chars[..written];
        if (_nameLookup.TryGetValue(chars, out var name))
        {
            return name;
        }
        return Intern(new string(chars));
    }

    private string Intern(string name)
    {
        if (_names.TryGetValue(name, out var interned))
        {
            return interned;
        }
        // Hostile input with endless distinct names must not grow the table without bound.
        if (_names.Count < MaxInternedNames)
        {
            _names[name] = name;
        }
        return name;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
