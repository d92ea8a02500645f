using YamlDotNet.RepresentationModel;

namespace Vedette.Detection.Rules;

/// <summary>A rule or mapping file that is not what it should be, at a line.</summary>
public sealed class RuleFormatException(int line, string message) : FormatException(message)
{
    public int Line { get; } = line;
}

/// <summary>Small readers over YamlDotNet's node model that keep line numbers for every complaint.</summary>
internal static class Yaml
{
    public static int LineOf(YamlNode node) => (int)node.Start.Line;

    public static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    public static string? Scalar(YamlMappingNode map, string key)
    {
        var node = Child(map, key);
        return node switch
        {
            null => null,
            YamlScalarNode scalar => IsNull(scalar) ? null : scalar.Value,
            _ => throw new RuleFormatException(LineOf(node), $"'{key}' must be a single value"),
        };
    }

    public static IReadOnlyList<string> Strings(YamlMappingNode map, string key)
    {
        var node = Child(map, key);
        return node switch
        {
            null => [],
            YamlScalarNode scalar => IsNull(scalar) ? [] : [scalar.Value!],
            YamlSequenceNode sequence => [.. sequence.Children.Select(item => item is YamlScalarNode s && !IsNull(s)
                ? s.Value!
                : throw new RuleFormatException(LineOf(item), $"'{key}' must be a list of values"))],
            _ => throw new RuleFormatException(LineOf(node), $"'{key}' must be a value or a list of values"),
        };
    }

    public static YamlMappingNode? Map(YamlMappingNode map, string key)
    {
        var node = Child(map, key);
        return node switch
        {
            null => null,
            YamlMappingNode child => child,
            _ => throw new RuleFormatException(LineOf(node), $"'{key}' must be a map"),
        };
    }

    /// <summary>YAML's spellings of "no value": ~, null, or nothing at all (only when unquoted).</summary>
    public static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style is YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any
        && (scalar.Value is null or "" or "~" || string.Equals(scalar.Value, "null", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Sigma rules never need anchors or aliases, and aliases are how a small file expands into an enormous tree
    /// (the "billion laughs"): a rule that uses them is refused before its tree is built.
    /// </summary>
    public static void RefuseAliases(string text)
    {
        var parser = new YamlDotNet.Core.Parser(new StringReader(text));
        while (parser.MoveNext())
        {
            if (parser.Current is YamlDotNet.Core.Events.AnchorAlias alias)
            {
                throw new RuleFormatException((int)alias.Start.Line, "YAML aliases are not allowed in rules");
            }
            if (parser.Current is YamlDotNet.Core.Events.NodeEvent { Anchor.IsEmpty: false } anchored)
            {
                throw new RuleFormatException((int)anchored.Start.Line, "YAML anchors are not allowed in rules");
            }
        }
    }

    public static IEnumerable<YamlDocument> Documents(TextReader reader)
    {
        var stream = new YamlStream();
        stream.Load(reader);
        return stream.Documents;
    }
}
