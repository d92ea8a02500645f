using Vedette.Domain;

namespace Vedette.Triage;

/// <summary>
/// What analysts' verdicts say about a rule: the score part that moves a rule's alerts up or down the queue, or
/// null while the rule has too few verdicts to say anything.
/// </summary>
public interface IRuleFidelity
{
    ScorePart? For(string ruleId);
}

/// <summary>No verdicts yet: every rule is scored by its level alone.</summary>
public sealed class NoFidelity : IRuleFidelity
{
    public static NoFidelity Instance { get; } = new();

    public ScorePart? For(string ruleId) => null;
}
