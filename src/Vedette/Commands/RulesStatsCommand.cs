using System.Globalization;
using System.Text;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Cli.Hosting;
using Vedette.Domain;
using Vedette.Storage;
using Vedette.Triage;

namespace Vedette.Cli.Commands;

/// <summary>
/// vedette rules stats: per rule, its alerts, the analysts' verdicts on them, the precision learned from those and the
/// fidelity points it gives, and a suppression to consider for rules that are nearly always false positives.
/// </summary>
internal sealed class RulesStatsCommand : AsyncCommand<StoreSettings>
{
    /// <summary>Below this precision (with at least the minimum sample) a rule's alerts are nearly never attacks.</summary>
    public const double SuppressBelow = 0.05;

    /// <summary>How many of a noisy rule's judged alerts are read to find the entity they share.</summary>
    private const int InspectedAlerts = 200;

    private sealed record RuleRow(string RuleId, string? Title, long Alerts, long Open, RuleEstimate? Estimate, string? Suggestion);

    public override async Task<int> ExecuteAsync(CommandContext context, StoreSettings settings, CancellationToken cancellationToken)
    {
        await using var store = await StoreAccess.OpenExistingAsync(settings, cancellationToken);
        var options = new RulePrecisionOptions();
        var now = TimeProvider.System.GetUtcNow();
        var verdicts = await store.ReadVerdictsAsync(now - options.Horizon, cancellationToken);
        var precision = RulePrecision.Build(verdicts, now, options);
        var counts = (await store.ReadRuleCountsAsync(cancellationToken)).ToDictionary(c => c.RuleId, StringComparer.Ordinal);
        var analystVerdicts = RulePrecision.AnalystVerdicts(verdicts);

        var rows = new List<RuleRow>();
        foreach (var ruleId in counts.Keys.Union(precision.Rules.Keys, StringComparer.Ordinal))
        {
            var count = counts.GetValueOrDefault(ruleId);
            var estimate = precision.For(ruleId);
            string? suggestion = null;
            if (estimate is { Part: not null, Precision: < SuppressBelow })
            {
                var entity = await SharedEntityAsync(store, ruleId, analystVerdicts, cancellationToken);
                suggestion = Suggestion(settings, estimate, entity);
            }
            rows.Add(new RuleRow(ruleId, count?.Title, count?.Alerts ?? 0, count?.Open ?? 0, estimate, suggestion));
        }
        rows.Sort((a, b) => b.Alerts != a.Alerts ? b.Alerts.CompareTo(a.Alerts) : string.CompareOrdinal(a.RuleId, b.RuleId));

        if (settings.Format == OutputFormat.Json)
        {
            WriteJson(rows, options);
            return 0;
        }
        WriteTable(rows, options);
        return 0;
    }

    /// <summary>
    /// The entity most of the rule's false and benign positives share, when one accounts for more than half of them
    /// and never appeared in one of its true positives (suppressing it would hide a real attack).
    /// </summary>
    private static async Task<Observable?> SharedEntityAsync(IStore store, string ruleId, IReadOnlyList<RuleVerdict> analystVerdicts, CancellationToken cancellationToken)
    {
        var misses = new Dictionary<Observable, int>();
        var inAttacks = new HashSet<Observable>();
        var linking = new GroupingOptions().LinkingTypes;
        var judged = analystVerdicts.Where(v => v.RuleId == ruleId).OrderByDescending(v => v.At).Take(InspectedAlerts);
        var missCount = 0;
        foreach (var verdict in judged)
        {
            if (await store.GetAlertAsync(verdict.AlertId, cancellationToken) is not { } alert)
            {
                continue;
            }
            var isMiss = verdict.Verdict != Verdict.TruePositive;
            missCount += isMiss ? 1 : 0;
            foreach (var observable in alert.Observables.Where(o => linking.Contains(o.Type)).Distinct())
            {
                if (isMiss)
                {
                    misses[observable] = misses.GetValueOrDefault(observable) + 1;
                }
                else
                {
                    inAttacks.Add(observable);
                }
            }
        }
        var best = misses
            .Where(m => !inAttacks.Contains(m.Key))
            .OrderByDescending(m => m.Value).ThenBy(m => m.Key.ToString(), StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Value * 2 > missCount ? best.Key : null;
    }

    private static string Suggestion(StoreSettings settings, RuleEstimate estimate, Observable? entity)
    {
        var args = new List<string> { "vedette", "suppress", "add", "--rule", estimate.RuleId };
        if (entity is { } shared)
        {
            args.AddRange(["--entity", shared.ToString()]);
        }
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"{estimate.BenignPositives + estimate.FalsePositives} of {estimate.Verdicts} analyst verdicts were false or benign positives (precision {estimate.Precision:0.0%})");
        args.AddRange(["--expires", "30d", "--reason", reason, "--author", Environment.UserName]);
        if (!string.Equals(settings.Data, ProductPaths.DefaultDataFolder, StringComparison.Ordinal))
        {
            args.AddRange(["--data", settings.Data]);
        }
        return string.Join(' ', args.Select(ShellQuote));
    }

