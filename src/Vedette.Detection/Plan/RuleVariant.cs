using Vedette.Detection.Matching;

namespace Vedette.Detection.Plan;

/// <summary>
/// A rule compiled for one logsource alternative: the alternative's conditions (as data, for indexing, and as a
/// predicate) and the rule's detection with that alternative's field names.
/// </summary>
internal sealed record RuleVariant(CompiledRule Rule, IReadOnlyDictionary<string, string> Conditions, IEventPredicate LogSource, IEventPredicate Detection);
