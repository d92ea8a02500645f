using Vedette.Domain;
using Vedette.Pipeline;
using YamlDotNet.RepresentationModel;

namespace Vedette.Enrich;

public enum Criticality
{
    Low = 0,
    Medium = 1,
    High = 2,
    Critical = 3,
}

/// <summary>
/// What the organisation knows about one host or user. Tags are free text; two kinds are understood: <c>role:NAME</c>
/// (<c>role:admin</c> marks a privileged identity, <c>role:scanner</c> a vulnerability scanner whose probing is
/// expected) and <c>ip:ADDRESS</c> (the host's addresses, so that alerts that name only an address find the host).
/// </summary>
public sealed record Asset(Observable Entity, Criticality Criticality, string? Owner, IReadOnlyList<string> Tags)
{
    public bool HasRole(string role)
    {
        foreach (var tag in Tags)
        {
            if (tag.StartsWith("role:", StringComparison.OrdinalIgnoreCase) && tag.AsSpan(5).Equals(role, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>An identity with administrative rights: <c>role:admin</c> or <c>role:privileged</c>.</summary>
    public bool IsPrivileged => HasRole("admin") || HasRole("privileged");

    public bool IsScanner => HasRole("scanner");
}

/// <summary>
/// Hosts and users with their criticality, owner and tags, from CSV (<c>type,value,criticality,owner,tags</c>, tags
/// separated by ';') or YAML (a list of maps with the same keys, tags as a list). A host's <c>ip:</c> tags make it
/// findable by address.
/// </summary>
public sealed class AssetInventory
{
    private readonly Dictionary<Observable, Asset> _assets;

    public AssetInventory(IEnumerable<Asset> assets)
    {
        _assets = [];
        var count = 0;
        foreach (var asset in assets)
        {
            count++;
            _assets[asset.Entity] = asset;
            foreach (var tag in asset.Tags)
            {
                if (tag.StartsWith("ip:", StringComparison.OrdinalIgnoreCase) && ObservableTypes.TryParseValue("ip", tag[3..], out var address))
                {
                    _assets.TryAdd(address, asset);
                }
            }
        }
        Count = count;
    }

    public static AssetInventory Empty { get; } = new([]);

    public int Count { get; }

    /// <summary>The asset of a host, a user, or an address one of the hosts is tagged with.</summary>
    public bool TryFind(Observable entity, out Asset asset) => _assets.TryGetValue(entity, out asset!);

    /// <summary>Reads a .yml/.yaml inventory as YAML and anything else as CSV; bad entries are reported with their line.</summary>
    public static AssetInventory Load(string path, ErrorReport errors)
    {
        using var reader = File.OpenText(path);
        var origin = Path.GetFileName(path);
        return path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
            ? ReadYaml(reader, origin, errors)
            : ReadCsv(reader, origin, errors);
    }

    public static AssetInventory ReadCsv(TextReader reader, string origin, ErrorReport errors)
    {
        var assets = new List<Asset>();
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || line.StartsWith('#') || (lineNumber == 1 && line.StartsWith("type,", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }
            var cells = line.Split(',');
            if (cells.Length < 3)
            {
                errors.Report(new RecordError(new RecordRef(origin, lineNumber), "inventory", "expected type,value,criticality[,owner,tags]"));
                continue;
            }
            var tags = cells.Length > 4 ? cells[4].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
            if (Parse(cells[0], cells[1], cells[2], cells.Length > 3 ? cells[3] : null, tags, out var asset, out var error))
            {
                assets.Add(asset);
            }
            else
            {
                errors.Report(new RecordError(new RecordRef(origin, lineNumber), "inventory", error));
            }
        }
        return new AssetInventory(assets);
    }

    /// <summary>
    /// <code>
    /// - type: host
    ///   value: dc01.corp.example
    ///   criticality: critical
    ///   owner: it-ops
    ///   tags: [role:domain-controller, ip:10.0.0.10]
    /// </code>
    /// </summary>
    public static AssetInventory ReadYaml(TextReader reader, string origin, ErrorReport errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            errors.Report(new RecordError(new RecordRef(origin, ex.Start.Line), "inventory", $"not valid YAML: {ex.Message}"));
            return Empty;
        }
        var assets = new List<Asset>();
        if (stream.Documents.Count == 0)
        {
            return Empty;
        }
        if (stream.Documents[0].RootNode is not YamlSequenceNode entries)
        {
            errors.Report(new RecordError(new RecordRef(origin, stream.Documents[0].RootNode.Start.Line), "inventory", "expected a list of hosts and users"));
            return Empty;
        }
        foreach (var node in entries)
        {
            var line = node.Start.Line;
            if (node is not YamlMappingNode map)
            {
                errors.Report(new RecordError(new RecordRef(origin, line), "inventory", "expected a map with type, value, criticality"));
                continue;
            }
            string? Scalar(string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;
            var tags = map.Children.TryGetValue(new YamlScalarNode("tags"), out var tagNode) && tagNode is YamlSequenceNode list
                ? list.OfType<YamlScalarNode>().Select(t => t.Value ?? "").Where(t => t.Length > 0).ToArray()
                : [];
            if (Parse(Scalar("type") ?? "", Scalar("value") ?? "", Scalar("criticality") ?? "", Scalar("owner"), tags, out var asset, out var error))
            {
                assets.Add(asset);
            }
            else
            {
                errors.Report(new RecordError(new RecordRef(origin, line), "inventory", error));
            }
        }
        return new AssetInventory(assets);
    }

    private static bool Parse(string typeText, string value, string criticalityText, string? owner, string[] tags, out Asset asset, out string error)
    {
        asset = null!;
        error = "";
        var type = typeText.Trim();
        if (!(type.Equals("host", StringComparison.OrdinalIgnoreCase) || type.Equals("user", StringComparison.OrdinalIgnoreCase))
            || !ObservableTypes.TryParseValue(type, value, out var entity))
        {
            error = $"'{typeText}' '{value}' is not a host or user";
            return false;
        }
        if (!Enum.TryParse<Criticality>(criticalityText.Trim(), ignoreCase: true, out var criticality) || !Enum.IsDefined(criticality))
        {
            error = $"unknown criticality '{criticalityText.Trim()}': expected low, medium, high or critical";
            return false;
        }
        owner = owner?.Trim();
        asset = new Asset(entity, criticality, string.IsNullOrEmpty(owner) ? null : owner, tags);
        return true;
    }
}