    /// <summary>POSIX shell quoting, so that the suggestion can be pasted as it is.</summary>
    private static string ShellQuote(string arg)
    {
        if (arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_.:/@=,+".Contains(c, StringComparison.Ordinal)))
        {
            return arg;
        }
        return "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    private static void WriteJson(List<RuleRow> rows, RulePrecisionOptions options) => StoreAccess.WriteJson(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartObject("model");
        writer.WriteNumber("priorHits", options.PriorHits);
        writer.WriteNumber("priorMisses", options.PriorMisses);
        writer.WriteNumber("halfLifeDays", options.HalfLife.TotalDays);
        writer.WriteNumber("minimumSample", options.MinimumSample);
        writer.WriteNumber("suppressBelow", SuppressBelow);
        writer.WriteEndObject();
        writer.WriteStartArray("rules");
        foreach (var row in rows)
        {
            var estimate = row.Estimate;
            writer.WriteStartObject();
            writer.WriteString("ruleId", row.RuleId);
            writer.WriteString("title", row.Title);
            writer.WriteNumber("alerts", row.Alerts);
            writer.WriteNumber("open", row.Open);
            writer.WriteStartObject("verdicts");
            writer.WriteNumber("truePositive", estimate?.TruePositives ?? 0);
            writer.WriteNumber("benignPositive", estimate?.BenignPositives ?? 0);
            writer.WriteNumber("falsePositive", estimate?.FalsePositives ?? 0);
            writer.WriteEndObject();
            writer.WriteNumber("systemClosed", estimate?.SystemClosed ?? 0);
            writer.WriteNumber("weight", Math.Round(estimate?.Weight ?? 0, 3));
            if (estimate?.Part is { } part)
            {
                writer.WriteNumber("precision", Math.Round(estimate.Precision, 4));
                writer.WriteNumber("points", part.Points);
                writer.WriteString("reason", part.Reason);
            }
            else
            {
                writer.WriteNull("precision");
                writer.WriteNull("points");
                writer.WriteNull("reason");
            }
            writer.WriteString("suggestion", row.Suggestion);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static void WriteTable(List<RuleRow> rows, RulePrecisionOptions options)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("rule").AddColumn("title").AddColumn(new TableColumn("alerts").RightAligned()).AddColumn(new TableColumn("open").RightAligned())
            .AddColumn(new TableColumn("TP").RightAligned()).AddColumn(new TableColumn("BP").RightAligned()).AddColumn(new TableColumn("FP").RightAligned())
            .AddColumn(new TableColumn("system").RightAligned()).AddColumn(new TableColumn("precision").RightAligned()).AddColumn(new TableColumn("points").RightAligned());
        foreach (var row in rows)
        {
            var estimate = row.Estimate;
            var part = estimate?.Part;
            table.AddRow(
                new Text(row.RuleId),
                new Text(row.Title ?? "—"),
                new Text(row.Alerts.ToString("N0", CultureInfo.InvariantCulture)),
                new Text(row.Open.ToString("N0", CultureInfo.InvariantCulture)),
                new Text((estimate?.TruePositives ?? 0).ToString(CultureInfo.InvariantCulture)),
                new Text((estimate?.BenignPositives ?? 0).ToString(CultureInfo.InvariantCulture)),
                new Text((estimate?.FalsePositives ?? 0).ToString(CultureInfo.InvariantCulture)),
                new Text((estimate?.SystemClosed ?? 0).ToString(CultureInfo.InvariantCulture)),
                new Text(part is null ? "—" : estimate!.Precision.ToString("0.00", CultureInfo.InvariantCulture)),
                new Text(part is null ? "—" : part.Points.ToString("+0;-0;0", CultureInfo.InvariantCulture)));
        }
        AnsiConsole.Write(table);
        var footer = new StringBuilder();
        footer.Append(CultureInfo.InvariantCulture,
            $"Precision = P(an alert of the rule is a real attack), Beta({options.PriorHits:0.##}, {options.PriorMisses:0.##}) prior, ");
        footer.Append(CultureInfo.InvariantCulture,
            $"verdicts halve in weight every {options.HalfLife.TotalDays:0.#} days, shown from {options.MinimumSample:0.#} verdicts on; system closes are not learned from.");
        AnsiConsole.WriteLine(footer.ToString());
        foreach (var row in rows.Where(r => r.Suggestion is not null))
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]{row.RuleId}[/] is nearly always a false positive; consider: {row.Suggestion}");
        }
    }
}
