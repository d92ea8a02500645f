using System.Text.RegularExpressions;

namespace Vedette.Detection.Attack;

/// <summary>An ATT&amp;CK technique or sub-technique: "T1110.001", "Brute Force: Password Guessing", its tactics by name.</summary>
public sealed record AttackTechnique(string Id, string Name, IReadOnlyList<string> Tactics, string? Url);

/// <summary>What a Sigma tag names in ATT&amp;CK.</summary>
public enum AttackTagKind
{
    Technique,
    Tactic,
    Group,
    Software,
}

/// <summary>
/// A Sigma `attack.*` tag resolved against the catalog. An id the catalog does not know still resolves — as "unknown
/// technique" (or tactic, group, software) with <see cref="Known"/> false — so that newer rules never fail on older data.
/// </summary>
public sealed record AttackTag(string Tag, AttackTagKind Kind, string Id, string Name, IReadOnlyList<string> Tactics, bool Known);

/// <summary>
/// MITRE ATT&amp;CK techniques, read from the CSV export (name,id,url,platforms,kill chain phases,...), to give the
/// techniques and tactics of Sigma tags their names. Immutable once loaded.
/// </summary>
public sealed partial class AttackCatalog
{
    private static readonly string[] RequiredColumns = ["name", "id", "kill chain phases"];

    /// <summary>
    /// Tactics newer than ATT&amp;CK v10, which the catalog CSV may predate: v18 split Defense Evasion into Stealth and
    /// Defense Impairment, and SigmaHQ already tags them.
    /// </summary>
    private static readonly string[] LaterTactics = ["Stealth", "Defense Impairment"];

    private readonly Dictionary<string, AttackTechnique> _techniques;
    private readonly Dictionary<string, string> _tactics;

    private AttackCatalog(Dictionary<string, AttackTechnique> techniques)
    {
        _techniques = techniques;
        _tactics = techniques.Values.SelectMany(t => t.Tactics).Concat(LaterTactics)
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(Slug, name => name, StringComparer.Ordinal);
    }

    /// <summary>A catalog that knows no technique: tags still resolve to their kind and id.</summary>
    public static AttackCatalog Empty { get; } = new(new Dictionary<string, AttackTechnique>(StringComparer.Ordinal));

    public int Count => _techniques.Count;

    public IEnumerable<AttackTechnique> Techniques => _techniques.Values;

    /// <summary>Tactic names, each under its Sigma tag spelling (credential-access → Credential Access).</summary>
    public IReadOnlyDictionary<string, string> Tactics => _tactics;

    public static AttackCatalog Load(string csvPath)
    {
        using var reader = File.OpenText(csvPath);
        return Read(reader, csvPath);
    }

    /// <summary>Reads the CSV; a missing column or an empty id is an error naming the file and line.</summary>
    public static AttackCatalog Read(TextReader reader, string origin)
    {
        using var records = CsvRecords.Read(reader, origin).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new InvalidDataException($"{origin}: the file is empty");
        }
        var header = records.Current.Fields;
        var columns = RequiredColumns.Select(c => header.FindIndex(h => string.Equals(h.Trim(), c, StringComparison.OrdinalIgnoreCase))).ToArray();
        if (Array.IndexOf(columns, -1) is var missing and >= 0)
        {
            throw new InvalidDataException($"{origin}:1: no '{RequiredColumns[missing]}' column in the header");
        }
        var url = header.FindIndex(h => string.Equals(h.Trim(), "url", StringComparison.OrdinalIgnoreCase));
        var rows = new List<(string Id, string Name, string[] Tactics, string? Url)>();
        while (records.MoveNext())
        {
            var (line, fields) = records.Current;
            if (fields.Count < header.Count)
            {
                throw new InvalidDataException($"{origin}:{line}: {fields.Count} fields where the header has {header.Count}");
            }
            var id = fields[columns[1]].Trim().ToUpperInvariant();
            if (!TechniqueId().IsMatch(id))
            {
                throw new InvalidDataException($"{origin}:{line}: '{id}' is not a technique id (T1234 or T1234.567)");
            }
            var tactics = fields[columns[2]].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            rows.Add((id, fields[columns[0]].Trim(), tactics, url >= 0 ? fields[url] : null));
        }
        var names = rows.ToDictionary(r => r.Id, r => r.Name, StringComparer.Ordinal);
        var techniques = new Dictionary<string, AttackTechnique>(StringComparer.Ordinal);
        foreach (var (id, name, tactics, link) in rows)
        {
            // Sub-techniques are named after their parent, as ATT&CK shows them: "Brute Force: Password Guessing".
            var dot = id.IndexOf('.', StringComparison.Ordinal);
            var fullName = dot > 0 && names.TryGetValue(id[..dot], out var parent) ? $"{parent}: {name}" : name;
            techniques[id] = new AttackTechnique(id, fullName, tactics, link);
        }
        return new AttackCatalog(techniques);
    }

    public bool TryGetTechnique(string id, out AttackTechnique technique) =>
        _techniques.TryGetValue(id.ToUpperInvariant(), out technique!);

    /// <summary>Resolves one Sigma tag; null when it is not an ATT&amp;CK tag (cve.*, detection.*, car.*, ...).</summary>
    public AttackTag? Resolve(string tag)
    {
        if (!tag.StartsWith("attack.", StringComparison.OrdinalIgnoreCase) || tag.Length == 7)
        {
            return null;
        }
        var value = tag[7..].ToLowerInvariant();
        if (TechniqueId().IsMatch(value))
        {
            var id = value.ToUpperInvariant();
            return _techniques.TryGetValue(id, out var technique)
                ? new AttackTag(tag, AttackTagKind.Technique, id, technique.Name, technique.Tactics, true)
                : new AttackTag(tag, AttackTagKind.Technique, id, "unknown technique", [], false);
        }
        if (GroupOrSoftwareId().IsMatch(value))
        {
            var kind = value[0] == 'g' ? AttackTagKind.Group : AttackTagKind.Software;
            return new AttackTag(tag, kind, value.ToUpperInvariant(), kind == AttackTagKind.Group ? "unknown group" : "unknown software", [], false);
        }
        return _tactics.TryGetValue(value, out var tactic)
            ? new AttackTag(tag, AttackTagKind.Tactic, value, tactic, [tactic], true)
            : new AttackTag(tag, AttackTagKind.Tactic, value, "unknown tactic", [], false);
    }

    /// <summary>The ATT&amp;CK tags among a rule's tags, resolved, in the rule's order.</summary>
    public IReadOnlyList<AttackTag> ResolveAll(IEnumerable<string> tags) => [.. tags.Select(Resolve).OfType<AttackTag>()];

    private static string Slug(string tactic) => tactic.ToLowerInvariant().Replace(' ', '-');

    [GeneratedRegex(@"^t\d{4}(\.\d{3})?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TechniqueId();

    [GeneratedRegex(@"^[gs]\d{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex GroupOrSoftwareId();
}
