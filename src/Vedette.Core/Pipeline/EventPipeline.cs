using System.Diagnostics;
using System.Threading.Channels;
using Vedette.Detect;
using Vedette.Domain;
using Vedette.Enrich;
using Vedette.Ingest;
using Vedette.Respond;
using Vedette.Storage;
using Vedette.Triage;

namespace Vedette.Pipeline;

/// <summary>
/// ingest → normalize → detect → enrich → triage → store → respond, one task per stage, joined by bounded channels:
/// a slow stage makes the ones before it wait instead of growing memory. Each stage catches per record, reports the
/// record's reference and goes on. Stopping the intake lets everything already read drain through to the store.
/// </summary>
public sealed class EventPipeline
{
    private readonly RecordNormalizer _normalizer;
    private readonly IDetector _detector;
    private readonly IEnricher _enricher;
    private readonly ITriage _triage;
    private readonly IStore _store;
    private readonly IReadOnlyList<IResponder> _responders;
    private readonly ErrorReport _errors;
    private readonly PipelineOptions _options;
    private readonly RepeatFolder _repeats;
    private readonly ActiveSuppressions _suppressions;
    private long _updates;
    private long _suppressed;
    private long _incidentChanges;

    public EventPipeline(
        RecordNormalizer normalizer,
        IDetector detector,
        IEnricher enricher,
        ITriage triage,
        IStore store,
        IReadOnlyList<IResponder> responders,
        ErrorReport errors,
        PipelineOptions? options = null,
        ActiveSuppressions? suppressions = null)
    {
        _normalizer = normalizer;
        _detector = detector;
        _enricher = enricher;
        _triage = triage;
        _store = store;
        _responders = responders;
        _errors = errors;
        _options = options ?? new PipelineOptions();
        _repeats = new RepeatFolder(_options.RepeatGap);
        _suppressions = suppressions ?? new ActiveSuppressions();
    }

    public PipelineStats Stats { get; } = new();

    /// <summary>
    /// Runs the source to its end, or until <paramref name="stopIntake"/> fires; either way, whatever was read is
    /// detected, stored and responded to before the task completes.
    /// </summary>
    public async Task<PipelineResult> RunAsync(IEventSource source, CancellationToken stopIntake)
    {
        var clock = Stopwatch.StartNew();
        var lines = Bounded<LineBatch>(_options.LineBatchCapacity);
        var events = Bounded<EventBatch>(_options.BatchCapacity);
        var detected = Bounded<AlertBatch>(_options.BatchCapacity);
        var enriched = Bounded<AlertBatch>(_options.BatchCapacity);
        var triaged = Bounded<StoreWork>(_options.BatchCapacity);
        var stored = Bounded<StoreBatch>(_options.BatchCapacity);
        Stats.SetChannels(
        [
            Depth("normalize", lines, _options.LineBatchCapacity),
            Depth("detect", events, _options.BatchCapacity),
            Depth("enrich", detected, _options.BatchCapacity),
            Depth("triage", enriched, _options.BatchCapacity),
            Depth("store", triaged, _options.BatchCapacity),
            Depth("respond", stored, _options.BatchCapacity),
        ]);

        Task[] stages =
        [
            Task.Run(() => IngestAsync(source, lines.Writer, stopIntake), CancellationToken.None),
            Task.Run(() => NormalizeAsync(lines.Reader, events.Writer), CancellationToken.None),
            Task.Run(() => DetectAsync(events.Reader, detected.Writer), CancellationToken.None),
            Task.Run(() => EnrichAsync(detected.Reader, enriched.Writer), CancellationToken.None),
            Task.Run(() => TriageAsync(enriched.Reader, triaged.Writer), CancellationToken.None),
            Task.Run(() => StoreAsync(triaged.Reader, stored.Writer), CancellationToken.None),
            Task.Run(() => RespondAsync(stored.Reader), CancellationToken.None),
        ];
        await Task.WhenAll(stages);
        clock.Stop();
        return new PipelineResult(
            Stats.Ingest.Sent,
            Stats.Normalize.Sent,
            Stats.Detect.Sent,
            _updates,
            _incidentChanges,
            _errors.Count,
            clock.Elapsed)
        {
            Suppressed = Interlocked.Read(ref _suppressed),
        };
    }

    private static Channel<T> Bounded<T>(int capacity) =>
        Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    private static ChannelDepth Depth<T>(string stage, Channel<T> channel, int capacity) => new(stage, capacity, () => channel.Reader.Count);

