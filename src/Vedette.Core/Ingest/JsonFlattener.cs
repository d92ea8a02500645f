using System.Text;
using System.Text.Json;
using Vedette.Domain;

namespace Vedette.Ingest;

/// <summary>
/// Reads one JSON object from UTF-8 bytes into flat fields: nested objects become dotted paths
/// (Event.EventData.Image), arrays stay whole and decode to lists. Values are not decoded here (see
/// <see cref="FieldTable"/>); names are, once: a stream of one log shape repeats its names in the same order, so
/// each position remembers the last name it saw and most names cost a byte comparison.
/// </summary>
public sealed class JsonFlattener
{
    public const int MaxDepth = 64;
    private const int MaxInternedNames = 16_384;
    private const int MaxFields = 4_096;

    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _nameLookup;
    private readonly List<(string? Parent, byte[] Leaf, string Name)> _lastAt = [];
    private readonly StringBuilder _path = new();
    private FieldTable.Slot[] _slots = new FieldTable.Slot[64];
    private int _count;
    private int _property;
    private bool _uninternedSeen;

    public JsonFlattener() => _nameLookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Reads a JSON object into a field table; throws <see cref="FormatException"/> with a position for anything else.</summary>
    public FieldTable Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth + 1, CommentHandling = JsonCommentHandling.Disallow });
        _count = 0;
        _property = 0;
        _uninternedSeen = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("expected a JSON object");
            }
            ReadObject(ref reader, null, 0);
            if (reader.Read())
            {
                throw new FormatException($"unexpected data after the JSON object at byte {reader.TokenStartIndex}");
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException($"malformed JSON at byte {ex.BytePositionInLine}: {FirstSentence(ex.Message)}", ex);
        }
        return new FieldTable(json.ToArray(), _slots[.._count], _count, namesInterned: !_uninternedSeen);
    }

    /// <summary>Reads and decodes every field at once (tests and tools that want a dictionary).</summary>
    public Dictionary<string, FieldValue> Flatten(ReadOnlySpan<byte> json)
    {
        var table = Read(json);
        var fields = new Dictionary<string, FieldValue>(table.Count, StringComparer.Ordinal);
        for (var i = 0; i < table.Count; i++)
        {
            fields[table.NameAt(i)] = table.ValueAt(i);
        }
        return fields;
    }

    private void ReadObject(ref Utf8JsonReader reader, string? parent, int depth)
    {
        if (depth >= MaxDepth)
        {
            throw new FormatException($"JSON nested deeper than {MaxDepth} levels");
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = PropertyName(ref reader, parent);
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    ReadObject(ref reader, name, depth + 1);
                    break;
                case JsonTokenType.StartArray:
                    if (depth + 1 >= MaxDepth)
                    {
                        throw new FormatException($"JSON nested deeper than {MaxDepth} levels");
                    }
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    Add(new FieldTable.Slot(name, JsonTokenType.StartArray, start, (int)reader.BytesConsumed - start, false));
                    break;
                case JsonTokenType.String:
                    var quoted = (int)reader.TokenStartIndex;
                    Add(new FieldTable.Slot(name, JsonTokenType.String, quoted, (int)reader.BytesConsumed - quoted, reader.ValueIsEscaped));
                    break;
                case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                    Add(new FieldTable.Slot(name, reader.TokenType, (int)reader.TokenStartIndex, reader.ValueSpan.Length, false));
                    break;
                default:
                    throw new FormatException($"unexpected {reader.TokenType} at byte {reader.TokenStartIndex}");
            }
        }
    }

    private void Add(FieldTable.Slot slot)
    {
        if (_count >= MaxFields)
        {
            throw new FormatException($"more than {MaxFields} fields in one record");
        }
        if (_count == _slots.Length)
        {
            Array.Resize(ref _slots, _slots.Length * 2);
        }
        _slots[_count++] = slot;
    }

    private string PropertyName(ref Utf8JsonReader reader, string? parent)
    {
        // The same position in the same shape of record almost always holds the same name.
        var index = _property++;
        if (!reader.ValueIsEscaped && !reader.HasValueSequence && index < _lastAt.Count)
        {
            var (lastParent, leaf, lastName) = _lastAt[index];
            if (ReferenceEquals(lastParent, parent) && reader.ValueSpan.SequenceEqual(leaf))
            {
                return lastName;
            }
        }
        var leafName = LeafName(ref reader);
        var name = parent is null ? leafName : Intern(_path.Clear().Append(parent).Append('.').Append(leafName).ToString());
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            var entry = (parent, reader.ValueSpan.ToArray(), name);
            if (index < _lastAt.Count)
            {
                _lastAt[index] = entry;
            }
            else if (_lastAt.Count < MaxFields)
            {
                _lastAt.Add(entry);
            }
        }
        return name;
    }

    private string LeafName(ref Utf8JsonReader reader)
    {
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        if (length > 256 || reader.ValueIsEscaped)
        {
            return Intern(reader.GetString()!);
        }
        Span<char> chars = stackalloc char[length];
        var written = reader.CopyString(chars);
        chars = chars[..written];
        return _nameLookup.TryGetValue(chars, out var name) ? name : Intern(new string(chars));
    }

    private string Intern(string name)
    {
        if (_names.TryGetValue(name, out var interned))
        {
            return interned;
        }
        // Hostile input with endless distinct names must not grow the table (or the runtime's pool) without bound.
        if (_names.Count >= MaxInternedNames)
        {
            _uninternedSeen = true;
            return name;
        }
        // The runtime's pool, where rules' field names are too: a field lookup then compares references only.
        var canonical = string.Intern(name);
        _names[canonical] = canonical;
        return canonical;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
