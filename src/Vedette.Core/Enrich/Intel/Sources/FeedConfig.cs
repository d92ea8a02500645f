using Cronos;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vedette.Enrich.Intel.Sources;

/// <summary>
/// The feeds file: a YAML list of <see cref="FeedDefinition"/> under <c>feeds:</c>. The whole file is checked and
/// every mistake reported with file, line and feed; a file with any mistake is refused whole, so that a typo never
/// silently drops or half-configures a feed.
/// </summary>
public static class FeedConfig
{
    /// <summary>A feeds file is a few hundred lines; anything far bigger is a mistake or an attack.</summary>
    public const int MaxFileChars = 1 << 20;

    private static readonly HashSet<string> FeedKeys =
    [
        "name", "kind", "location", "schedule", "score", "ttl", "half-life", "subdomains", "csv", "collection",
        "headers", "max-bytes", "timeout", "retries", "enabled",
    ];

    private static readonly HashSet<string> CsvKeys =
    [
        "value", "type", "type-column", "score", "first-seen", "last-seen", "tags", "header", "delimiter", "comment",
    ];

    /// <summary>Reads a feeds file; relative feed paths are taken from the file's folder.</summary>
    public static IReadOnlyList<FeedDefinition> Load(string yamlPath)
    {
        using var reader = new StreamReader(yamlPath);
        return Parse(reader, yamlPath, Path.GetDirectoryName(Path.GetFullPath(yamlPath)));
    }

    /// <summary>Reads feeds from YAML text; <paramref name="origin"/> names it in errors. Relative paths stay as written.</summary>
    public static IReadOnlyList<FeedDefinition> Parse(TextReader reader, string origin) => Parse(reader, origin, null);

