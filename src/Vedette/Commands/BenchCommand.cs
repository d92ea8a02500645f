using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Cli.Hosting;
using Vedette.Ingest;
using Vedette.Pipeline;
using Vedette.Serialization;

namespace Vedette.Cli.Commands;

internal sealed class BenchSettings : CommandSettings
{
    [CommandOption("--events <N>")]
    [Description("Events to simulate (default 200000).")]
    public int Events { get; init; } = 200_000;

    [CommandOption("--seed <S>")]
    [Description("Simulation seed (default 7).")]
    public int Seed { get; init; } = 7;

    [CommandOption("--runs <R>")]
    [Description("Runs of each measurement; the median is reported (default 3).")]
    public int Runs { get; init; } = 3;

    [CommandOption("--baseline <DIR>")]
    [Description("Folder of the reference Python workflow (bench_seed.py) to run side by side.")]
    public string? Baseline { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json.")]
    public string FormatName { get; init; } = "table";

    public override ValidationResult Validate() =>
        Runs < 1 ? ValidationResult.Error("--runs must be at least 1")
        : SimulationSize.Validate(Events) is { } invalid ? invalid
        : Baseline is not null && !PythonBaseline.Exists(Baseline) ? ValidationResult.Error($"no bench_seed.py in {Baseline}")
        : ValidationResult.Success();
}

/// <summary>One measured figure: records per second (median of runs) and every run.</summary>
internal sealed record BenchFigure(string Name, string Unit, double PerSecond, IReadOnlyList<double> Runs)
{
    public static BenchFigure Median(string name, string unit, List<double> runs) =>
        new(name, unit, runs.Order().ElementAt(runs.Count / 2), runs);
}

/// <summary>The reference Python workflow (../shared/baseline/bench_seed.py), measured as its README measures it.</summary>
internal static class PythonBaseline
{
    /// <summary>The bench_seed.py script in <paramref name="folder"/>, when it is there.</summary>
    public static bool Exists(string folder) => File.Exists(Path.Combine(folder, "bench_seed.py"));

    /// <summary>Alerts/s of <paramref name="runs"/> runs of 20,000 alerts, with its logging "info" (as written) or "disabled".</summary>
    public static List<double> Runs(string baseline, int runs, string logging)
    {
        var results = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            // As the baseline's README measures it: the seed's INFO log (eight lines per alert) goes to /dev/null.
            var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in new[] { "-c", "exec python3 \"$0\" --n 20000 --logging \"$1\" 2>/dev/null", Path.Combine(baseline, "bench_seed.py"), logging })
            {
                info.ArgumentList.Add(arg);
            }
            using var process = Process.Start(info) ?? throw new InvalidOperationException("python3 could not be started");
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"bench_seed.py exited with {process.ExitCode}");
            }
            using var json = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
            results.Add(json.RootElement.GetProperty("alerts_per_s").GetDouble());
        }
        return results;
    }
}

/// <summary>
/// vedette bench pipeline: the demo pipeline's events/s next to the physical limit (reading and tokenizing the same
/// input once) and, when given, the reference Python workflow — all measured in this one run on this machine.
/// </summary>
internal sealed class BenchPipelineCommand : AsyncCommand<BenchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, BenchSettings settings, CancellationToken cancellationToken)
    {
        return await BenchFolder.RunInTemporaryAsync("vedette-bench-", folder => RunAsync(settings, folder, cancellationToken));
    }

    private static async Task<int> RunAsync(BenchSettings settings, string folder, CancellationToken cancellationToken)
    {
        var input = Path.Combine(folder, "events.ndjson");
        var inventory = Path.Combine(folder, "inventory.csv");
        var feed = Path.Combine(folder, "feed.txt");
        SimulationFiles.Write(settings.Events, settings.Seed, input, null, inventory, feed);

        var limit = new List<double>();
        var pipeline = new List<double>();
        for (var run = 0; run < settings.Runs; run++)
        {
            limit.Add(await TokenizeAsync(input, cancellationToken));
            var options = new EngineOptions { DataFolder = Path.Combine(folder, $"store{run}"), InventoryPath = inventory, IntelPaths = [feed] };
            await using var engine = await Engine.OpenAsync(options, TimeProvider.System, null, cancellationToken);
            var result = await engine.Pipeline.RunAsync(new FileSource(input, engine.Lines), cancellationToken);
            if (result.Errors > 0)
            {
                throw new InvalidOperationException($"the pipeline reported {result.Errors} errors on simulated input");
            }
            pipeline.Add(result.EventsPerSecond);
        }
        var figures = new List<BenchFigure>
        {
            BenchFigure.Median("limit: read + tokenize JSON once", "events/s", limit),
            BenchFigure.Median("Vedette pipeline into SQLite", "events/s", pipeline),
        };
        if (settings.Baseline is { } baseline)
        {
            figures.Add(BenchFigure.Median("Python reference, as written", "alerts/s", PythonBaseline.Runs(baseline, settings.Runs, "info")));
            figures.Add(BenchFigure.Median("Python reference, logging off", "alerts/s", PythonBaseline.Runs(baseline, settings.Runs, "disabled")));
        }
        Print(figures, settings.FormatName.Equals("json", StringComparison.OrdinalIgnoreCase));
        return 0;
    }

    private static async Task<double> TokenizeAsync(string input, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long lines = 0;
        await using var stream = File.OpenRead(input);
        await foreach (var batch in new LineReader().ReadAsync(stream, "bench", new ErrorReport(), cancellationToken))
        {
            using (batch)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    var reader = new Utf8JsonReader(batch.Line(i));
                    while (reader.Read())
                    {
                    }
                    lines++;
                }
            }
        }
        return lines / clock.Elapsed.TotalSeconds;
    }

    private static void Print(List<BenchFigure> figures, bool json)
    {
        var limit = figures[0].PerSecond;
        var pipeline = figures[1].PerSecond;
        if (json)
        {
            StoreAccess.WriteJson(writer =>
            {
                writer.WriteStartArray();
                foreach (var figure in figures)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", figure.Name);
                    writer.WriteString("unit", figure.Unit);
                    writer.WriteNumber("perSecond", Math.Round(figure.PerSecond));
                    writer.WriteNumber("ratioToLimit", Math.Round(figure.PerSecond / limit, 3));
                    writer.WriteNumber("pipelineRatio", Math.Round(pipeline / figure.PerSecond, 2));
                    writer.WriteStartArray("runs");
                    foreach (var run in figure.Runs)
                    {
                        writer.WriteNumberValue(Math.Round(run));
                    }
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            });
            return;
        }
        var table = new Table().AddColumn("measurement").AddColumn("median per second").AddColumn("runs").AddColumn("of the limit").AddColumn("Vedette is ×");
        foreach (var figure in figures)
        {
            table.AddRow(
                new Text(figure.Name),
                new Text($"{figure.PerSecond:N0} {figure.Unit}"),
                new Text(string.Join(", ", figure.Runs.Select(r => r.ToString("N0")))),
                new Text($"{figure.PerSecond / limit:P1}"),
                new Text($"{pipeline / figure.PerSecond:0.00}"));
        }
        AnsiConsole.Write(table);
    }
}
