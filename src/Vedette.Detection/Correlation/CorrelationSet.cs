using Vedette.Detection.Mappings;
using Vedette.Detection.Matching;
using Vedette.Detection.Rules;

namespace Vedette.Detection.Correlation;

/// <summary>
/// A correlation with its references resolved: the rules (detection rules or correlations) that feed it, in the
/// order written, and for each of them the event fields that hold the group-by values and the measured field
/// (aliases let each rule name them differently), by name and resolved against the field mappings.
/// </summary>
internal sealed record ResolvedCorrelation(CorrelationRule Rule, string[] InputIds, string[][] GroupFields, FieldRef[][] GroupBy, FieldRef[][] ValueFields);

/// <summary>
/// The correlation rules of a rule set with their references resolved: which rules feed which correlations
/// (correlations may feed correlations), and whether a referenced rule still raises alerts of its own (Sigma's
/// `generate`). Immutable; the running state lives in a <see cref="CorrelationState"/> per detector.
/// </summary>
internal sealed class CorrelationSet
{
    private readonly Dictionary<string, CorrelationRule[]> _usedBy;

    private CorrelationSet(IReadOnlyList<ResolvedCorrelation> resolved, Dictionary<string, CorrelationRule[]> usedBy, DetectionMappings mappings)
    {
        Resolved = resolved;
        Rules = [.. resolved.Select(r => r.Rule)];
        _usedBy = usedBy;
        Mappings = mappings;
    }

    /// <summary>The correlations that loaded, each after every correlation it refers to.</summary>
    public IReadOnlyList<CorrelationRule> Rules { get; }

    internal IReadOnlyList<ResolvedCorrelation> Resolved { get; }

    internal DetectionMappings Mappings { get; }

    /// <summary>
    /// Resolves every correlation's `rules:` and `aliases:` against the loaded detection rules and correlations (by
    /// id or name). A correlation that refers to something not loaded, or takes part in a reference cycle, becomes
    /// an error, and so does every correlation that refers to it.
    /// </summary>
    public static CorrelationSet Build(IReadOnlyList<CorrelationRule> correlations, IReadOnlyList<RuleMetadata> detectionRules, DetectionMappings mappings, List<RuleLoadError> errors)
    {
        var idOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var meta in detectionRules.Concat(correlations.Select(c => c.Meta)))
        {
            idOf.TryAdd(meta.Id, meta.Id);
            if (meta.Name is { } name)
            {
                idOf.TryAdd(name, meta.Id);
            }
        }
        var detectionIds = new HashSet<string>(detectionRules.Select(r => r.Id), StringComparer.Ordinal);
        var candidates = new Dictionary<string, ResolvedCorrelation>(StringComparer.Ordinal);
        foreach (var correlation in correlations)
        {
            try
            {
                if (detectionIds.Contains(correlation.Meta.Id) || candidates.ContainsKey(correlation.Meta.Id))
                {
                    throw new RuleFormatException(0, $"another rule already has the id {correlation.Meta.Id}");
                }
                candidates.Add(correlation.Meta.Id, Resolve(correlation, idOf, mappings.Fields));
            }
            catch (RuleFormatException ex)
            {
                errors.Add(Error(correlation, ex.Message));
            }
        }
        RemoveCycles(candidates, errors);
        RemoveBroken(candidates, detectionIds, errors);
        var ordered = Ordered(candidates);

