using Vedette.Domain;
using Vedette.Storage;

namespace Vedette.Pipeline;

/// <summary>Normalized events of one line batch, and the alerts other tools sent among them.</summary>
internal sealed class EventBatch
{
    public List<Event> Events { get; } = [];

    public List<Alert> ExternalAlerts { get; } = [];

    public IBatchReceipt? Receipt { get; init; }
}

/// <summary>Alerts on their way through enrich and triage.</summary>
internal sealed class AlertBatch
{
    public List<Alert> Alerts { get; } = [];

    public List<AlertUpdate> Updates { get; } = [];

    /// <summary>Line batches whose detections travel in this batch (or that detected nothing, and are carried along).</summary>
    public List<IBatchReceipt> Receipts { get; } = [];

    public bool IsEmpty => Alerts.Count == 0 && Updates.Count == 0;
}

/// <summary>A store batch on its way to the store, with the receipts of the line batches it settles.</summary>
internal sealed record StoreWork(StoreBatch Batch, List<IBatchReceipt> Receipts);
