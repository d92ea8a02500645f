using Vedette.Domain;
using Vedette.Pipeline;

namespace Vedette.Enrich;

public enum Criticality
{
    Low = 0,
    Medium = 1,
    High = 2,
    Critical = 3,
}

/// <summary>What the organisation knows about one host or user.</summary>
public sealed record Asset(Observable Entity, Criticality Criticality, string? Owner, IReadOnlyList<string> Tags);

/// <summary>Hosts and users with their criticality, read from CSV: type,value,criticality,owner,tags (tags separated by ';').</summary>
public sealed class AssetInventory
{
    private readonly Dictionary<Observable, Asset> _assets;

    public AssetInventory(IEnumerable<Asset> assets)
    {
        _assets = [];
        foreach (var asset in assets)
        {
            _assets[asset.Entity] = asset;
        }
    }

    public static AssetInventory Empty { get; } = new([]);

    public int Count => _assets.Count;

    public bool TryFind(Observable entity, out Asset asset) => _assets.TryGetValue(entity, out asset!);

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
            var type = cells[0].Trim();
            if (!(type.Equals("host", StringComparison.OrdinalIgnoreCase) || type.Equals("user", StringComparison.OrdinalIgnoreCase))
                || !ObservableTypes.TryParseValue(type, cells[1], out var entity))
            {
                errors.Report(new RecordError(new RecordRef(origin, lineNumber), "inventory", $"'{cells[0]}' '{cells[1]}' is not a host or user"));
                continue;
            }
            if (!Enum.TryParse<Criticality>(cells[2].Trim(), ignoreCase: true, out var criticality) || !Enum.IsDefined(criticality))
            {
                errors.Report(new RecordError(new RecordRef(origin, lineNumber), "inventory", $"unknown criticality '{cells[2].Trim()}': expected low, medium, high or critical"));
                continue;
            }
            var owner = cells.Length > 3 && cells[3].Trim().Length > 0 ? cells[3].Trim() : null;
            var tags = cells.Length > 4 ? cells[4].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
            assets.Add(new Asset(entity, criticality, owner, tags));
        }
        return new AssetInventory(assets);
    }
}