        var usedBy = new Dictionary<string, List<CorrelationRule>>(StringComparer.Ordinal);
        foreach (var resolved in ordered)
        {
            foreach (var input in resolved.InputIds)
            {
                if (!usedBy.TryGetValue(input, out var list))
                {
                    usedBy[input] = list = [];
                }
                list.Add(resolved.Rule);
            }
        }
        return new CorrelationSet(ordered, usedBy.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal), mappings);
    }

    /// <summary>The correlations a rule (detection rule or correlation) feeds; empty for most rules.</summary>
    public IReadOnlyList<CorrelationRule> Using(RuleMetadata rule) => _usedBy.TryGetValue(rule.Id, out var list) ? list : [];

    /// <summary>Sigma: a rule referred to by correlations raises no alerts of its own unless one of them says `generate: true`.</summary>
    public bool Generates(RuleMetadata rule)
    {
        if (!_usedBy.TryGetValue(rule.Id, out var list))
        {
            return true;
        }
        foreach (var correlation in list)
        {
            if (correlation.Generate)
            {
                return true;
            }
        }
        return false;
    }

    public CorrelationState NewState(TimeProvider time, CorrelationOptions? options = null) => new(this, time, options ?? new CorrelationOptions());

    private static ResolvedCorrelation Resolve(CorrelationRule correlation, Dictionary<string, string> idOf, FieldResolver fields)
    {
        var missing = correlation.Rules.Where(r => !idOf.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            throw new RuleFormatException(0, $"the correlation refers to rules that are not loaded: {string.Join(", ", missing)}");
        }
        string[] inputs = [.. correlation.Rules.Select(r => idOf[r])];
        if (inputs.GroupBy(id => id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new RuleFormatException(0, $"the correlation lists rule {twice.Key} more than once");
        }
        if (inputs.Contains(correlation.Meta.Id, StringComparer.Ordinal))
        {
            throw new RuleFormatException(0, "the correlation refers to itself");
        }
        // Per alias: the field each input rule keeps the value in.
        var aliasFields = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (alias, perRule) in correlation.Aliases)
        {
            var byInput = aliasFields[alias] = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (reference, field) in perRule)
            {
                if (!idOf.TryGetValue(reference, out var id) || !inputs.Contains(id, StringComparer.Ordinal))
                {
                    throw new RuleFormatException(0, $"alias '{alias}' names rule '{reference}', which the correlation does not refer to");
                }
                byInput[id] = field;
            }
        }
        string[] FieldsFor(int input, IReadOnlyList<string> names) => [.. names.Select(name =>
            !aliasFields.TryGetValue(name, out var byInput) ? name
            : byInput.TryGetValue(inputs[input], out var field) ? field
            : throw new RuleFormatException(0, $"alias '{name}' does not say which field holds it in the events of rule '{correlation.Rules[input]}'"))];
        string[][] groupFields = [.. inputs.Select((_, i) => FieldsFor(i, correlation.GroupBy))];
        // Resolved here, once: the resolver caches, and states are built by detectors on their own threads.
        return new ResolvedCorrelation(
            correlation,
            inputs,
            groupFields,
            [.. groupFields.Select(names => names.Select(fields.Resolve).ToArray())],
            [.. inputs.Select((_, i) => FieldsFor(i, correlation.Condition.Fields).Select(fields.Resolve).ToArray())]);
    }

    /// <summary>Drops every correlation on a reference cycle: it could never be evaluated (each would wait for the other's hits).</summary>
    private static void RemoveCycles(Dictionary<string, ResolvedCorrelation> candidates, List<RuleLoadError> errors)
    {
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the current path; true: done
        var path = new List<string>();
        var onCycle = new Dictionary<string, string>(StringComparer.Ordinal);
        void Visit(string id)
        {
            state[id] = false;
            path.Add(id);
            foreach (var input in candidates[id].InputIds)
            {
                if (!candidates.ContainsKey(input))
                {
                    continue;
                }
                if (!state.TryGetValue(input, out var done))
                {
                    Visit(input);
                }
                else if (!done)
                {
                    var cycle = path.Skip(path.IndexOf(input)).Append(input).Select(c => candidates[c].Rule.Meta.Name ?? c).ToList();
                    foreach (var member in path.Skip(path.IndexOf(input)))
                    {
                        onCycle.TryAdd(member, string.Join(" -> ", cycle));
                    }
                }
            }
            path.RemoveAt(path.Count - 1);
            state[id] = true;
        }
        foreach (var id in candidates.Keys.ToList())
        {
            if (!state.ContainsKey(id))
            {
                Visit(id);
            }
        }
        foreach (var (id, cycle) in onCycle)
        {
            errors.Add(Error(candidates[id].Rule, $"the correlation is part of a reference cycle: {cycle}"));
            candidates.Remove(id);
        }
    }

    /// <summary>Drops, until none is left, every correlation that refers to a correlation that did not load.</summary>
    private static void RemoveBroken(Dictionary<string, ResolvedCorrelation> candidates, HashSet<string> detectionIds, List<RuleLoadError> errors)
    {
        bool removed;
        do
        {
            removed = false;
            foreach (var (id, resolved) in candidates.ToList())
            {
                var broken = resolved.InputIds.Where(i => !detectionIds.Contains(i) && !candidates.ContainsKey(i)).ToList();
                if (broken.Count > 0)
                {
                    errors.Add(Error(resolved.Rule, $"the correlation refers to correlations that did not load: {string.Join(", ", broken)}"));
                    candidates.Remove(id);
                    removed = true;
                }
            }
        }
        while (removed);
    }

    /// <summary>Every correlation after the correlations it refers to, so that hits flow downstream within one call.</summary>
    private static List<ResolvedCorrelation> Ordered(Dictionary<string, ResolvedCorrelation> candidates)
    {
        var ordered = new List<ResolvedCorrelation>(candidates.Count);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        void Place(ResolvedCorrelation resolved)
        {
            if (!placed.Add(resolved.Rule.Meta.Id))
            {
                return;
            }
            foreach (var input in resolved.InputIds)
            {
                if (candidates.TryGetValue(input, out var upstream))
                {
                    Place(upstream);
                }
            }
            ordered.Add(resolved);
        }
        foreach (var resolved in candidates.Values)
        {
            Place(resolved);
        }
        return ordered;
    }

    private static RuleLoadError Error(CorrelationRule correlation, string reason) => new(correlation.Meta.Source, correlation.Meta.Id, reason);
}
