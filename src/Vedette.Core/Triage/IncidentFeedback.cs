using System.Collections.Concurrent;

namespace Vedette.Triage;

/// <summary>
/// What analysts changed outside the pipeline that the grouper must heed: an incident closed, merged or split through
/// the API or the command line takes no more alerts from the running pipeline (otherwise new alerts would join a
/// closed incident, or a merged one outside the queue, and the grouper's next snapshot would undo the regrouping).
/// Thread-safe: any request thread retires, the pipeline's triage stage applies what is queued before its next alert.
/// </summary>
public sealed class IncidentFeedback
{
    private readonly ConcurrentQueue<Guid> _retired = new();

    public void Retire(Guid incidentId) => _retired.Enqueue(incidentId);

    internal bool IsEmpty => _retired.IsEmpty;

    internal bool TryTake(out Guid incidentId) => _retired.TryDequeue(out incidentId);
}
