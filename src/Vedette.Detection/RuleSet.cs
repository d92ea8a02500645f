using Vedette.Detection.Correlation;
using Vedette.Detection.Mappings;
using Vedette.Detection.Matching;
using Vedette.Detection.Plan;
using Vedette.Detection.Rules;

namespace Vedette.Detection;

/// <summary>A loaded rule: its metadata, and whether it raises alerts of its own.</summary>
public sealed record LoadedRule(RuleMetadata Meta, LogSource? LogSource, bool IsCorrelation, bool GeneratesAlerts, IReadOnlyList<string> UsedBy);

/// <summary>
/// The rules in force, compiled into an evaluation plan, joined to their logsources, filters and correlations,
/// with every rule that failed to load and why. Immutable: a reload builds a new set.
/// </summary>
public sealed class RuleSet
{
    private RuleSet(EvaluationPlan plan, CorrelationSet correlations, IReadOnlyList<LoadedRule> rules, IReadOnlyList<RuleLoadError> errors, IReadOnlyList<RuleLoadError> warnings, DetectionMappings mappings, int filters)
    {
        Warnings = warnings;
        Plan = plan;
        Correlations = correlations;
        Rules = rules;
        Errors = errors;
        Mappings = mappings;
        FilterCount = filters;
    }

    public IReadOnlyList<LoadedRule> Rules { get; }

    public IReadOnlyList<RuleLoadError> Errors { get; }

    /// <summary>Rules that loaded but cannot match as configured (placeholders defined with no values).</summary>
    public IReadOnlyList<RuleLoadError> Warnings { get; }

    public DetectionMappings Mappings { get; }

    /// <summary>How many Sigma filters were applied to the rules they name.</summary>
    public int FilterCount { get; }

    internal EvaluationPlan Plan { get; }

    internal CorrelationSet Correlations { get; }

    /// <summary>Loads every rule under the given files or folders; rules that fail are listed in <see cref="Errors"/>.</summary>
    public static RuleSet Load(IEnumerable<string> paths, DetectionMappings mappings)
    {
        var loader = new RuleLoader();
        foreach (var path in paths)
        {
            loader.LoadPath(path);
        }
        return Build(loader, mappings);
    }

    /// <summary>Loads rules from YAML text (tests, and rules pasted into the console later).</summary>
    public static RuleSet FromYaml(string yaml, DetectionMappings mappings, string origin = "inline")
    {
        var loader = new RuleLoader();
        using var reader = new StringReader(yaml);
        loader.LoadText(reader, origin);
        return Build(loader, mappings);
    }

    private static RuleSet Build(RuleLoader loader, DetectionMappings mappings)
    {
        var errors = new List<RuleLoadError>(loader.Errors);
        var correlations = CorrelationSet.Build(loader.Correlations, [.. loader.Rules.Select(r => r.Meta)], mappings, errors);
        var filters = FiltersByRule(loader, errors);

        var variants = new List<RuleVariant>();
        var loaded = new List<LoadedRule>();
        var warnings = new List<RuleLoadError>();
        foreach (var rule in loader.Rules)
        {
            var mapping = mappings.LogSources.Find(rule.LogSource);
            if (mapping is null)
            {
                errors.Add(new RuleLoadError(rule.Meta.Source, rule.Meta.Id, $"no mapping for logsource {rule.LogSource} in {DetectionMappings.LogSourcesFile}"));
                continue;
            }
            var compiled = new CompiledRule(rule.Meta, correlations.Generates(rule.Meta), correlations.Using(rule.Meta).Count > 0);
            var ruleFilters = filters.GetValueOrDefault(rule.Meta.Id, []).Concat(rule.Meta.Name is { } name ? filters.GetValueOrDefault(name, []) : []).ToList();
            try
            {
                // Compiled once per alternative: each alternative's events may name fields differently.
                foreach (var alternative in mapping.Any)
                {
                    var compiler = new DetectionCompiler(mappings.Fields.WithRenames(alternative.FieldRenames), mappings.Placeholders);
                    var detection = compiler.Compile(rule.Detection);
                    if (ruleFilters.Count > 0)
                    {
                        // A filter silences the rule where its own detection matches: rule and not (filter or filter ...).
                        IEventPredicate[] silenced = [.. ruleFilters.Select(f => compiler.Compile(f.Detection))];
                        detection = new AndPredicate([detection, new NotPredicate(silenced.Length == 1 ? silenced[0] : new OrPredicate(silenced))]);
                    }
                    variants.Add(new RuleVariant(compiled, alternative.Conditions, LogSourceMap.Compile(alternative.Conditions, mappings.Fields), detection));
                    if (compiler.EmptyPlaceholders.Count > 0 && !warnings.Exists(w => w.RuleId == rule.Meta.Id))
                    {
                        warnings.Add(new RuleLoadError(rule.Meta.Source, rule.Meta.Id,
                            $"placeholder {string.Join(", ", compiler.EmptyPlaceholders.Order(StringComparer.Ordinal).Select(p => $"%{p}%"))} has no values in {DetectionMappings.PlaceholdersFile}: the rule cannot match until they are set"));
                    }
                }
            }
            catch (RuleFormatException ex)
            {
                errors.Add(new RuleLoadError(new RuleSource(rule.Meta.Source.File, ex.Line), rule.Meta.Id, ex.Message));
                continue;
            }
            loaded.Add(new LoadedRule(rule.Meta, rule.LogSource, false, compiled.GeneratesAlerts, [.. correlations.Using(rule.Meta).Select(c => c.Meta.Id)]));
        }
        loaded.AddRange(correlations.Rules.Select(c => new LoadedRule(c.Meta, null, true, correlations.Generates(c.Meta), [.. correlations.Using(c.Meta).Select(u => u.Meta.Id)])));
        return new RuleSet(EvaluationPlan.Build(variants, mappings.Fields), correlations, loaded, errors, warnings, mappings, loader.Filters.Count);
    }

    private static Dictionary<string, List<ParsedFilter>> FiltersByRule(RuleLoader loader, List<RuleLoadError> errors)
    {
        var known = new HashSet<string>(loader.Rules.Select(r => r.Meta.Id).Concat(loader.Rules.Select(r => r.Meta.Name).OfType<string>()), StringComparer.Ordinal);
        var byRule = new Dictionary<string, List<ParsedFilter>>(StringComparer.Ordinal);
        foreach (var filter in loader.Filters)
        {
            var missing = filter.Rules.Where(r => !known.Contains(r)).ToList();
            if (missing.Count > 0)
            {
                // A filter for rules that are not loaded is harmless, but the user should know it does nothing for them.
                errors.Add(new RuleLoadError(filter.Meta.Source, filter.Meta.Id, $"the filter names rules that are not loaded: {string.Join(", ", missing)}"));
            }
            foreach (var reference in filter.Rules.Where(known.Contains))
            {
                if (!byRule.TryGetValue(reference, out var list))
                {
                    byRule[reference] = list = [];
                }
                list.Add(filter);
            }
        }
        return byRule;
    }
}

/// <summary>A rule as the plan runs it: whether it raises alerts itself and whether correlations count its matches.</summary>
internal sealed record CompiledRule(RuleMetadata Meta, bool GeneratesAlerts, bool FeedsCorrelations);
