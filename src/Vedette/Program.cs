using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Cli.Commands;

namespace Vedette.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl+C stops the intake and lets what was read drain into the store; a second one kills.
            if (!stop.IsCancellationRequested)
            {
                e.Cancel = true;
                stop.Cancel();
            }
        };

        if (Console.IsOutputRedirected)
        {
            // Piped or captured output has no terminal width; 80 columns would fold every table.
            AnsiConsole.Profile.Width = 160;
        }

        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("vedette");
            config.UseStrictParsing();
            config.SetExceptionHandler((ex, _) =>
            {
                AnsiConsole.Console.Profile.Out.Writer.Flush();
                Console.Error.WriteLine($"vedette: {ex.Message}");
                return ex is CommandParseException or CommandRuntimeException ? 64 : 1;
            });
            config.AddCommand<DemoCommand>("demo")
                .WithDescription("Simulate an organisation under attack, detect, triage, and print the incident queue.")
                .WithExample("demo", "--events", "200000", "--seed", "7", "--format", "json");
            config.AddCommand<SimulateCommand>("simulate")
                .WithDescription("Write realistic NDJSON traffic with embedded attacks (deterministic per seed).")
                .WithExample("simulate", "--events", "50000", "--seed", "1", "--out", "events.ndjson", "--truth", "truth.json");
            config.AddCommand<IngestCommand>("ingest")
                .WithDescription("Run NDJSON files through the pipeline into the store.")
                .WithExample("ingest", "events.ndjson", "--data", "vedette-data");
            config.AddCommand<HuntCommand>("hunt")
                .WithDescription("Run Sigma rules over log files (NDJSON, JSON, zip, syslog) once, without a store, and print the detections.")
                .WithExample("hunt", "auth.log", "--min-level", "high")
                .WithExample("hunt", "logs/", "--rules", "sigma/rules", "--no-builtin", "--attack", "enterprise-attack.csv", "--format", "json");
            config.AddBranch("rules", rules =>
            {
                rules.SetDescription("Check, test and list Sigma rules.");
                rules.AddCommand<RulesCheckCommand>("check")
                    .WithDescription("Load rules as detection would and list those that fail, with file, line and reason.")
                    .WithExample("rules", "check", "sigma/rules", "--format", "json");
                rules.AddCommand<RulesTestCommand>("test")
                    .WithDescription("Run SigmaHQ-style regression cases (info.yml + sample JSON) against the rules.")
                    .WithExample("rules", "test", "sigma-regression/regression_data", "--rules", "sigma/rules", "--rules", "sigma/rules-emerging-threats");
                rules.AddCommand<RulesListCommand>("list")
                    .WithDescription("List the rules with level, status, logsource and ATT&CK techniques.")
                    .WithExample("rules", "list", "--attack", "enterprise-attack.csv");
            });
            config.AddBranch("intel", intel =>
            {
                intel.SetDescription("Threat-intelligence feeds: load, look up, update, statistics.");
                intel.AddCommand<IntelLoadCommand>("load")
                    .WithDescription("Read a feed file (STIX, MISP, CSV, list, Spamhaus, AbuseIPDB) into the store, replacing what that feed listed.")
                    .WithExample("intel", "load", "drop_v4.json", "--kind", "spamhaus", "--name", "spamhaus-drop")
                    .WithExample("intel", "load", "ipblocklist.csv", "--kind", "csv", "--columns", "feodo", "--format", "json");
                intel.AddCommand<IntelLookupCommand>("lookup")
                    .WithDescription("What the feeds know about values, and how each matched (exact, cidr, parent-domain).")
                    .WithExample("intel", "lookup", "1.10.16.5", "a.b.evil.example", "file:mimikatz.exe", "--format", "json");
                intel.AddCommand<IntelUpdateCommand>("update")
                    .WithDescription("Run the configured feeds now (conditional requests; a failed feed keeps its indicators), or on schedule with --watch.")
                    .WithExample("intel", "update", "--config", "feeds.yml");
                intel.AddCommand<IntelStatsCommand>("stats")
                    .WithDescription("Indicators by type and feed, each feed's last update and last error.");
            });
            config.AddBranch("bench", bench =>
            {
                bench.SetDescription("Measure throughput on this machine.");
                bench.AddCommand<BenchPipelineCommand>("pipeline")
                    .WithDescription("Demo pipeline events/s next to the read-and-tokenize limit and the Python reference, in one run.")
                    .WithExample("bench", "pipeline", "--events", "200000", "--runs", "3", "--baseline", "../shared/baseline");
                bench.AddCommand<BenchDetectCommand>("detect")
                    .WithDescription("Single-threaded normalize + detect events/s next to a JSON tokenize pass, and the compiled rule set's memory.")
                    .WithExample("bench", "detect", "--rules", "sigma/rules", "--events", "logs/", "--bytes", "256m");
                bench.AddCommand<BenchIntelCommand>("intel")
                    .WithDescription("Threat-intel store: lookups/s on one thread, bytes per indicator and full reload time with a million indicators.")
                    .WithExample("bench", "intel", "--feeds", "../shared/data/intel", "--format", "json");
            });
            config.AddBranch("alerts", alerts =>
            {
                alerts.SetDescription("Alerts in the store.");
                alerts.AddCommand<AlertListCommand>("list").WithDescription("List alerts, newest first.");
                alerts.AddCommand<AlertShowCommand>("show").WithDescription("Show one alert with score breakdown and evidence.");
            });
            config.AddBranch("incidents", incidents =>
            {
                incidents.SetDescription("Incidents in the store.");
                incidents.AddCommand<IncidentListCommand>("list").WithDescription("List incidents in priority order.");
                incidents.AddCommand<IncidentShowCommand>("show").WithDescription("Show one incident, its alerts and why they were grouped.");
            });
        });
        return await app.RunAsync(args, stop.Token);
    }
}
