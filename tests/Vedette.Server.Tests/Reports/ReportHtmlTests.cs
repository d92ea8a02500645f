using Vedette.Domain;
using Vedette.Metrics;
using Vedette.Server.Reports;
using Vedette.Storage;

namespace Vedette.Server.Tests.Reports;

/// <summary>The HTML report writes what alerts carry — titles, rule ids, producers, tags — as text, never as markup.</summary>
public sealed class ReportHtmlTests
{
    private static readonly DateTimeOffset Day0 = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Values_from_alerts_are_encoded_everywhere_the_report_shows_them()
    {
        const string hostile = "<script>alert(1)</script>\"'&";
        var alerts = new[]
        {
            new AlertTiming(Guid.NewGuid(), "rule\"><img src=x onerror=alert(2)>", hostile, Severity.High, Day0.AddHours(1), Day0.AddHours(2),
                Day0.AddHours(3), Day0.AddHours(4), Verdict.FalsePositive, Source: "<b>edr</b>", AttackTags: "attack.credential-access attack.t1110"),
        };
        var report = SocReport.Compute(alerts, [], [], Day0, Day0.AddDays(1), Day0.AddDays(1));

        var html = ReportHtml.Render(report);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>edr", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;edr&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("data-technique=\"T1110\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_range_says_so_instead_of_drawing_empty_charts()
    {
        var html = ReportHtml.Render(SocReport.Compute([], [], [], Day0, Day0.AddDays(7), Day0.AddDays(7)));

        Assert.Contains("No alerts in this range.", html, StringComparison.Ordinal);
        Assert.Contains("No alert of this range carries an ATT&amp;CK technique tag.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
    }
}
