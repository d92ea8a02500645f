using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Cli.Output;
using Vedette.Detection;
using Vedette.Detection.Attack;
using Vedette.Domain;

namespace Vedette.Cli.Commands;

/// <summary>vedette rules list: the rules a hunt with the same options would run, with their ATT&amp;CK techniques.</summary>
internal sealed class RulesListCommand : Command<RuleSelectionSettings>
{
    public override int Execute(CommandContext context, RuleSelectionSettings settings, CancellationToken cancellationToken)
    {
        var rules = RuleSets.Load(settings.RulePaths, settings.Mapping);
        RuleSets.ReportLoadErrors(rules);
        var catalog = RulesAttack.LoadCatalog(settings.Attack);
        var listed = rules.Rules.OrderBy(r => r.Meta.Title, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Meta.Id, StringComparer.Ordinal).ToList();
        if (settings.Format == ReportFormat.Json)
        {
            StoreAccess.WriteJson(writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("rules");
                foreach (var rule in listed)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", rule.Meta.Id);
                    writer.WriteString("title", rule.Meta.Title);
                    writer.WriteString("level", rule.Meta.Level?.ToName());
                    writer.WriteString("status", rule.Meta.Status);
                    writer.WriteString("logsource", LogSourceOf(rule));
                    writer.WriteBoolean("correlation", rule.IsCorrelation);
                    writer.WriteString("path", rule.Meta.Source.File);
                    RulesAttack.WriteTechniques(writer, rule.Meta.Tags, catalog);
                    writer.WriteStartArray("tactics");
                    foreach (var tactic in Tactics(rule, catalog))
                    {
                        writer.WriteStringValue(tactic);
                    }
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteNumber("failed", rules.Errors.Count);
                writer.WriteEndObject();
            });
            return 0;
        }
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("rule").AddColumn("level").AddColumn("status").AddColumn("logsource").AddColumn("ATT&CK").AddColumn("id");
        foreach (var rule in listed)
        {
            table.AddRow(
                new Text(rule.Meta.Title),
                rule.Meta.Level is { } level ? Tables.Severity(level) : new Text("-"),
                new Text(rule.Meta.Status ?? "-"),
                new Text(LogSourceOf(rule)),
                new Text(RulesAttack.Describe(rule.Meta.Tags, catalog)),
                new Text(rule.Meta.Id));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"{listed.Count:N0} rules loaded, {rules.Errors.Count:N0} failed.");
        return 0;
    }

    private static string LogSourceOf(LoadedRule rule) => rule.IsCorrelation ? "correlation" : rule.LogSource?.ToString() ?? "-";

    /// <summary>The tactics a rule names in its tags (attack.credential-access), by name when the catalog knows them.</summary>
    private static IEnumerable<string> Tactics(LoadedRule rule, AttackCatalog? catalog) =>
        (catalog ?? AttackCatalog.Empty).ResolveAll(rule.Meta.Tags)
            .Where(t => t.Kind == AttackTagKind.Tactic)
            .Select(t => catalog is not null && t.Known ? t.Name : t.Id);
}
