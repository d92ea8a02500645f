using Vedette.Domain;

namespace Vedette.Detect;

/// <summary>
/// Turns events into alerts. Detectors may keep state across events (correlation windows), so the pipeline feeds
/// each one from a single thread, in event order.
/// </summary>
public interface IDetector
{
    void Detect(Event e, DetectionOutput output);

    /// <summary>No more events are coming: close whatever is still open (correlation episodes) into the output.</summary>
    void Flush(DetectionOutput output);
}

/// <summary>What detectors produced for one batch of events.</summary>
public sealed class DetectionOutput
{
    public List<Alert> Alerts { get; } = [];

    public List<AlertUpdate> Updates { get; } = [];

    public void Clear()
    {
        Alerts.Clear();
        Updates.Clear();
    }
}

/// <summary>Runs several detectors as one, in order.</summary>
public sealed class CompositeDetector(IReadOnlyList<IDetector> detectors) : IDetector
{
    public void Detect(Event e, DetectionOutput output)
    {
        foreach (var detector in detectors)
        {
            detector.Detect(e, output);
        }
    }

    public void Flush(DetectionOutput output)
    {
        foreach (var detector in detectors)
        {
            detector.Flush(output);
        }
    }
}
