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
            config.AddCommand<ServeCommand>("serve")
                .WithDescription("Run the pipeline, the REST API (/api/v1, docs at /api/docs) and scheduled feed updates until stopped.")
                .WithExample("serve", "--data", "vedette-data", "--urls", "http://127.0.0.1:8080");
            config.AddCommand<HuntCommand>("hunt")
                .WithDescription("Run Sigma rules over log files (NDJSON, JSON, zip, syslog) once, without a store, and print the detections.")
                .WithExample("hunt", "auth.log", "--min-level", "high")
                .WithExample("hunt", "logs/", "--rules", "sigma/rules", "--no-builtin", "--attack", "enterprise-attack.csv", "--format", "json");
            config.AddBranch<ReportRangeSettings>("report", report =>
            {
                report.SetDescription("SOC KPIs over a range (MTTD, MTTA, MTTR with percentiles, false positives, precision, volume, SLA, backlog) and exports.");
                report.SetDefaultCommand<ReportCommand>();
                report.AddExample("report", "--from", "7d", "--format", "json");
                report.AddExample("report", "--from", "2026-11-01", "--to", "2026-12-01", "--format", "html", "--out", "november.html");
                report.AddCommand<ReportExportCommand>("export")
                    .WithDescription("Stream the alerts or incidents whose activity overlaps a range, as CSV or JSON.")
                    .WithExample("report", "export", "alerts", "--from", "7d", "--format", "csv", "--out", "alerts.csv");
            });
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
                rules.AddCommand<RulesStatsCommand>("stats")
                    .WithDescription("Per rule: alerts, analysts' verdicts, learned precision and fidelity points, and suppressions to consider.")
                    .WithExample("rules", "stats", "--format", "json");
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
                bench.AddCommand<BenchServeCommand>("serve")
                    .WithDescription("A real `vedette serve` under HTTP load on loopback: accepted events/s and 202 latency, 429s and memory beyond capacity, then SIGKILL and a count of what the store kept.")
                    .WithExample("bench", "serve", "--seconds", "20", "--clients", "4", "--batch", "1000", "--format", "json");
                bench.AddCommand<BenchTriageCommand>("triage")
                    .WithDescription("Risk scoring, repeat folding and incident grouping alerts/s on one thread, with the grouper's peak state, next to the Python reference.")
                    .WithExample("bench", "triage", "--alerts", "1000000", "--runs", "3", "--baseline", "../shared/baseline");
                bench.AddCommand<BenchReportCommand>("report")
                    .WithDescription("`vedette report` as JSON and as HTML over N stored alerts with varied acknowledge and close times, in a temporary store.")
                    .WithExample("bench", "report", "--alerts", "1000000", "--runs", "3", "--format", "json");
                bench.AddCommand<BenchConsoleCommand>("console")
                    .WithDescription("The console's queue page and top incident page, server time per request, with N open alerts in a temporary store.")
                    .WithExample("bench", "console", "--alerts", "100000", "--runs", "20", "--format", "json");
            });
            config.AddBranch("alerts", alerts =>
            {
                alerts.SetDescription("Alerts in the store.");
                alerts.AddCommand<AlertListCommand>("list").WithDescription("List alerts, newest first.");
                alerts.AddCommand<AlertShowCommand>("show").WithDescription("Show one alert with score breakdown and evidence.");
                alerts.AddCommand<AlertAcknowledgeCommand>("acknowledge").WithDescription("Acknowledge alerts: someone is on them.")
                    .WithExample("alerts", "acknowledge", "01a22471-a5ae-7107-b95e-670f844f4bbf", "--analyst", "ana");
                alerts.AddCommand<AlertCloseCommand>("close").WithDescription("Close alerts with a verdict; analysts' verdicts teach each rule's fidelity.")
                    .WithExample("alerts", "close", "01a22471-a5ae-7107-b95e-670f844f4bbf", "--verdict", "false-positive", "--analyst", "ana", "--note", "backup job");
            });
            config.AddBranch("triage", triage =>
            {
                triage.SetDescription("Why alerts and incidents score and rank as they do.");
                triage.AddCommand<TriageExplainCommand>("explain")
                    .WithDescription("An alert's or incident's score breakdown, its place in the queue and why its alerts were grouped.")
                    .WithExample("triage", "explain", "01a22471-a5ae-7107-b95e-670f844f4bbf", "--format", "json");
            });
            config.AddBranch("incidents", incidents =>
            {
                incidents.SetDescription("Incidents in the store.");
                incidents.AddCommand<IncidentListCommand>("list").WithDescription("List incidents in priority order.");
                incidents.AddCommand<IncidentShowCommand>("show").WithDescription("Show one incident, its alerts and why they were grouped.");
                incidents.AddCommand<IncidentMergeCommand>("merge")
                    .WithDescription("Move every alert of the SOURCE incidents into TARGET; the sources leave the queue, marked as merged.")
                    .WithExample("incidents", "merge", "01a22471-a5ae-7107-b95e-670f844f4bbf", "01a22471-b0c4-7a31-9e2d-5f0a3c1b2d44", "--analyst", "ana", "--note", "same intrusion");
                incidents.AddCommand<IncidentSplitCommand>("split")
                    .WithDescription("Move the given alerts of an incident into a new incident.")
                    .WithExample("incidents", "split", "01a22471-a5ae-7107-b95e-670f844f4bbf", "--alerts", "01a22471-a5ae-7107-b95e-670f844f4c01", "--analyst", "ana");
                incidents.AddCommand<IncidentCloseCommand>("close").WithDescription("Close incidents with a verdict; it counts for each of their alerts' rules.")
                    .WithExample("incidents", "close", "01a22471-a5ae-7107-b95e-670f844f4bbf", "--verdict", "true-positive", "--analyst", "ana");
                incidents.AddCommand<IncidentHoldCommand>("hold").WithDescription("Place a legal hold: retention keeps the incident and its alerts until it is released.")
                    .WithExample("incidents", "hold", "01a22471-a5ae-7107-b95e-670f844f4bbf", "--reason", "litigation 2025-17");
                incidents.AddCommand<IncidentReleaseCommand>("release").WithDescription("Release an incident's legal hold.");
            });
            config.AddBranch("retention", retention =>
            {
                retention.SetDescription("Delete data past its retention age; open and held incidents and the audit log always stay.");
                retention.AddCommand<RetentionRunCommand>("run")
                    .WithDescription("Apply the retention policy now (--dry-run: list what would go, delete nothing).")
                    .WithExample("retention", "run", "--dry-run", "--incidents", "365d", "--alerts", "90d", "--events", "30d")
                    .WithExample("retention", "run", "--config", "vedette.json", "--format", "json");
            });
            config.AddBranch("suppress", suppress =>
            {
                suppress.SetDescription("Suppressions: silence alerts by rule, entity or field values; silenced alerts are stored and counted, but join no incident.");
                suppress.AddCommand<SuppressAddCommand>("add")
                    .WithDescription("Silence alerts matching a rule, an entity and field values (all given must hold), with a reason and an optional expiry.")
                    .WithExample("suppress", "add", "--rule", "25b3060f-ada6-4353-b558-d5cca5b76705", "--entity", "host:wks042.corp.example", "--expires", "7d", "--reason", "pentest", "--author", "ana")
                    .WithExample("suppress", "add", "--field", "src_ip=10.1.0.46", "--reason", "scanner", "--author", "ana");
                suppress.AddCommand<SuppressListCommand>("list")
                    .WithDescription("List the suppressions in force (--all: also expired and removed ones) with how many alerts each silenced.");
                suppress.AddCommand<SuppressRemoveCommand>("remove")
                    .WithDescription("Lift a suppression; it is kept, marked removed, for the audit trail.")
                    .WithExample("suppress", "remove", "01a22471-a5ae-7107-b95e-670f844f4bbf", "--author", "ana");
            });
            config.AddBranch("users", users =>
            {
                users.SetDescription("Analysts who sign in to the server: roles, passwords, MFA. Every change goes into the audit log.");
                users.AddCommand<UserAddCommand>("add")
                    .WithDescription("Add a user with a role; the password must pass the policy (15+ characters, not common, not the user name).")
                    .WithExample("users", "add", "ana", "--role", "analyst", "--password-stdin");
                users.AddCommand<UserListCommand>("list").WithDescription("List users with role, state and second factors.");
                users.AddCommand<UserSetRoleCommand>("set-role")
                    .WithDescription("Change a user's role; their sessions end.")
                    .WithExample("users", "set-role", "ana", "lead");
                users.AddCommand<UserDisableCommand>("disable").WithDescription("Disable a user: sign-in, sessions and API tokens stop working.");
                users.AddCommand<UserEnableCommand>("enable").WithDescription("Enable a disabled user again.");
                users.AddCommand<UserResetMfaCommand>("reset-mfa").WithDescription("Remove a user's TOTP, recovery codes and passkeys (a lost device); they enrol again.");
                users.AddCommand<UserSetPasswordCommand>("set-password").WithDescription("Set a user's password (a forgotten one); their sessions end.");
            });
            config.AddBranch("tokens", tokens =>
            {
                tokens.SetDescription("API tokens: random, shown once, stored hashed, scoped to a role, with expiry and revocation.");
                tokens.AddCommand<TokenCreateCommand>("create")
                    .WithDescription("Create a token for a user (role not above the user's); it is printed once.")
                    .WithExample("tokens", "create", "--user", "edr-bridge", "--role", "analyst", "--expires", "30d", "--format", "json");
                tokens.AddCommand<TokenListCommand>("list").WithDescription("List tokens with user, role, state and expiry (never the token).");
                tokens.AddCommand<TokenRevokeCommand>("revoke").WithDescription("Revoke a token at once.");
            });
            config.AddBranch("audit", audit =>
            {
                audit.SetDescription("The hash-chained audit log.");
                audit.AddCommand<AuditVerifyCommand>("verify")
                    .WithDescription("Recompute the audit log's hash chain; exit 0 if intact, 2 naming the first edited, deleted or reordered entry.")
                    .WithExample("audit", "verify", "--data", "vedette-data");
            });
        });
        return await app.RunAsync(args, stop.Token);
    }
}
