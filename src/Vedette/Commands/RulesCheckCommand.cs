using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Detection;

namespace Vedette.Cli.Commands;

internal sealed class RulesCheckSettings : RuleSetSettings
{
    [CommandArgument(0, "<PATH>")]
    [Description("Rule files or folders to check.")]
    public string[] Paths { get; init; } = [];

    public override ValidationResult Validate() =>
        Missing(Paths) is { } path ? ValidationResult.Error($"no such file or folder: {path}") : base.Validate();
}

/// <summary>
/// vedette rules check: loads rules exactly as detection would and says which did not load, where and why.
/// Counts rules, correlations and filters; exit code 1 when any failed.
/// </summary>
internal sealed class RulesCheckCommand : Command<RulesCheckSettings>
{
    private const int ExamplesPerReason = 3;

    public override int Execute(CommandContext context, RulesCheckSettings settings, CancellationToken cancellationToken)
    {
        var rules = RuleSets.Load(settings.Paths, settings.Mapping);
        var loaded = rules.Rules.Count + rules.FilterCount;
        if (settings.Format == ReportFormat.Json)
        {
            StoreAccess.WriteJson(writer =>
            {
                writer.WriteStartObject();
                writer.WriteNumber("total", loaded + rules.Errors.Count);
                writer.WriteNumber("loaded", loaded);
                WriteList(writer, "failed", rules.Errors);
                WriteList(writer, "warnings", rules.Warnings);
                writer.WriteEndObject();
            });
        }
        else
        {
            PrintTable(rules, loaded);
        }
        return rules.Errors.Count > 0 ? 1 : 0;
    }

    private static void WriteList(System.Text.Json.Utf8JsonWriter writer, string name, IReadOnlyList<Vedette.Detection.Rules.RuleLoadError> errors)
    {
        writer.WriteStartArray(name);
        foreach (var error in errors)
        {
            writer.WriteStartObject();
            writer.WriteString("path", error.Source.File);
            writer.WriteNumber("line", error.Source.Line);
            writer.WriteString("ruleId", error.RuleId);
            writer.WriteString("reason", error.Reason);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void PrintTable(RuleSet rules, int loaded)
    {
        var correlations = rules.Rules.Count(r => r.IsCorrelation);
        AnsiConsole.MarkupLineInterpolated(
            $"{loaded + rules.Errors.Count:N0} checked: {loaded:N0} loaded ({rules.Rules.Count - correlations:N0} rules, {correlations:N0} correlations, {rules.FilterCount:N0} filters), [{(rules.Errors.Count > 0 ? "red" : "green")}]{rules.Errors.Count:N0} failed[/].");
        if (rules.Warnings.Count > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]{rules.Warnings.Count:N0} loaded rule(s) cannot match as configured[/]:");
            foreach (var warning in rules.Warnings.Take(ExamplesPerReason))
            {
                AnsiConsole.WriteLine($"  {warning}");
            }
        }
        if (rules.Errors.Count == 0)
        {
            return;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn("failures").AddColumn("reason").AddColumn("where (first few)");
        foreach (var reason in rules.Errors.GroupBy(e => e.Reason, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var where = string.Join("\n", reason.Take(ExamplesPerReason).Select(e => e.Source.ToString()));
            table.AddRow(new Text(reason.Count().ToString("N0")), new Text(reason.Key), new Text(reason.Count() > ExamplesPerReason ? where + "\n..." : where));
        }
        AnsiConsole.Write(table);
    }
}
