using Vedette.Detection.Correlation;
using Vedette.Detection.Mappings;
using Vedette.Detection.Matching;
using Vedette.Detection.Rules;

namespace Vedette.Detection;

/// <summary>A loaded rule: its metadata, and whether it raises alerts of its own.</summary>
public sealed record LoadedRule(RuleMetadata Meta, LogSource? LogSource, bool IsCorrelation, bool GeneratesAlerts, IReadOnlyList<string> UsedBy);

/// <summary>
/// The rules in force, compiled, joined to their logsources and correlations, with every rule that failed to load
/// and why. Immutable: a reload builds a new set.
/// </summary>
public sealed class RuleSet
{
    internal RuleSet(IReadOnlyList<LogSourceGroup> groups, CorrelationSet correlations, IReadOnlyList<LoadedRule> rules, IReadOnlyList<RuleLoadError> errors, DetectionMappings mappings)
    {
        Groups = groups;
        Correlations = correlations;
        Rules = rules;
        Errors = errors;
        Mappings = mappings;
    }

    public IReadOnlyList<LoadedRule> Rules { get; }

    public IReadOnlyList<RuleLoadError> Errors { get; }

    public DetectionMappings Mappings { get; }

    internal IReadOnlyList<LogSourceGroup> Groups { get; }

    internal CorrelationSet Correlations { get; }

    /// <summary>Loads every rule under the given files or folders; rules that fail are listed in <see cref="Errors"/>.</summary>
    public static RuleSet Load(IEnumerable<string> paths, DetectionMappings mappings)
    {
        var loader = new RuleLoader(mappings.Fields);
        foreach (var path in paths)
        {
            loader.LoadPath(path);
        }
        return Build(loader, mappings);
    }

    /// <summary>Loads rules from YAML text (tests, and rules pasted into the console later).</summary>
    public static RuleSet FromYaml(string yaml, DetectionMappings mappings, string origin = "inline")
    {
        var loader = new RuleLoader(mappings.Fields);
        using var reader = new StringReader(yaml);
        loader.LoadText(reader, origin);
        return Build(loader, mappings);
    }

    private static RuleSet Build(RuleLoader loader, DetectionMappings mappings)
    {
        var errors = new List<RuleLoadError>(loader.Errors);
        var correlations = CorrelationSet.Build(loader.Correlations, [.. loader.Rules.Select(r => r.Meta)], mappings, errors);

        var groups = new Dictionary<LogSourceMapping, List<CompiledRule>>();
        var loaded = new List<LoadedRule>();
        foreach (var rule in loader.Rules)
        {
            var mapping = mappings.LogSources.Find(rule.LogSource);
            if (mapping is null)
            {
                errors.Add(new RuleLoadError(rule.Meta.Source, rule.Meta.Id, $"no mapping for logsource {rule.LogSource} in {DetectionMappings.LogSourcesFile}"));
                continue;
            }
            var usedBy = correlations.Using(rule.Meta);
            var generates = correlations.Generates(rule.Meta);
            if (!groups.TryGetValue(mapping, out var members))
            {
                groups[mapping] = members = [];
            }
            members.Add(new CompiledRule(rule.Meta, rule.Detection, generates, usedBy.Count > 0));
            loaded.Add(new LoadedRule(rule.Meta, rule.LogSource, false, generates, [.. usedBy.Select(c => c.Meta.Id)]));
        }
        loaded.AddRange(correlations.Rules.Select(c => new LoadedRule(c.Meta, null, true, true, [])));

        var compiledGroups = groups.Select(g => new LogSourceGroup(LogSourceMap.Compile(g.Key, mappings.Fields), [.. g.Value])).ToList();
        return new RuleSet(compiledGroups, correlations, loaded, errors, mappings);
    }
}

/// <summary>Rules sharing one logsource condition: the condition is tested once per event for all of them.</summary>
internal sealed record LogSourceGroup(IEventPredicate Selects, CompiledRule[] Rules);

internal sealed record CompiledRule(RuleMetadata Meta, IEventPredicate Detection, bool GeneratesAlerts, bool FeedsCorrelations);
