using Vedette.Domain;
using Vedette.Metrics;
using Vedette.Storage;

namespace Vedette.Tests.Metrics;

public sealed class OpenIncidentAgesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);

    private static OpenIncident Created(DateTimeOffset at, Severity severity) => new(Guid.NewGuid(), severity, CaseStatus.New, at, at.AddMinutes(-5));

    [Fact]
    public void Incidents_are_counted_by_age_since_creation_each_bucket_holding_its_lower_bound()
    {
        var incidents = new[]
        {
            Created(Now.AddSeconds(-1), Severity.High),
            Created(Now.AddMinutes(5), Severity.Informational),
            Created(Now.AddHours(-1), Severity.High),
            Created(Now.AddHours(-4).AddSeconds(1), Severity.Medium),
            Created(Now.AddHours(-4), Severity.Critical),
            Created(Now.AddDays(-1), Severity.Low),
            Created(Now.AddDays(-7).AddSeconds(1), Severity.Low),
            Created(Now.AddDays(-7), Severity.High),
            Created(Now.AddDays(-300), Severity.High),
        };

        var ages = OpenIncidentAges.Of(incidents, Now);

        Assert.Equal(9, ages.Total);
        Assert.Equal(
            new[]
            {
                // informational, low, medium, high, critical
                new[] { 1, 0, 0, 1, 0 },
                new[] { 0, 0, 1, 1, 0 },
                new[] { 0, 0, 0, 0, 1 },
                new[] { 0, 2, 0, 0, 0 },
                new[] { 0, 0, 0, 2, 0 },
            },
            ages.Counts.Select(row => row.ToArray()));
        Assert.Equal(2, ages.Count(IncidentAge.OverSevenDays, Severity.High));
    }

    [Fact]
    public void No_open_incidents_give_zero_everywhere()
    {
        var ages = OpenIncidentAges.Of([], Now);

        Assert.Equal(0, ages.Total);
        Assert.All(ages.Counts, row => Assert.All(row, count => Assert.Equal(0, count)));
    }
}
