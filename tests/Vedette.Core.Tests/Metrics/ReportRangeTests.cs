using Vedette.Metrics;

namespace Vedette.Tests.Metrics;

public sealed class ReportRangeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Without_bounds_a_report_covers_the_last_30_days()
    {
        Assert.Equal(new ReportRange(Now.AddDays(-30), Now), ReportRange.Parse(null, null, Now));
    }

    [Theory]
    [InlineData("7d", null, "2026-11-22T12:30:00Z", "2026-11-29T12:30:00Z")]
    [InlineData("2w", "1d", "2026-11-15T12:30:00Z", "2026-11-28T12:30:00Z")]
    [InlineData("2026-11-01", "2026-11-02", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z")]
    [InlineData("2026-11-01T08:00:00+02:00", "now", "2026-11-01T06:00:00Z", "2026-11-29T12:30:00Z")]
    [InlineData("2026-11-01T08:00", "2026-11-01T09:00:00.5Z", "2026-11-01T08:00:00Z", "2026-11-01T09:00:00.5Z")]
    public void Bounds_are_durations_back_from_now_dates_or_times(string from, string? to, string expectedFrom, string expectedTo)
    {
        var range = ReportRange.Parse(from, to, Now);

        Assert.Equal((DateTimeOffset.Parse(expectedFrom, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(expectedTo, System.Globalization.CultureInfo.InvariantCulture)),
            (range.From, range.To));
    }

    [Theory]
    [InlineData("yesterday", null, "--from 'yesterday' is neither now")]
    [InlineData("2026-13-01", null, "--from '2026-13-01'")]
    [InlineData(null, "-5d", "--to '-5d'")]
    [InlineData("1d", "2d", "the range is empty")]
    [InlineData("2026-11-02", "2026-11-02", "the range is empty")]
    public void A_bad_bound_or_an_empty_range_is_an_error_that_says_which(string? from, string? to, string message)
    {
        var error = Assert.Throws<FormatException>(() => ReportRange.Parse(from, to, Now));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
