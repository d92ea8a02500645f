using Vedette.Detect;
using Vedette.Detection;
using Vedette.Domain;
using Vedette.Ingest;
using Vedette.Pipeline;

namespace Vedette.Cli.Commands;

/// <summary>
/// One hunt (run once): every record of a source normalized and run through the Sigma detector on one thread, in record order,
/// then the detector flushed. Keeps the detections at or above the minimum level, with later updates (correlation
/// episodes growing) folded into them. Records that fail are reported with their file and line, and the hunt goes on.
/// </summary>
internal sealed class HuntRun(RuleSet rules, Severity minLevel, TimeProvider time)
{
    // Each record is detected on before the next is read; correlations retain what they keep.
    private readonly RecordNormalizer _normalizer = new(time, reuseBuffers: true);
    private readonly SigmaDetector _detector = new(rules, time);
    private readonly DetectionOutput _output = new();
    private readonly List<Alert> _detections = [];
    private readonly Dictionary<Guid, Alert> _byId = [];
    private long _events;

    public ErrorReport Errors { get; } = new();

    /// <summary>Events normalized and run through the rules so far (read from the progress bar's thread).</summary>
    public long Events => Interlocked.Read(ref _events);

    public IReadOnlyList<Alert> Detections => _detections;

    public async Task RunAsync(IEventSource source, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var batch in source.ReadAsync(Errors, cancellationToken))
            {
                using (batch)
                {
                    for (var i = 0; i < batch.Count; i++)
                    {
                        Examine(batch, i);
                    }
                }
            }
        }
        finally
        {
            // Stopped early or not, what the correlations hold open is closed into detections.
            _detector.Flush(_output);
            Collect();
        }
    }

    /// <summary>One record: normalized, then detected on; a failure of either is reported with the record's file and line.</summary>
    private void Examine(LineBatch batch, int index)
    {
        var reference = new RecordRef(batch.Origin, batch.LineNumber(index));
        Event e;
        try
        {
            e = _normalizer.Normalize(batch.Line(index), reference).Event;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Errors.Report(new RecordError(reference, "normalize", ex.Message));
            return;
        }
        try
        {
            _detector.Detect(e, _output);
            Interlocked.Increment(ref _events);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Errors.Report(new RecordError(reference, "detect", ex.Message));
        }
        Collect();
    }

    private void Collect()
    {
        foreach (var alert in _output.Alerts)
        {
            if (alert.Severity >= minLevel)
            {
                _detections.Add(alert);
                _byId[alert.Id] = alert;
            }
        }
        foreach (var update in _output.Updates)
        {
            if (_byId.TryGetValue(update.AlertId, out var alert))
            {
                alert.EventCount = update.EventCount;
                alert.LastSeen = update.LastSeen > alert.LastSeen ? update.LastSeen : alert.LastSeen;
                alert.Evidence.AddRange(update.NewEvidence);
            }
        }
        _output.Clear();
    }
}
