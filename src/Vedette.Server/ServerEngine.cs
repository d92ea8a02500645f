using System.Collections.Concurrent;
using Vedette.Detection;
using Vedette.Enrich.Intel;
using Vedette.Identity;
using Vedette.Ingest;
using Vedette.Pipeline;
using Vedette.Server.Ingest;
using Vedette.Storage;
using Vedette.Triage;

namespace Vedette.Server;

/// <summary>
/// The engine parts the server runs on, built and owned by the composition root (`vedette serve`, or a test): the
/// server hosts them, it does not create or dispose them.
/// </summary>
public sealed class ServerEngine
{
    public required IStore Store { get; init; }

    public required IIdentityStore Identity { get; init; }

    public required EventPipeline Pipeline { get; init; }

    public required LineReader Lines { get; init; }

    public required RuleSet Rules { get; init; }

    public required IntelService Intel { get; init; }

    public required ActiveSuppressions Suppressions { get; init; }

    /// <summary>Closes, merges and splits made through the API go here, so the running grouper adds no alerts to those incidents.</summary>
    public required IncidentFeedback Feedback { get; init; }

    /// <summary>Where the pipeline's per-record errors go; must be the one the pipeline's error report calls.</summary>
    public required RecordErrorRouter Errors { get; init; }
}

/// <summary>
/// Sends each record error the pipeline reports to the request whose lines it concerns (by the batch origin), so that
/// a client learns which of its lines failed and why. Errors of no open request go to the fallback (the log).
/// </summary>
public sealed class RecordErrorRouter
{
    private readonly ConcurrentDictionary<string, IngestReceipt> _open = new(StringComparer.Ordinal);

    /// <summary>Called for errors no request waits for.</summary>
    public Action<RecordError>? Fallback { get; set; }

    /// <summary>Hand this to the pipeline's <see cref="ErrorReport"/> as its error callback.</summary>
    public void Route(RecordError error)
    {
        if (_open.TryGetValue(error.Ref.Origin, out var receipt))
        {
            receipt.AddError(error);
        }
        else
        {
            Fallback?.Invoke(error);
        }
    }

    internal void Open(IngestReceipt receipt) => _open[receipt.Origin] = receipt;

    internal void Close(IngestReceipt receipt) => _open.TryRemove(receipt.Origin, out _);
}
