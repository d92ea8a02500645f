using Vedette.Domain;
using Vedette.Storage;

namespace Vedette.Metrics;

/// <summary>
/// How many incidents met their SLA. An incident's SLA runs out at its due time (created + its severity's time to
/// respond); it is met when the incident was first acknowledged or closed, whichever came first, at or before that
/// time; breached when that came later, or has not come and the due time is past; pending while neither.
/// </summary>
public sealed record SlaFigures(int Met, int Breached, int Pending)
{
    public int Incidents => Met + Breached + Pending;

    /// <summary>Met among those decided (met or breached); null while none is.</summary>
    public double? Compliance => Met + Breached == 0 ? null : (double)Met / (Met + Breached);
}

/// <summary>
/// The figures of the incidents created in a range: time to acknowledge (created → first acknowledged), time to
/// resolve (created → closed), and SLA compliance overall and per severity (<c>SlaBySeverity[(int)severity]</c>).
/// </summary>
public sealed record IncidentKpis(int Incidents, DurationStats TimeToAcknowledge, DurationStats TimeToResolve, SlaFigures Sla, IReadOnlyList<SlaFigures> SlaBySeverity)
{
    /// <summary>The figures as of <paramref name="now"/>, which decides whether an incident nobody answered is breached or pending.</summary>
    public static IncidentKpis Compute(IReadOnlyList<IncidentTiming> incidents, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        var acknowledge = new long[incidents.Count];
        var resolve = new long[incidents.Count];
        int acknowledged = 0, resolved = 0;
        var severities = Enum.GetValues<Severity>().Length;
        var met = new int[severities];
        var breached = new int[severities];
        var pending = new int[severities];
        foreach (var incident in incidents)
        {
            var created = incident.CreatedAt.UtcTicks;
            if (incident.AcknowledgedAt is { } ack)
            {
                acknowledge[acknowledged++] = Math.Max(0, ack.UtcTicks - created);
            }
            if (incident.ClosedAt is { } closed)
            {
                resolve[resolved++] = Math.Max(0, closed.UtcTicks - created);
            }
            var severity = (int)incident.Severity;
            switch (Answered(incident))
            {
                case { } answered when answered <= incident.DueAt:
                    met[severity]++;
                    break;
                case not null:
                    breached[severity]++;
                    break;
                case null when incident.DueAt < now:
                    breached[severity]++;
                    break;
                default:
                    pending[severity]++;
                    break;
            }
        }
        var bySeverity = new SlaFigures[severities];
        for (var i = 0; i < severities; i++)
        {
            bySeverity[i] = new SlaFigures(met[i], breached[i], pending[i]);
        }
        return new IncidentKpis(incidents.Count, DurationStats.Of(acknowledge, acknowledged), DurationStats.Of(resolve, resolved),
            new SlaFigures(met.Sum(), breached.Sum(), pending.Sum()), bySeverity);
    }

    /// <summary>The first answer to an incident: its acknowledgement, or its close when it was closed without one first.</summary>
    public static DateTimeOffset? Answered(IncidentTiming incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return (incident.AcknowledgedAt, incident.ClosedAt) switch
        {
            ({ } ack, { } closed) => ack <= closed ? ack : closed,
            ({ } ack, null) => ack,
            (null, { } closed) => closed,
            _ => null,
        };
    }
}

/// <summary>
/// The open incidents now: how many, by severity and status, how many are past their due time, how long they have been
/// open (count, mean, percentiles) and in which age buckets.
/// </summary>
public sealed record Backlog(int Open, IReadOnlyList<int> BySeverity, IReadOnlyList<int> ByStatus, int Overdue, DurationStats Age, OpenIncidentAges Ages)
{
    public static Backlog Of(IReadOnlyList<OpenIncident> incidents, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        var bySeverity = new int[Enum.GetValues<Severity>().Length];
        var byStatus = new int[Enum.GetValues<CaseStatus>().Length];
        var ages = new long[incidents.Count];
        var overdue = 0;
        for (var i = 0; i < incidents.Count; i++)
        {
            var incident = incidents[i];
            bySeverity[(int)incident.Severity]++;
            byStatus[(int)incident.Status]++;
            ages[i] = Math.Max(0, now.UtcTicks - incident.CreatedAt.UtcTicks);
            if (incident.DueAt is { } due && due < now)
            {
                overdue++;
            }
        }
        return new Backlog(incidents.Count, bySeverity, byStatus, overdue, DurationStats.Of(ages, ages.Length), OpenIncidentAges.Of(incidents, now));
    }
}
