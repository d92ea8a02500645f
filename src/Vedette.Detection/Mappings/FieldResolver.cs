using Vedette.Detection.Matching;

namespace Vedette.Detection.Mappings;

/// <summary>Resolves a Sigma field name to where it may live in each log shape (mappings/fields.yml).</summary>
public sealed class FieldResolver
{
    private readonly IReadOnlyList<string> _prefixes;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _aliases;
    private readonly Dictionary<string, FieldRef> _resolved = new(StringComparer.Ordinal);

    /// <summary>For a resolver with renames: where the fields it does not rename resolve (shared, so the plan sees one field).</summary>
    private FieldResolver? _parent;

    private readonly IReadOnlyDictionary<string, int> _costs;

    private readonly Dictionary<(string Sigma, string Event), FieldRef> _renamedFields = [];

    public FieldResolver(IReadOnlyList<string> prefixes, IReadOnlyDictionary<string, IReadOnlyList<string>> aliases, IReadOnlyDictionary<string, int>? costs = null)
    {
        _costs = costs ?? new Dictionary<string, int>();
        _prefixes = prefixes.Count == 0 ? [""] : prefixes;
        _aliases = aliases;
    }

    /// <summary>
    /// A resolver for one logsource alternative whose events name some Sigma fields differently; every other field
    /// resolves as here.
    /// </summary>
    public FieldResolver WithRenames(IReadOnlyDictionary<string, string> renames)
    {
        if (renames.Count == 0)
        {
            return this;
        }
        var renamed = new FieldResolver(_prefixes, _aliases, _costs) { _parent = this };
        foreach (var (sigmaName, eventName) in renames)
        {
            // One field object per rename across all rules: the plan's prefilter searches each distinct field object
            // once per event, and a field object per rule made a bucket of a thousand rules exceed the fields it can
            // search, leaving most of them without a gate.
            if (!_renamedFields.TryGetValue((sigmaName, eventName), out var field))
            {
                _renamedFields[(sigmaName, eventName)] = field =
                    new FieldRef(sigmaName, Resolve(eventName).Candidates, _costs.GetValueOrDefault(sigmaName, 1));
            }
            renamed._resolved[sigmaName] = field;
        }
        return renamed;
    }

    /// <summary>Flat names only: what the tests and the simulator's own events need.</summary>
    public static FieldResolver Flat { get; } = new([""], new Dictionary<string, IReadOnlyList<string>>());

    internal FieldRef Resolve(string name)
    {
        if (_resolved.TryGetValue(name, out var known))
        {
            return known;
        }
        if (_parent is not null)
        {
            return _parent.Resolve(name);
        }
        FieldRef field;
        if (name == "$source")
        {
            field = new FieldRef(name, []);
        }
        else
        {
            // Interned, like the names ingest reads: an event's field lookup then compares references.
            var candidates = _prefixes.Select(prefix => string.Intern(prefix + name)).ToList();
            if (_aliases.TryGetValue(name, out var aliases))
            {
                candidates.AddRange(aliases.Select(string.Intern));
            }
            field = new FieldRef(name, [.. candidates.Distinct(StringComparer.Ordinal)], _costs.GetValueOrDefault(name, 1));
        }
        _resolved[name] = field;
        return field;
    }
}
