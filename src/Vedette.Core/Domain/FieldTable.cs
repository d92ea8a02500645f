using System.Text;
using System.Text.Json;

namespace Vedette.Domain;

/// <summary>
/// The fields of one event as read from JSON: names and where each value sits in a private copy of the record's
/// bytes. A value is decoded to a string only when something asks for it, so a rule set that reads five of an
/// event's forty fields pays for five strings, not forty.
/// </summary>
public sealed class FieldTable
{
    private readonly byte[] _json;
    private readonly Slot[] _slots;
    private readonly int _count;
    private FieldValue?[]? _decoded;
    private List<(string Name, FieldValue Value)>? _derived;

    private readonly bool _namesInterned;

    internal FieldTable(byte[] json, Slot[] slots, int count, bool namesInterned)
    {
        _json = json;
        _slots = slots;
        _count = count;
        _namesInterned = namesInterned;
    }

    public int Count => _count + (_derived?.Count ?? 0);

    /// <summary>The record as it arrived (what a keyword prefilter can scan without decoding every value).</summary>
    internal ReadOnlySpan<byte> Json => _json;

    public string NameAt(int index) => index < _count ? _slots[index].Name : _derived![index - _count].Name;

    public FieldValue ValueAt(int index)
    {
        if (index >= _count)
        {
            return _derived![index - _count].Value;
        }
        _decoded ??= new FieldValue?[_count];
        return _decoded[index] ??= Decode(in _slots[index]);
    }

    /// <summary>Adds a field the record did not carry but ingest worked out (sshd's user and address); replaces one of the same name.</summary>
    public void AddDerived(string name, FieldValue value)
    {
        _derived ??= [];
        var existing = _derived.FindIndex(d => d.Name == name);
        if (existing >= 0)
        {
            _derived[existing] = (name, value);
        }
        else
        {
            _derived.Add((string.IsInterned(name) ?? name, value));
        }
    }

    /// <summary>
    /// Finds a field by name. Field names are interned where rules name them, so a reference comparison finds them
    /// first; an ordinal comparison catches names built at run time.
    /// </summary>
    public bool TryGet(string name, out FieldValue value) => TryGet(name, interned: false, out value);

    /// <summary>
    /// Finds a field by a name the caller guarantees is the runtime's interned instance (compiled rules' field
    /// names): when every name of this record is interned too, a reference comparison alone decides.
    /// </summary>
    internal bool TryGet(string name, bool interned, out FieldValue value)
    {
        var slots = _slots;
        for (var i = 0; i < _count; i++)
        {
            if (ReferenceEquals(slots[i].Name, name))
            {
                value = ValueAt(i);
                return true;
            }
        }
        // Every name here is the runtime's interned instance: an interned name that did not match by reference is absent.
        if (!(interned && _namesInterned))
        {
            for (var i = 0; i < _count; i++)
            {
                if (string.Equals(slots[i].Name, name, StringComparison.Ordinal))
                {
                    value = ValueAt(i);
                    return true;
                }
            }
        }
        if (_derived is not null)
        {
            foreach (var (derivedName, derivedValue) in _derived)
            {
                if (string.Equals(derivedName, name, StringComparison.Ordinal))
                {
                    value = derivedValue;
                    return true;
                }
            }
        }
        value = default;
        return false;
    }

    public bool Contains(string name) => TryGet(name, out _);

    private FieldValue Decode(in Slot slot)
    {
        var token = _json.AsSpan(slot.Start, slot.Length);
        switch (slot.Type)
        {
            case JsonTokenType.String:
                return FieldValue.String(slot.Escaped ? Unescape(token) : Encoding.UTF8.GetString(token[1..^1]));
            case JsonTokenType.Number:
                return FieldValue.Number(Encoding.UTF8.GetString(token));
            case JsonTokenType.True:
                return FieldValue.Boolean(true);
            case JsonTokenType.False:
                return FieldValue.Boolean(false);
            case JsonTokenType.StartArray:
                return DecodeArray(token);
            default:
                return FieldValue.Null;
        }
    }

    private static string Unescape(ReadOnlySpan<byte> quoted)
    {
        var reader = new Utf8JsonReader(quoted);
        reader.Read();
        return reader.GetString()!;
    }

    private static FieldValue DecodeArray(ReadOnlySpan<byte> array)
    {
        var reader = new Utf8JsonReader(array);
        reader.Read();
        var items = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    // Structured items carry no Sigma-addressable field; their JSON text keeps them searchable.
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    items.Add(Encoding.UTF8.GetString(array[start..(int)reader.BytesConsumed]));
                    break;
                case JsonTokenType.Null:
                    break;
                case JsonTokenType.String:
                    items.Add(reader.GetString()!);
                    break;
                default:
                    items.Add(Encoding.UTF8.GetString(reader.ValueSpan));
                    break;
            }
        }
        return FieldValue.List([.. items]);
    }

    /// <summary>Where one value sits: its full token (with quotes for strings) in the record's bytes.</summary>
    internal readonly record struct Slot(string Name, JsonTokenType Type, int Start, int Length, bool Escaped);
}
