using System.Globalization;
using System.Text;
using Vedette.Domain;
using Vedette.Metrics;

namespace Vedette.Cli.Commands;

/// <summary>
/// CSV for spreadsheets (RFC 4180: comma, CRLF, quotes doubled). A text cell that a spreadsheet would run as a formula
/// (=, +, -, @, tab, CR first) gets a leading apostrophe: rule titles and assignees come from the data.
/// </summary>
internal sealed class CsvWriter(Stream output) : IDisposable
{
    private readonly StreamWriter _writer = new(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\r\n" };
    private bool _first = true;

    public CsvWriter Text(string? value)
    {
        Separate();
        if (string.IsNullOrEmpty(value))
        {
            return this;
        }
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0)
        {
            _writer.Write('"');
            _writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
            _writer.Write('"');
        }
        else
        {
            _writer.Write(value);
        }
        return this;
    }

    /// <summary>A number or a time the writer formats itself: never quoted, never prefixed.</summary>
    public CsvWriter Value(string? value)
    {
        Separate();
        _writer.Write(value);
        return this;
    }

    public CsvWriter Value(long value) => Value(value.ToString(CultureInfo.InvariantCulture));

    public CsvWriter Value(decimal value) => Value(value.ToString(CultureInfo.InvariantCulture));

    public CsvWriter Value(double? value) => Value(value?.ToString("R", CultureInfo.InvariantCulture));

    public CsvWriter Time(DateTimeOffset? value) => Value(value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));

    public void EndRow()
    {
        _writer.WriteLine();
        _first = true;
    }

    public void Row(params string[] cells)
    {
        foreach (var cell in cells)
        {
            Text(cell);
        }
        EndRow();
    }

    private void Separate()
    {
        if (!_first)
        {
            _writer.Write(',');
        }
        _first = false;
    }

    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();
}

/// <summary>The report's summary as CSV: one metric per row (metric,value); durations in seconds, rates as fractions of 1, empty when not measured.</summary>
internal static class ReportCsv
{
    public static void WriteSummary(SocReport report, Stream output)
    {
        using var csv = new CsvWriter(output);
        csv.Row("metric", "value");
        void Metric(string name, string? value) => csv.Text(name).Value(value).EndRow();
        void Count(string name, long value) => Metric(name, value.ToString(CultureInfo.InvariantCulture));
        void Rate(string name, double? value) => Metric(name, value?.ToString("R", CultureInfo.InvariantCulture));
        void Stats(string name, DurationStats stats)
        {
            Count(name + ".count", stats.Count);
            foreach (var (figure, value) in new[] { ("mean", stats.Mean), ("p50", stats.P50), ("p90", stats.P90), ("p99", stats.P99) })
            {
                Metric($"{name}.{figure}_seconds", ReportJson.Seconds(value).ToString(CultureInfo.InvariantCulture));
            }
        }
        Metric("from", report.From.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Metric("to", report.To.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Count("alerts", report.Alerts.Alerts);
        Stats("mttd", report.Alerts.TimeToDetect);
        Stats("mtta", report.Alerts.TimeToAcknowledge);
        Stats("mttr", report.Alerts.TimeToResolve);
        Count("incidents", report.Incidents.Incidents);
        Stats("incidents.mtta", report.Incidents.TimeToAcknowledge);
        Stats("incidents.mttr", report.Incidents.TimeToResolve);
        Count("closed_with_verdict", report.Alerts.ClosedWithVerdict);
        Count("true_positives", report.TruePositives);
        Count("benign_positives", report.BenignPositives);
        Count("false_positives", report.Alerts.FalsePositives);
        Rate("false_positive_rate", report.Alerts.FalsePositiveRate);
        Rate("precision", report.Precision);
        foreach (var severity in Enum.GetValues<Severity>())
        {
            Count($"volume.severity.{severity.ToName()}", report.Alerts.Volume.Sum(b => b.BySeverity[(int)severity]));
        }
        foreach (var source in report.BySource)
        {
            Count($"volume.source.{source.Name}", source.Count);
        }
        foreach (var tactic in report.ByTactic)
        {
            Count($"volume.tactic.{tactic.Name}", tactic.Count);
        }
        Count("sla.met", report.Incidents.Sla.Met);
        Count("sla.breached", report.Incidents.Sla.Breached);
        Count("sla.pending", report.Incidents.Sla.Pending);
        Rate("sla.compliance", report.Incidents.Sla.Compliance);
        Count("backlog.open", report.Backlog.Open);
        Count("backlog.overdue", report.Backlog.Overdue);
        Stats("backlog.age", report.Backlog.Age);
    }
}
