namespace Vedette.Pipeline;

/// <summary>Sizes of the bounded channels between stages: how far a fast stage may run ahead of a slow one.</summary>
public sealed record PipelineOptions
{
    /// <summary>Batches of raw lines waiting to be normalized.</summary>
    public int LineBatchCapacity { get; init; } = 8;

    /// <summary>Batches of events (or alerts) waiting at each later stage.</summary>
    public int BatchCapacity { get; init; } = 8;

    /// <summary>Repeats of one rule on one entity closer together than this fold into one alert.</summary>
    public TimeSpan RepeatGap { get; init; } = Detect.RepeatFolder.DefaultGap;
}

/// <summary>What one run of the pipeline did.</summary>
public sealed record PipelineResult(
    long Lines,
    long Events,
    long Alerts,
    long AlertUpdates,
    long IncidentChanges,
    long Errors,
    TimeSpan Elapsed)
{
    public double EventsPerSecond => Elapsed.TotalSeconds > 0 ? Events / Elapsed.TotalSeconds : 0;

    /// <summary>Of <see cref="Alerts"/>, those a suppression silenced: stored, but in no incident.</summary>
    public long Suppressed { get; init; }
}
