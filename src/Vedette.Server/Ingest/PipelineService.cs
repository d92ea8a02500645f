using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vedette.Pipeline;

namespace Vedette.Server.Ingest;

/// <summary>
/// Runs the pipeline over the <see cref="IngestQueue"/> for as long as the server runs. Stopping closes the queue and
/// waits for everything admitted to reach the store: the web server has stopped accepting requests before this
/// stops (it is registered last, so it stops first), so nothing is admitted after the drain starts.
/// </summary>
internal sealed class PipelineService(EventPipeline pipeline, IngestQueue queue, ServerState state, ILogger<PipelineService> logger) : IHostedService
{
    private Task<PipelineResult>? _run;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _run = Task.Run(() => pipeline.RunAsync(queue, CancellationToken.None), CancellationToken.None);
        state.PipelineRunning = true;
        LogMessages.PipelineStarted(logger, queue.CapacityBytes);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        state.PipelineRunning = false;
        queue.Close();
        if (_run is null)
        {
            return;
        }
        LogMessages.PipelineDraining(logger, queue.QueuedBytes);
        try
        {
            var result = await _run.WaitAsync(cancellationToken);
            LogMessages.PipelineStopped(logger, result.Lines, result.Events, result.Alerts, result.Errors);
        }
        catch (OperationCanceledException)
        {
            LogMessages.PipelineDrainTimedOut(logger, queue.QueuedBytes);
        }
    }
}

/// <summary>What /health reports: the server is ready when the pipeline runs.</summary>
public sealed class ServerState
{
    private volatile bool _pipelineRunning;

    public bool PipelineRunning
    {
        get => _pipelineRunning;
        set => _pipelineRunning = value;
    }
}
