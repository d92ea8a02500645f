using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Vedette.Cli.Output;
using Vedette.Detection.Attack;
using Vedette.Domain;

namespace Vedette.Cli.Commands;

/// <summary>One rule's share of a hunt.</summary>
internal sealed record HuntRuleCount(string RuleId, string Title, Severity Level, IReadOnlyList<string> Tags, int Count);

/// <summary>What `vedette hunt` prints: the detections and a summary per rule, as a table, JSON or CSV.</summary>
internal static class HuntReport
{
    private const int TableRows = 100;

    public static IReadOnlyList<HuntRuleCount> Summary(IReadOnlyList<Alert> detections) =>
        [.. detections.GroupBy(a => a.RuleId, StringComparer.Ordinal)
            .Select(g => new HuntRuleCount(g.Key, g.First().Title, g.First().Severity, g.First().Tags, g.Count()))
            .OrderByDescending(r => r.Count)
            .ThenBy(r => r.RuleId, StringComparer.Ordinal)];

    /// <summary>{"detections": [...], "summary": [...], "events": N, "errors": N}.</summary>
    public static void Json(HuntRun hunt, AttackCatalog? catalog) => StoreAccess.WriteJson(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("detections");
        foreach (var alert in hunt.Detections)
        {
            WriteDetection(writer, alert);
        }
        writer.WriteEndArray();
        writer.WriteStartArray("summary");
        foreach (var rule in Summary(hunt.Detections))
        {
            writer.WriteStartObject();
            writer.WriteString("ruleId", rule.RuleId);
            writer.WriteString("title", rule.Title);
            writer.WriteString("level", rule.Level.ToName());
            writer.WriteNumber("count", rule.Count);
            RulesAttack.WriteTechniques(writer, rule.Tags, catalog);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteNumber("events", hunt.Events);
        writer.WriteNumber("errors", hunt.Errors.Count);
        writer.WriteEndObject();
    });

    /// <summary>One row per detection, RFC 4180 quoting; group-by values as field=value;..., tags joined with ';'.</summary>
    public static void Csv(HuntRun hunt)
    {
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
        stdout.WriteLine("timestamp,level,ruleId,title,source,groupBy,eventCount,tags");
        foreach (var alert in hunt.Detections)
        {
            string[] cells =
            [
                Time(alert.LastSeen),
                alert.Severity.ToName(),
                alert.RuleId,
                alert.Title,
                Source(alert),
                string.Join(';', alert.GroupBy.Select(g => $"{g.Key}={g.Value}")),
                alert.EventCount.ToString(CultureInfo.InvariantCulture),
                string.Join(';', alert.Tags),
            ];
            stdout.WriteLine(string.Join(',', cells.Select(Quote)));
        }
    }

    public static void Table(HuntRun hunt, AttackCatalog? catalog, TimeSpan elapsed)
    {
        if (hunt.Detections.Count > 0)
        {
            var detections = new Table().Border(TableBorder.Rounded)
                .AddColumn("time (UTC)").AddColumn("level").AddColumn("detection").AddColumn("events").AddColumn("group").AddColumn("source");
            foreach (var alert in hunt.Detections.Take(TableRows))
            {
                detections.AddRow(
                    new Text(alert.LastSeen.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
                    Tables.Severity(alert.Severity),
                    new Text(alert.Title),
                    new Text(alert.EventCount.ToString(CultureInfo.InvariantCulture)),
                    new Text(string.Join(", ", alert.GroupBy.Select(g => $"{g.Key}={g.Value}"))),
                    new Text(Source(alert)));
            }
            AnsiConsole.Write(detections);
            if (hunt.Detections.Count > TableRows)
            {
                AnsiConsole.MarkupLineInterpolated($"... and {hunt.Detections.Count - TableRows:N0} more detections: --format json or csv lists them all.");
            }
            var summary = new Table().Border(TableBorder.Rounded)
                .AddColumn("rule").AddColumn("level").AddColumn("detections").AddColumn("ATT&CK").AddColumn("id");
            foreach (var rule in Summary(hunt.Detections))
            {
                summary.AddRow(
                    new Text(rule.Title),
                    Tables.Severity(rule.Level),
                    new Text(rule.Count.ToString("N0", CultureInfo.InvariantCulture)),
                    new Text(RulesAttack.Describe(rule.Tags, catalog)),
                    new Text(rule.RuleId));
            }
            AnsiConsole.Write(summary);
        }
        var rules = hunt.Detections.Select(a => a.RuleId).Distinct(StringComparer.Ordinal).Count();
        AnsiConsole.MarkupLineInterpolated(
            $"{hunt.Detections.Count:N0} detections by {rules:N0} rules in {hunt.Events:N0} events, {hunt.Errors.Count:N0} errors, {elapsed.TotalSeconds:0.00} s.");
    }

    /// <summary>"file:line" of the last event kept as evidence (a correlation keeps its first events, up to a cap).</summary>
    private static string Source(Alert alert) => alert.Evidence.Count > 0 ? alert.Evidence[^1].Ref.ToString() : "";

    private static void WriteDetection(Utf8JsonWriter writer, Alert alert)
    {
        writer.WriteStartObject();
        writer.WriteString("ruleId", alert.RuleId);
        writer.WriteString("title", alert.Title);
        writer.WriteString("level", alert.Severity.ToName());
        writer.WriteStartArray("tags");
        foreach (var tag in alert.Tags)
        {
            writer.WriteStringValue(tag);
        }
        writer.WriteEndArray();
        writer.WriteString("timestamp", Time(alert.LastSeen));
        writer.WriteNumber("eventCount", alert.EventCount);
        writer.WriteStartObject("groupBy");
        foreach (var (field, value) in alert.GroupBy)
        {
            writer.WriteString(field, value);
        }
        writer.WriteEndObject();
        writer.WriteString("source", Source(alert));
        writer.WritePropertyName("fields");
        if (alert.Evidence.Count > 0)
        {
            writer.WriteRawValue(alert.Evidence[^1].Json);
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") < 0 ? cell : $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