    private static List<FeedDefinition> Parse(TextReader reader, string origin, string? folder)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var errors = new List<FeedConfigError>();
        var buffer = new char[MaxFileChars + 1];
        var length = reader.ReadBlock(buffer);
        if (length > MaxFileChars)
        {
            throw new FeedConfigException([new FeedConfigError(origin, 0, null, $"the file is longer than {MaxFileChars:N0} characters")]);
        }
        YamlStream stream;
        try
        {
            stream = FeedYaml.Load(new string(buffer, 0, length));
        }
        catch (YamlException ex)
        {
            throw new FeedConfigException([new FeedConfigError(origin, (int)ex.Start.Line, null, (ex.InnerException ?? ex).Message)]);
        }
        var feeds = new List<FeedDefinition>();
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add(new FeedConfigError(origin, 1, null, "the file must be one YAML document with a 'feeds' list"));
            throw new FeedConfigException(errors);
        }
        var top = new FeedYaml(root, origin, errors);
        top.RefuseUnknownKeys(new HashSet<string> { "feeds" }, "the feeds file");
        switch (top.Child("feeds"))
        {
            case null:
                top.Error(root, "the file has no 'feeds' list");
                break;
            case YamlSequenceNode list:
                ReadFeeds(list, origin, folder, errors, feeds);
                break;
            case var other:
                top.Error(other, "'feeds' must be a list");
                break;
        }
        return errors.Count == 0 ? feeds : throw new FeedConfigException(errors);
    }

    private static void ReadFeeds(YamlSequenceNode list, string origin, string? folder, List<FeedConfigError> errors, List<FeedDefinition> feeds)
    {
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in list)
        {
            if (item is not YamlMappingNode map)
            {
                errors.Add(new FeedConfigError(origin, FeedYaml.LineOf(item), null, "each feed must be a map of keys and values"));
                continue;
            }
            var yaml = new FeedYaml(map, origin, errors);
            var before = yaml.ErrorCount;
            var name = yaml.Text("name");
            yaml.Feed = name;
            if (name is not null && names.TryGetValue(name, out var firstLine))
            {
                yaml.Error(yaml.Child("name")!, $"the name is already used by the feed at line {firstLine}");
            }
            else if (name is not null)
            {
                names[name] = FeedYaml.LineOf(map);
            }
            var feed = ReadFeed(yaml, folder);
            if (feed is not null && yaml.ErrorCount == before)
            {
                feeds.Add(feed);
            }
        }
    }

    private static FeedDefinition? ReadFeed(FeedYaml yaml, string? folder)
    {
        yaml.RefuseUnknownKeys(FeedKeys, "a feed");
        var name = yaml.Feed;
        if (name is null)
        {
            yaml.Error(yaml.Node, "the feed has no 'name'");
        }
        else if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            // Names become keys in the store and in metrics: keep them plain.
            yaml.Error(yaml.Child("name")!, "'name' may hold only letters, digits, '-', '_' and '.'");
        }
        var kind = Kind(yaml);
        var location = Location(yaml, kind, folder);
        var schedule = Schedule(yaml);
        var csv = Csv(yaml, kind);
        var collection = yaml.Text("collection");
        if (collection is not null && kind is not null and not FeedKind.Taxii)
        {
            yaml.Error(yaml.Child("collection")!, "'collection' is only for kind taxii");
        }
        var defaults = new FeedDefinition { Name = "", Kind = FeedKind.List, Location = "" };
        var score = yaml.Int("score", 0, 100);
        var ttl = yaml.Duration("ttl");
        var halfLife = yaml.Duration("half-life");
        var subdomains = yaml.Bool("subdomains");
        var headers = Headers(yaml);
        var maxBytes = yaml.Size("max-bytes");
        var timeout = yaml.Duration("timeout");
        var retries = yaml.Int("retries", 0, 10);
        var enabled = yaml.Bool("enabled");
        if (name is null || kind is null || location is null)
        {
            return null;
        }
        return new FeedDefinition
        {
            Name = name,
            Kind = kind.Value,
            Location = location,
            Schedule = schedule,
            Enabled = enabled ?? defaults.Enabled,
            DefaultScore = score ?? defaults.DefaultScore,
            Ttl = ttl,
            HalfLife = halfLife,
            MatchSubdomains = subdomains ?? defaults.MatchSubdomains,
            Csv = csv,
            Collection = collection,
            Headers = headers,
            MaxBytes = maxBytes ?? defaults.MaxBytes,
            Timeout = timeout ?? defaults.Timeout,
            Retries = retries ?? defaults.Retries,
        };
    }

    private static FeedKind? Kind(FeedYaml yaml)
    {
        var text = yaml.Text("kind");
        if (text is null)
        {
            yaml.Error(yaml.Node, "the feed has no 'kind'");
            return null;
        }
        // Enum.TryParse also takes numbers and lists ("1", "csv,list"): only a kind's own name is a kind.
        if (text.All(char.IsAsciiLetter) && Enum.TryParse<FeedKind>(text, ignoreCase: true, out var kind))
        {
            return kind;
        }
        var known = string.Join(", ", Enum.GetNames<FeedKind>().Select(n => n.ToLowerInvariant()));
        yaml.Error(yaml.Child("kind")!, $"unknown kind '{text}' (known: {known})");
        return null;
    }

    private static string? Location(FeedYaml yaml, FeedKind? kind, string? folder)
    {
        var text = yaml.Text("location");
        if (text is null)
        {
            yaml.Error(yaml.Node, "the feed has no 'location'");
            return null;
        }
        var node = yaml.Child("location")!;
        if (text.Contains("://", StringComparison.Ordinal))
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
            {
                return text;
            }
            yaml.Error(node, "'location' must be a file path or an http(s) URL");
            return null;
        }
        if (kind == FeedKind.Taxii)
        {
            yaml.Error(node, "a taxii feed's 'location' must be an http(s) URL");
            return null;
        }
        return folder is null ? text : Path.GetFullPath(Path.Combine(folder, text));
    }

    private static string? Schedule(FeedYaml yaml)
    {
        var text = yaml.Text("schedule");
        if (text is null)
        {
            return null;
        }
        try
        {
            CronExpression.Parse(text);
            return text;
        }
        catch (CronFormatException ex)
        {
            yaml.Error(yaml.Child("schedule")!, $"'schedule' is not a five-field cron expression: {ex.Message}");
            return null;
        }
    }

    private static Dictionary<string, string> Headers(FeedYaml yaml)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (yaml.Map("headers") is not { } map)
        {
            return headers;
        }
        foreach (var (key, value) in map.Node.Children)
        {
            if (key is YamlScalarNode { Value: { Length: > 0 } name } && value is YamlScalarNode { Value: { } text })
            {
                headers[name] = text;
            }
            else
            {
                map.Error(key, "each header must be a name and a single value");
            }
        }
        return headers;
    }

    private static CsvColumns? Csv(FeedYaml yaml, FeedKind? kind)
    {
        var map = yaml.Map("csv");
        if (map is null)
        {
            if (kind == FeedKind.Csv)
            {
                yaml.Error(yaml.Node, "a csv feed needs a 'csv' column mapping (at least its 'value' column)");
            }
            return null;
        }
        if (kind is not null and not FeedKind.Csv)
        {
            yaml.Error(yaml.Child("csv")!, "'csv' is only for kind csv");
        }
        map.RefuseUnknownKeys(CsvKeys, "the csv mapping");
        var value = map.Text("value");
        if (value is null)
        {
            map.Error(map.Node, "the csv mapping has no 'value' column");
            return null;
        }
        var defaults = new CsvColumns { Value = value };
        return defaults with
        {
            Type = map.Text("type") ?? defaults.Type,
            TypeColumn = map.Text("type-column"),
            Score = map.Text("score"),
            FirstSeen = map.Text("first-seen"),
            LastSeen = map.Text("last-seen"),
            Tags = map.List("tags") ?? defaults.Tags,
            HasHeader = map.Bool("header") ?? defaults.HasHeader,
            Delimiter = Delimiter(map) ?? defaults.Delimiter,
            CommentPrefix = map.Text("comment") ?? defaults.CommentPrefix,
        };
    }

    private static char? Delimiter(FeedYaml map)
    {
        var text = map.Text("delimiter");
        switch (text)
        {
            case null:
                return null;
            case "tab" or "\\t":
                return '\t';
            case { Length: 1 }:
                return text[0];
            default:
                map.Error(map.Child("delimiter")!, $"'delimiter' must be one character or 'tab', not '{text}'");
                return null;
        }
    }
}
