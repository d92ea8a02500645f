using Vedette.Detection;

namespace Vedette.Tests.Plan;

/// <summary>How much of the real rule set the prefilter can keep away from events that cannot match it.</summary>
public sealed class PlanCoverageTests
{
    /// <summary>
    /// SigmaHQ's process-creation rules run on Sysmon event 1 as written and on Security 4688 through field renames
    /// (Image is NewProcessName there). Each renamed field must be one field to the plan however many rules rename
    /// it, or a bucket of a thousand rules runs out of searchable fields and most of its rules lose their gate.
    /// </summary>
    [Fact]
    public void Process_creation_rules_keep_their_gates_when_their_fields_are_renamed()
    {
        var rules = RuleSet.Load([SharedData.Path("sigma", "rules", "windows", "process_creation")], Repo.LoadMappings());
        Assert.Empty(rules.Errors.Select(e => e.ToString()));

        var (variants, gated) = rules.Plan.Coverage();

        Assert.True(variants > 2 * rules.Rules.Count - 100, $"{variants} variants for {rules.Rules.Count} rules: the 4688 alternative is missing");
        Assert.True(gated >= 0.95 * variants, $"only {gated} of {variants} rule variants have a prefilter gate");
    }
}
