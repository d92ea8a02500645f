namespace Vedette.Tests.Correlation;

public sealed class MetricTests
{
    private static string Metric(string type, string condition) => $$"""
        title: Bytes out
        id: 20000000-0000-4000-8000-000000000020
        correlation:
          type: {{type}}
          rules: [connection]
          group-by: [User]
          timespan: 1m
          condition: {{condition}}
        """;

    private static CorrelationRun Connections(string yaml, params double[] bytes)
    {
        var run = new CorrelationRun(yaml);
        for (var i = 0; i < bytes.Length; i++)
        {
            run.Connection(i, bytes[i]);
        }
        return run;
    }

    [Fact]
    public void A_sum_over_the_limit_raises_an_alert_as_soon_as_it_is_crossed()
    {
        var run = Connections(Metric("value_sum", "{field: BytesOut, gt: 1000}"), 600, 500);

        var alert = Assert.Single(run.Alerts);
        Assert.Equal(2, alert.EventCount);
        Assert.Equal("bob", alert.GroupBy["User"]);
        Assert.Equal("a sum of 1100 BytesOut over 2 events for User=bob within 00:01:00 (condition > 1000).", alert.Description);
    }

    [Fact]
    public void A_sum_at_the_limit_is_not_over_it()
    {
        var run = Connections(Metric("value_sum", "{field: BytesOut, gt: 1000}"), 600, 400).Flush();

        Assert.Empty(run.Alerts);
    }

    [Fact]
    public void Values_older_than_the_timespan_leave_the_sum()
    {
        var run = new CorrelationRun(Metric("value_sum", "{field: BytesOut, gt: 1000}")).Connection(0, 600).Connection(60.5, 500).Flush();

        Assert.Empty(run.Alerts);
    }

    [Fact]
    public void A_value_that_is_not_a_number_is_not_summed_but_is_reported()
    {
        var run = new CorrelationRun(Metric("value_sum", "{field: BytesOut, gt: 1000}"))
            .At(0, 5156, "\"User\":\"bob\",\"BytesOut\":\"lots\"").Connection(1, 900).Flush();

        Assert.Empty(run.Alerts);
        Assert.Equal(1, run.Counters.EventsWithoutFields);
    }

    [Fact]
    public void A_sum_under_a_limit_is_decided_when_the_window_closes()
    {
        var run = Connections(Metric("value_sum", "{field: BytesOut, lt: 100}"), 40, 50);
        Assert.Empty(run.Alerts);

        run.Tick(121);
        Assert.StartsWith("a sum of 90 BytesOut over 2 events for User=bob in the 00:01:00 window", Assert.Single(run.Alerts).Description, StringComparison.Ordinal);
    }

    [Fact]
    public void An_average_over_the_limit_raises_an_alert_when_the_window_closes()
    {
        var run = Connections(Metric("value_avg", "{field: BytesOut, gt: 500}"), 400, 700);
        Assert.Empty(run.Alerts);

        run.Tick(121);
        var alert = Assert.Single(run.Alerts);
        Assert.Equal("an average BytesOut of 550 over 2 events for User=bob in the 00:01:00 window from 2026-11-02 09:00:00Z (condition > 500).", alert.Description);
    }

    [Fact]
    public void An_average_under_the_limit_raises_nothing_even_when_one_value_is_over_it()
    {
        var run = Connections(Metric("value_avg", "{field: BytesOut, gt: 500}"), 400, 900, 100).Flush();

        Assert.Empty(run.Alerts);
    }

    [Theory]
    [InlineData("gte: 900", true)]
    [InlineData("gte: 950", false)]
    [InlineData("lt: 911", true)]
    public void A_percentile_is_interpolated_between_the_nearest_ranks(string bound, bool hit)
    {
        // The 90th percentile of 100, 200, ... 1000 is 910.
        var run = Connections(Metric("value_percentile", $"{{field: BytesOut, percentile: 90, {bound}}}"), 500, 100, 1000, 300, 200, 900, 400, 800, 700, 600).Flush();

        Assert.Equal(hit ? 1 : 0, run.Alerts.Count);
    }

    [Fact]
    public void A_percentile_alert_says_which_percentile_it_took()
    {
        var run = Connections(Metric("value_percentile", "{field: BytesOut, percentile: 90, gte: 900}"), 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000).Flush();

        Assert.StartsWith("a 90th percentile BytesOut of 910 over 10 events for User=bob", Assert.Single(run.Alerts).Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_percentile_condition_without_a_percentile_takes_the_median()
    {
        var run = Connections(Metric("value_percentile", "{field: BytesOut, eq: 2}"), 3, 1, 2).Flush();

        Assert.Single(run.Alerts);
    }

    [Theory]
    [InlineData(new double[] { 50, 60, 5000 }, true)]
    [InlineData(new double[] { 50, 5000, 6000 }, false)]
    [InlineData(new double[] { 40, 60, 80, 5000 }, true)]
    public void A_median_resists_outliers_where_an_average_would_not(double[] bytes, bool hit)
    {
        var run = Connections(Metric("value_median", "{field: BytesOut, lte: 100}"), bytes).Flush();

        Assert.Equal(hit ? 1 : 0, run.Alerts.Count);
    }

    [Fact]
    public void Repeated_values_weigh_as_often_as_they_occur_in_a_percentile()
    {
        // Eight times 10 and twice 1000: the median is 10 however the repeats are stored.
        var run = Connections(Metric("value_median", "{field: BytesOut, eq: 10}"), 10, 10, 10, 1000, 10, 10, 10, 10, 1000, 10).Flush();

        Assert.Equal(10, Assert.Single(run.Alerts).EventCount);
    }
}
