using System.Text.Json;
using Vedette.Domain;
using Vedette.Metrics;
using Vedette.Serialization;

namespace Vedette.Cli.Commands;

/// <summary>
/// The report as JSON: durations in seconds, exact to the tick (a decimal, never a rounded float), rates as fractions
/// of 1 (null when nothing was measured), severities and verdicts by name.
/// </summary>
internal static class ReportJson
{
    public static void Write(SocReport report, Stream output)
    {
        using var writer = new Utf8JsonWriter(output, DomainJson.WriterOptions(indented: true));
        var alerts = report.Alerts;
        writer.WriteStartObject();
        writer.WriteString("from", report.From);
        writer.WriteString("to", report.To);
        writer.WriteString("generatedAt", report.GeneratedAt);
        writer.WriteNumber("alerts", alerts.Alerts);
        Stats(writer, "mttd", alerts.TimeToDetect);
        Stats(writer, "mtta", alerts.TimeToAcknowledge);
        Stats(writer, "mttr", alerts.TimeToResolve);
        writer.WriteStartObject("incidents");
        writer.WriteNumber("count", report.Incidents.Incidents);
        Stats(writer, "mtta", report.Incidents.TimeToAcknowledge);
        Stats(writer, "mttr", report.Incidents.TimeToResolve);
        writer.WriteEndObject();
        writer.WriteNumber("closedWithVerdict", alerts.ClosedWithVerdict);
        writer.WriteNumber("truePositives", report.TruePositives);
        writer.WriteNumber("benignPositives", report.BenignPositives);
        writer.WriteNumber("falsePositives", alerts.FalsePositives);
        Rate(writer, "falsePositiveRate", alerts.FalsePositiveRate);
        Rate(writer, "precision", report.Precision);
        writer.WriteStartArray("rules");
        foreach (var rule in report.Rules)
        {
            writer.WriteStartObject();
            writer.WriteString("ruleId", rule.RuleId);
            writer.WriteString("title", rule.Title);
            writer.WriteNumber("alerts", rule.Alerts);
            writer.WriteNumber("truePositives", rule.TruePositives);
            writer.WriteNumber("falsePositives", rule.FalsePositives);
            writer.WriteNumber("benignPositives", rule.BenignPositives);
            Rate(writer, "precision", rule.Precision);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        WriteVolume(writer, report);
        WriteAttack(writer, report);
        WriteSla(writer, report.Incidents);
        WriteBacklog(writer, report.Backlog);
        writer.WriteEndObject();
        writer.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void WriteVolume(Utf8JsonWriter writer, SocReport report)
    {
        writer.WriteStartObject("volume");
        BySeverity(writer, s => report.Alerts.Volume.Sum(b => b.BySeverity[(int)s]));
        Counts(writer, "bySource", report.BySource);
        writer.WriteStartObject("byRule");
        foreach (var rule in report.Rules)
        {
            writer.WriteNumber(rule.RuleId, rule.Alerts);
        }
        writer.WriteEndObject();
        Counts(writer, "byTactic", report.ByTactic);
        writer.WriteNumber("bucketSeconds", (long)report.Alerts.Window.Bucket.TotalSeconds);
        writer.WriteStartArray("overTime");
        for (var i = 0; i < report.Alerts.Volume.Count; i++)
        {
            var bucket = report.Alerts.Volume[i];
            writer.WriteStartObject();
            writer.WriteString("start", bucket.Start);
            writer.WriteNumber("alerts", bucket.Total);
            BySeverity(writer, s => bucket.BySeverity[(int)s]);
            Stats(writer, "mttd", report.Trend[i].TimeToDetect);
            Stats(writer, "mttr", report.Trend[i].TimeToResolve);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteAttack(Utf8JsonWriter writer, SocReport report)
    {
        writer.WriteStartArray("techniques");
        foreach (var technique in report.Techniques)
        {
            writer.WriteStartObject();
            writer.WriteString("id", technique.Id);
            Strings(writer, "tactics", technique.Tactics);
            writer.WriteNumber("alerts", technique.Alerts);
            Strings(writer, "rules", technique.RuleIds);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WriteSla(Utf8JsonWriter writer, IncidentKpis incidents)
    {
        writer.WriteStartObject("sla");
        Sla(writer, incidents.Sla);
        writer.WriteStartObject("bySeverity");
        foreach (var severity in Enum.GetValues<Severity>())
        {
            writer.WriteStartObject(severity.ToName());
            Sla(writer, incidents.SlaBySeverity[(int)severity]);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void Sla(Utf8JsonWriter writer, SlaFigures sla)
    {
        writer.WriteNumber("incidents", sla.Incidents);
        writer.WriteNumber("met", sla.Met);
        writer.WriteNumber("breached", sla.Breached);
        writer.WriteNumber("pending", sla.Pending);
        Rate(writer, "compliance", sla.Compliance);
    }

    private static void WriteBacklog(Utf8JsonWriter writer, Backlog backlog)
    {
        writer.WriteStartObject("backlog");
        writer.WriteNumber("open", backlog.Open);
        writer.WriteNumber("overdue", backlog.Overdue);
        BySeverity(writer, s => backlog.BySeverity[(int)s]);
        writer.WriteStartObject("byStatus");
        foreach (var status in Enum.GetValues<CaseStatus>().Where(s => s != CaseStatus.Closed))
        {
            writer.WriteNumber(LifecycleNames.ToName(status), backlog.ByStatus[(int)status]);
        }
        writer.WriteEndObject();
        Stats(writer, "age", backlog.Age);
        writer.WriteStartObject("byAge");
        foreach (var age in OpenIncidentAges.Ages)
        {
            writer.WriteNumber(AgeName(age), Enum.GetValues<Severity>().Sum(s => backlog.Ages.Count(age, s)));
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The age buckets by their lower bound: "1h" holds one hour to under four.</summary>
    public static string AgeName(IncidentAge age) => age switch
    {
        IncidentAge.UnderOneHour => "0h",
        IncidentAge.OneToFourHours => "1h",
        IncidentAge.FourHoursToOneDay => "4h",
        IncidentAge.OneToSevenDays => "1d",
        IncidentAge.OverSevenDays => "7d",
        _ => throw new ArgumentOutOfRangeException(nameof(age), age, null),
    };

    private static void Strings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }

    private static void BySeverity(Utf8JsonWriter writer, Func<Severity, int> count)
    {
        writer.WriteStartObject("bySeverity");
        foreach (var severity in Enum.GetValues<Severity>())
        {
            writer.WriteNumber(severity.ToName(), count(severity));
        }
        writer.WriteEndObject();
    }

    private static void Counts(Utf8JsonWriter writer, string name, IReadOnlyList<NamedCount> counts)
    {
        writer.WriteStartObject(name);
        foreach (var count in counts)
        {
            writer.WriteNumber(count.Name, count.Count);
        }
        writer.WriteEndObject();
    }

    private static void Stats(Utf8JsonWriter writer, string name, DurationStats stats)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("count", stats.Count);
        writer.WriteNumber("mean", Seconds(stats.Mean));
        writer.WriteNumber("p50", Seconds(stats.P50));
        writer.WriteNumber("p90", Seconds(stats.P90));
        writer.WriteNumber("p99", Seconds(stats.P99));
        writer.WriteEndObject();
    }

    private static void Rate(Utf8JsonWriter writer, string name, double? rate)
    {
        if (rate is { } value)
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>Every tick: the seconds read back equal the duration computed.</summary>
    public static decimal Seconds(TimeSpan value) => (decimal)value.Ticks / TimeSpan.TicksPerSecond;
}
