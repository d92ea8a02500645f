using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Vedette.Enrich.Intel.Sources;

/// <summary>
/// Reads the values of one YAML map for the feeds file, reporting each bad value at its line (and going on, so that
/// one run shows every mistake) and every key it does not know (a misspelt key would otherwise be silently ignored).
/// </summary>
internal sealed class FeedYaml(YamlMappingNode map, string file, List<FeedConfigError> errors)
{
    public string? Feed { get; set; }

    public YamlMappingNode Node => map;

    public int ErrorCount => errors.Count;

    public static int LineOf(YamlNode node) => (int)node.Start.Line;

    public void Error(YamlNode node, string message) => errors.Add(new FeedConfigError(file, LineOf(node), Feed, message));

    public void RefuseUnknownKeys(IReadOnlySet<string> known, string what)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!known.Contains(name))
            {
                Error(key, $"unknown key '{name}' in {what} (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
            }
        }
    }

    public YamlNode? Child(string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    /// <summary>The key's single value; null when absent or empty (and reported when it is a list or map).</summary>
    public string? Text(string key)
    {
        switch (Child(key))
        {
            case null:
                return null;
            case YamlScalarNode scalar:
                return IsNull(scalar) ? null : scalar.Value;
            case var other:
                Error(other, $"'{key}' must be a single value");
                return null;
        }
    }

    public T? Value<T>(string key, TryParse<T> parse, string expected)
        where T : struct
    {
        var text = Text(key);
        if (text is null)
        {
            return null;
        }
        if (parse(text.Trim(), out var value))
        {
            return value;
        }
        Error(Child(key)!, $"'{key}' must be {expected}, not '{text}'");
        return null;
    }

    public bool? Bool(string key) => Value<bool>(key, bool.TryParse, "true or false");

    public int? Int(string key, int min, int max)
    {
        var value = Value<int>(key, (string text, out int number) => int.TryParse(text, out number), "a whole number");
        return value is { } number && (number < min || number > max) ? Range<int>(key, $"between {min} and {max}") : value;
    }

    public TimeSpan? Duration(string key)
    {
        var value = Value<TimeSpan>(key, Units.TryParseDuration, "a duration such as 30s, 5m, 6h or 7d");
        return value is { Ticks: <= 0 } ? Range<TimeSpan>(key, "longer than zero") : value;
    }

    public long? Size(string key)
    {
        var value = Value<long>(key, Units.TryParseSize, "a size such as 512KB or 50MB");
        return value is <= 0 ? Range<long>(key, "more than zero bytes") : value;
    }

    public FeedYaml? Map(string key)
    {
        switch (Child(key))
        {
            case null:
                return null;
            case YamlMappingNode child:
                return new FeedYaml(child, file, errors) { Feed = Feed };
            case var other:
                Error(other, $"'{key}' must be a map of keys and values");
                return null;
        }
    }

    /// <summary>A list of values; a single value is a list of one.</summary>
    public IReadOnlyList<string>? List(string key)
    {
        switch (Child(key))
        {
            case null:
                return null;
            case YamlScalarNode scalar:
                return IsNull(scalar) ? [] : [scalar.Value!];
            case YamlSequenceNode sequence:
                var values = new List<string>();
                foreach (var item in sequence)
                {
                    if (item is YamlScalarNode { Value: { } value } && !IsNull((YamlScalarNode)item))
                    {
                        values.Add(value);
                    }
                    else
                    {
                        Error(item, $"'{key}' must be a list of values");
                    }
                }
                return values;
            case var other:
                Error(other, $"'{key}' must be a value or a list of values");
                return null;
        }
    }

    /// <summary>The document of a feeds file, refusing anchors and aliases: how a small file becomes an enormous tree.</summary>
    public static YamlStream Load(string text)
    {
        var stream = new YamlStream();
        stream.Load(new NoAliasParser(new Parser(new StringReader(text))));
        return stream;
    }

    public delegate bool TryParse<T>(string text, out T value);

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style is ScalarStyle.Plain or ScalarStyle.Any
        && (scalar.Value is null or "" or "~" || string.Equals(scalar.Value, "null", StringComparison.OrdinalIgnoreCase));

    private T? Range<T>(string key, string expected)
        where T : struct
    {
        Error(Child(key)!, $"'{key}' must be {expected}");
        return null;
    }

    private sealed class NoAliasParser(IParser inner) : IParser
    {
        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            if (!inner.MoveNext())
            {
                return false;
            }
            if (inner.Current is AnchorAlias or NodeEvent { Anchor.IsEmpty: false })
            {
                throw new YamlException(inner.Current.Start, inner.Current.End, "anchors and aliases are not allowed in the feeds file");
            }
            return true;
        }
    }
}
