using System.ComponentModel;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Storage;

namespace Vedette.Cli.Commands;

internal sealed class RetentionRunSettings : StoreSettings
{
    [CommandOption("--dry-run")]
    [Description("List what would be deleted, with the ids, and delete nothing.")]
    public bool DryRun { get; init; }

    [CommandOption("--config <FILE>")]
    [Description("The server's configuration file (JSON); its \"retention\" section is the policy. Options below override it.")]
    public string? Config { get; init; }

    [CommandOption("--events <AGE>")]
    [Description("Evidence events behind alerts: keep, or an age such as 30d (from the alert's creation or last event, the later).")]
    public string? Events { get; init; }

    [CommandOption("--alerts <AGE>")]
    [Description("Closed alerts in no incident: keep, or an age since closing such as 90d.")]
    public string? Alerts { get; init; }

    [CommandOption("--incidents <AGE>")]
    [Description("Closed incidents with their alerts: keep, or an age since closing such as 365d. Open and held incidents always stay.")]
    public string? Incidents { get; init; }

    [CommandOption("--playbook-runs <AGE>")]
    [Description("Accepted for completeness; no playbook runs are stored yet.")]
    public string? PlaybookRuns { get; init; }

    public override ValidationResult Validate()
    {
        if (Config is not null && !File.Exists(Config))
        {
            return ValidationResult.Error($"no such file: {Config}");
        }
        try
        {
            _ = Policy();
        }
        catch (FormatException ex)
        {
            return ValidationResult.Error(ex.Message);
        }
        return base.Validate();
    }

    /// <summary>The config file's section (absent: keep everything), then each class given on the command line.</summary>
    public RetentionPolicy Policy()
    {
        var section = Config is null ? null : ServeSettings.ReadConfig(Config).Retention;
        var configured = section ?? new RetentionConfig();
        return (configured with
        {
            Events = Events ?? configured.Events,
            Alerts = Alerts ?? configured.Alerts,
            Incidents = Incidents ?? configured.Incidents,
            PlaybookRuns = PlaybookRuns ?? configured.PlaybookRuns,
        }).ToPolicy();
    }
}

/// <summary>
/// vedette retention run [--dry-run]: deletes what the policy says has aged out, never an open or held incident nor
/// the audit log. The real run deletes exactly what its plan lists, in one transaction, and audits the counts.
/// </summary>
internal sealed class RetentionRunCommand : AsyncCommand<RetentionRunSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RetentionRunSettings settings, CancellationToken cancellationToken)
    {
        var policy = settings.Policy();
        await using var store = await StoreAccess.OpenExistingAsync(settings, cancellationToken);
        var now = TimeProvider.System.GetUtcNow();
        var plan = settings.DryRun || policy.KeepsEverything
            ? await store.PlanRetentionAsync(policy, now, cancellationToken)
            : await store.ApplyRetentionAsync(policy, now, IdentityCli.Actor, cancellationToken);
        var deleted = !settings.DryRun && !policy.KeepsEverything;
        if (settings.Format == OutputFormat.Json)
        {
            StoreAccess.WriteJson(writer => WriteJson(writer, plan, deleted));
            return 0;
        }
        if (policy.KeepsEverything)
        {
            AnsiConsole.MarkupLine("No retention policy: every class is kept, nothing was deleted (pass --config FILE or --incidents 365d, --alerts 90d, ...).");
            return 0;
        }
        Print(plan, deleted);
        return 0;
    }

    private static void Print(RetentionPlan plan, bool deleted)
    {
        var table = new Table().AddColumns("class", "policy", deleted ? "deleted" : "would delete");
        table.AddRow("incidents", RetentionPolicy.Describe(plan.Policy.Incidents), Count(plan.Incidents.Count));
        table.AddRow("alerts", RetentionPolicy.Describe(plan.Policy.Alerts), Count(plan.Alerts.Count));
        table.AddRow("events", RetentionPolicy.Describe(plan.Policy.Events), Count(plan.Events));
        table.AddRow("playbook runs", RetentionPolicy.Describe(plan.Policy.PlaybookRuns), "0 (none are stored)");
        table.AddRow("audit log", "never pruned", "0");
        AnsiConsole.Write(table);
        if (deleted)
        {
            AnsiConsole.MarkupLine("Deleted in one transaction; the audit log records the counts.");
            return;
        }
        AnsiConsole.MarkupLine("Dry run: nothing was deleted.");
        foreach (var id in plan.Incidents)
        {
            Console.WriteLine($"incident {id}");
        }
        foreach (var alert in plan.Alerts)
        {
            Console.WriteLine($"alert {alert.Id} ({alert.Events} events)");
        }
        foreach (var alert in plan.Evidence)
        {
            Console.WriteLine($"events of alert {alert.Id} ({alert.Events}; the alert stays)");
        }
    }

    private static string Count(long count) => count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    private static void WriteJson(Utf8JsonWriter writer, RetentionPlan plan, bool deleted)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("dryRun", !deleted);
        writer.WriteString("at", plan.Now);
        plan.Policy.WriteJson(writer, "policy");
        writer.WriteStartObject("counts");
        writer.WriteNumber("incidents", plan.Incidents.Count);
        writer.WriteNumber("alerts", plan.Alerts.Count);
        writer.WriteNumber("events", plan.Events);
        writer.WriteNumber("playbookRuns", RetentionPlan.PlaybookRuns);
        writer.WriteNumber("audit", 0);
        writer.WriteEndObject();
        writer.WriteStartArray("incidents");
        foreach (var id in plan.Incidents)
        {
            writer.WriteStringValue(id);
        }
        writer.WriteEndArray();
        WritePurges(writer, "alerts", plan.Alerts);
        WritePurges(writer, "evidence", plan.Evidence);
        writer.WriteEndObject();
    }

    private static void WritePurges(Utf8JsonWriter writer, string name, IReadOnlyList<AlertPurge> purges)
    {
        writer.WriteStartArray(name);
        foreach (var purge in purges)
        {
            writer.WriteStartObject();
            writer.WriteString("id", purge.Id);
            writer.WriteNumber("events", purge.Events);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
