using Vedette.Domain;
using Vedette.Storage;

namespace Vedette.Metrics;

/// <summary>How long an open incident has been open (since Vedette created it); each bucket holds its lower bound, not its upper.</summary>
public enum IncidentAge
{
    /// <summary>Under an hour.</summary>
    UnderOneHour = 0,

    /// <summary>One hour to under four.</summary>
    OneToFourHours = 1,

    /// <summary>Four hours to under a day.</summary>
    FourHoursToOneDay = 2,

    /// <summary>One day to under seven.</summary>
    OneToSevenDays = 3,

    /// <summary>Seven days or more.</summary>
    OverSevenDays = 4,
}

/// <summary>Open incidents counted by age bucket and severity: <c>Counts[(int)age][(int)severity]</c>.</summary>
public sealed record OpenIncidentAges(int Total, IReadOnlyList<IReadOnlyList<int>> Counts)
{
    public static readonly IReadOnlyList<IncidentAge> Ages = Enum.GetValues<IncidentAge>();

    public int Count(IncidentAge age, Severity severity) => Counts[(int)age][(int)severity];

    public static IncidentAge AgeOf(TimeSpan age) => age switch
    {
        _ when age < TimeSpan.FromHours(1) => IncidentAge.UnderOneHour,
        _ when age < TimeSpan.FromHours(4) => IncidentAge.OneToFourHours,
        _ when age < TimeSpan.FromDays(1) => IncidentAge.FourHoursToOneDay,
        _ when age < TimeSpan.FromDays(7) => IncidentAge.OneToSevenDays,
        _ => IncidentAge.OverSevenDays,
    };

    /// <summary>Counts the incidents by their age at <paramref name="now"/>; one created after now (clock skew) is counted as new.</summary>
    public static OpenIncidentAges Of(IReadOnlyList<OpenIncident> incidents, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        var severities = Enum.GetValues<Severity>().Length;
        var counts = new int[Ages.Count][];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = new int[severities];
        }
        foreach (var incident in incidents)
        {
            counts[(int)AgeOf(now - incident.CreatedAt)][(int)incident.Severity]++;
        }
        return new OpenIncidentAges(incidents.Count, counts);
    }
}
