using Spectre.Console;
using Vedette.Ingest;
using Vedette.Pipeline;

namespace Vedette.Cli.Hosting;

/// <summary>Runs the engine's pipeline over a source, with a progress bar when a person is watching.</summary>
internal static class PipelineRunner
{
    public static async Task<PipelineResult> RunAsync(Engine engine, IEventSource source, bool showProgress, string label, CancellationToken stopIntake)
    {
        if (!showProgress || source.Length is not { } total || total == 0)
        {
            return await engine.Pipeline.RunAsync(source, stopIntake);
        }
        PipelineResult? result = null;
        await AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(label, maxValue: total);
                var run = engine.Pipeline.RunAsync(source, stopIntake);
                while (!run.IsCompleted)
                {
                    task.Value = engine.Pipeline.Stats.BytesRead;
                    task.Description = $"{label}: {engine.Pipeline.Stats.Normalize.Sent:N0} events, {engine.Pipeline.Stats.Detect.Sent:N0} alerts";
                    await Task.WhenAny(run, Task.Delay(100, CancellationToken.None));
                }
                task.Value = total;
                result = await run;
            });
        return result!;
    }

    public static bool IsInteractive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Prints the first record errors to stderr, and how many there were.</summary>
    public static void ReportErrors(ErrorReport errors, int show = 20)
    {
        if (errors.Count == 0)
        {
            return;
        }
        var stderr = Console.Error;
        foreach (var error in errors.Kept.Take(show))
        {
            stderr.WriteLine($"error: {error}");
        }
        if (errors.Count > show)
        {
            stderr.WriteLine($"... and {errors.Count - show:N0} more errors");
        }
        stderr.WriteLine($"{errors.Count:N0} record(s) could not be processed; everything else was.");
    }
}