    private async Task IngestAsync(IEventSource source, ChannelWriter<LineBatch> output, CancellationToken stopIntake)
    {
        try
        {
            await foreach (var batch in source.ReadAsync(_errors, stopIntake))
            {
                Stats.Ingest.AddReceived(batch.Count);
                Stats.AddBytes(batch.Bytes);
                try
                {
                    await output.WriteAsync(batch, stopIntake);
                }
                catch (OperationCanceledException)
                {
                    // Read but not yet handed on: hand it on anyway so that nothing read is lost, then stop.
                    await output.WriteAsync(batch, CancellationToken.None);
                    Stats.Ingest.AddSent(batch.Count);
                    throw;
                }
                Stats.Ingest.AddSent(batch.Count);
            }
        }
        catch (OperationCanceledException) when (stopIntake.IsCancellationRequested)
        {
            // Intake stopped on request; the later stages drain what was read.
        }
        catch (IOException ex)
        {
            _errors.Report(new RecordError(new RecordRef(source.Name, 0), "ingest", $"reading stopped: {ex.Message}"));
            Stats.Ingest.AddError();
        }
        finally
        {
            output.Complete();
        }
    }

    private async Task NormalizeAsync(ChannelReader<LineBatch> input, ChannelWriter<EventBatch> output)
    {
        try
        {
            await foreach (var lines in input.ReadAllAsync())
            {
                using (lines)
                {
                    Stats.Normalize.AddReceived(lines.Count);
                    var batch = new EventBatch { Receipt = lines.Receipt };
                    for (var i = 0; i < lines.Count; i++)
                    {
                        var reference = new RecordRef(lines.Origin, lines.LineNumber(i));
                        try
                        {
                            var record = _normalizer.Normalize(lines.Line(i), reference);
                            batch.Events.Add(record.Event);
                            if (record.ExternalAlert is { } alert)
                            {
                                batch.ExternalAlerts.Add(alert);
                            }
                        }
                        catch (Exception ex) when (ex is not OutOfMemoryException)
                        {
                            Fail(Stats.Normalize, reference, ex);
                            Stats.Normalize.AddDropped(DropReason.InvalidRecord);
                        }
                    }
                    Stats.Normalize.AddSent(batch.Events.Count);
                    await output.WriteAsync(batch);
                }
            }
        }
        finally
        {
            output.Complete();
        }
    }

    private async Task DetectAsync(ChannelReader<EventBatch> input, ChannelWriter<AlertBatch> output)
    {
        var found = new DetectionOutput();
        var receipts = new List<IBatchReceipt>();
        try
        {
            await foreach (var batch in input.ReadAllAsync())
            {
                if (batch.Receipt is { } receipt)
                {
                    receipts.Add(receipt);
                }
                Stats.Detect.AddReceived(batch.Events.Count);
                foreach (var e in batch.Events)
                {
                    try
                    {
                        _detector.Detect(e, found);
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        Fail(Stats.Detect, e.Ref, ex);
                    }
                }
                found.Alerts.AddRange(batch.ExternalAlerts);
                _repeats.Fold(found);
                await SendAsync(found, receipts, output);
            }
            _detector.Flush(found);
            _repeats.Flush(found);
            await SendAsync(found, receipts, output);
        }
        finally
        {
            output.Complete();
        }
    }

    private async Task SendAsync(DetectionOutput found, List<IBatchReceipt> receipts, ChannelWriter<AlertBatch> output)
    {
        // A batch that raised nothing still travels on when someone waits for it: its receipt must come from the store stage,
        // after every earlier batch's alerts, so that answers keep their order.
        if (found.Alerts.Count == 0 && found.Updates.Count == 0 && receipts.Count == 0)
        {
            return;
        }
        var batch = new AlertBatch();
        batch.Alerts.AddRange(found.Alerts);
        batch.Updates.AddRange(found.Updates);
        batch.Receipts.AddRange(receipts);
        Stats.Detect.AddSent(found.Alerts.Count);
        found.Clear();
        receipts.Clear();
        await output.WriteAsync(batch);
    }

    private async Task EnrichAsync(ChannelReader<AlertBatch> input, ChannelWriter<AlertBatch> output)
    {
        try
        {
            await foreach (var batch in input.ReadAllAsync())
            {
                Stats.Enrich.AddReceived(batch.Alerts.Count);
                foreach (var alert in batch.Alerts)
                {
                    try
                    {
                        _enricher.Enrich(alert);
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        // An alert that could not be enriched is still an alert: it goes on, unenriched, and the failure is reported.
                        Fail(Stats.Enrich, ReferenceOf(alert), ex);
                    }
                }
                Stats.Enrich.AddSent(batch.Alerts.Count);
                await output.WriteAsync(batch);
            }
        }
        finally
        {
            output.Complete();
        }
    }

