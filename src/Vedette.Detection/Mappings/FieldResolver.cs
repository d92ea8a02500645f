using Vedette.Detection.Matching;

namespace Vedette.Detection.Mappings;

/// <summary>Resolves a Sigma field name to where it may live in each log shape (mappings/fields.yml).</summary>
public sealed class FieldResolver
{
    private readonly IReadOnlyList<string> _prefixes;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _aliases;
    private readonly Dictionary<string, FieldRef> _resolved = new(StringComparer.Ordinal);

    public FieldResolver(IReadOnlyList<string> prefixes, IReadOnlyDictionary<string, IReadOnlyList<string>> aliases)
    {
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
        var renamed = new FieldResolver(_prefixes, _aliases);
        foreach (var (sigmaName, eventName) in renames)
        {
            var target = Resolve(eventName);
            renamed._resolved[sigmaName] = new FieldRef(sigmaName, target.Candidates);
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
        FieldRef field;
        if (name == "$source")
        {
            field = new FieldRef(name, []);
        }
        else
        {
            var candidates = _prefixes.Select(prefix => prefix + name).ToList();
            if (_aliases.TryGetValue(name, out var aliases))
            {
                candidates.AddRange(aliases);
            }
            field = new FieldRef(name, [.. candidates.Distinct(StringComparer.Ordinal)]);
        }
        _resolved[name] = field;
        return field;
    }
}
