using Vedette.Domain;

namespace Vedette.Pipeline;

/// <summary>Normalized events of one line batch, and the alerts other tools sent among them.</summary>
internal sealed class EventBatch
{
    public List<Event> Events { get; } = [];

    public List<Alert> ExternalAlerts { get; } = [];
}

/// <summary>Alerts on their way through enrich and triage.</summary>
internal sealed class AlertBatch
{
    public List<Alert> Alerts { get; } = [];

    public List<AlertUpdate> Updates { get; } = [];

    public bool IsEmpty => Alerts.Count == 0 && Updates.Count == 0;
}