    private async Task TriageAsync(ChannelReader<AlertBatch> input, ChannelWriter<StoreWork> output)
    {
        try
        {
            await foreach (var batch in input.ReadAllAsync())
            {
                Stats.Triage.AddReceived(batch.Alerts.Count);
                var store = new StoreBatch();
                var changed = new Dictionary<Guid, Incident>();
                var suppressions = _suppressions.Current;
                foreach (var alert in batch.Alerts)
                {
                    try
                    {
                        if (!Suppress(suppressions, alert))
                        {
                            var incident = _triage.Triage(alert);
                            changed[incident.Id] = incident;
                        }
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        // Stored without an incident rather than lost.
                        Fail(Stats.Triage, ReferenceOf(alert), ex);
                    }
                    store.NewAlerts.Add(alert);
                }
                // A suppressed alert's updates are stored (its count grows); triage never saw the alert and returns no incident.
                foreach (var update in batch.Updates)
                {
                    try
                    {
                        if (_triage.Update(update) is { } incident)
                        {
                            changed[incident.Id] = incident;
                        }
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        Fail(Stats.Triage, new RecordRef($"alert {update.AlertId}", 0), ex);
                    }
                    store.AlertUpdates.Add(update);
                }
                // The triage stage keeps mutating its incidents; the store gets copies.
                foreach (var incident in changed.Values)
                {
                    store.Incidents.Add(incident.Clone());
                }
                Interlocked.Add(ref _updates, batch.Updates.Count);
                Interlocked.Add(ref _incidentChanges, changed.Count);
                Stats.Triage.AddSent(store.NewAlerts.Count);
                await output.WriteAsync(new StoreWork(store, batch.Receipts));
            }
        }
        finally
        {
            output.Complete();
        }
    }

    /// <summary>
    /// A suppressed alert is scored, so that it still shows how it would have ranked, and kept out of the incidents.
    /// Expiry is judged at the alert's creation, which is when the clock says it was detected.
    /// </summary>
    private bool Suppress(SuppressionSet suppressions, Alert alert)
    {
        if (suppressions.Match(alert, alert.CreatedAt) is not { } suppression)
        {
            return false;
        }
        alert.SuppressedBy = suppression.Id;
        alert.Risk = RiskScorer.Score(alert);
        Interlocked.Increment(ref _suppressed);
        return true;
    }

    private async Task StoreAsync(ChannelReader<StoreWork> input, ChannelWriter<StoreBatch> output)
    {
        var receipts = new List<IBatchReceipt>();
        try
        {
            while (await input.WaitToReadAsync())
            {
                // Whatever queued up while the last write ran goes into one transaction.
                var batch = new StoreBatch();
                receipts.Clear();
                while (batch.NewAlerts.Count < 5_000 && input.TryRead(out var next))
                {
                    batch.NewAlerts.AddRange(next.Batch.NewAlerts);
                    batch.AlertUpdates.AddRange(next.Batch.AlertUpdates);
                    batch.Incidents.AddRange(next.Batch.Incidents);
                    receipts.AddRange(next.Receipts);
                }
                Coalesce(batch.Incidents);
                Stats.Store.AddReceived(batch.NewAlerts.Count);
                try
                {
                    await _store.WriteAsync(batch, CancellationToken.None);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    foreach (var alert in batch.NewAlerts)
                    {
                        Fail(Stats.Store, ReferenceOf(alert), ex);
                    }
                    Stats.Store.AddDropped(DropReason.StoreFailed, batch.NewAlerts.Count);
                    foreach (var receipt in receipts)
                    {
                        receipt.Failed(ex);
                    }
                    continue;
                }
                Stats.Store.AddSent(batch.NewAlerts.Count);
                foreach (var receipt in receipts)
                {
                    receipt.Stored();
                }
                await output.WriteAsync(batch);
            }
        }
        finally
        {
            output.Complete();
        }
    }

    private static void Coalesce(List<Incident> incidents)
    {
        // Later snapshots of the same incident supersede earlier ones within one transaction.
        var seen = new HashSet<Guid>();
        for (var i = incidents.Count - 1; i >= 0; i--)
        {
            if (!seen.Add(incidents[i].Id))
            {
                incidents.RemoveAt(i);
            }
        }
    }

    private async Task RespondAsync(ChannelReader<StoreBatch> input)
    {
        await foreach (var batch in input.ReadAllAsync())
        {
            Stats.Respond.AddReceived(batch.NewAlerts.Count);
            foreach (var responder in _responders)
            {
                try
                {
                    await responder.RespondAsync(batch, CancellationToken.None);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Fail(Stats.Respond, new RecordRef(responder.GetType().Name, 0), ex);
                }
            }
            Stats.Respond.AddSent(batch.NewAlerts.Count);
        }
    }

    private void Fail(StageCounters stage, RecordRef reference, Exception ex)
    {
        stage.AddError();
        _errors.Report(new RecordError(reference, stage.Stage, ex.Message));
    }

    private static RecordRef ReferenceOf(Alert alert) =>
        alert.Evidence.Count > 0 ? alert.Evidence[0].Ref : new RecordRef($"alert {alert.Id}", 0);
}
