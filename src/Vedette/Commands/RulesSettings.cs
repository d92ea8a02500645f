using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Cli.Hosting;
using Vedette.Detection;
using Vedette.Detection.Mappings;

namespace Vedette.Cli.Commands;

/// <summary>How a rules or hunt command prints: a table for people, JSON (and for hunt CSV) for programs.</summary>
internal enum ReportFormat
{
    Table,
    Json,
    Csv,
}

/// <summary>Options of the commands that load Sigma rules and work without a store.</summary>
internal class RuleSetSettings : CommandSettings
{
    [CommandOption("--mapping <DIR>")]
    [Description("Folder of logsource, field and observable mappings (default: the mappings shipped with Vedette).")]
    public string Mapping { get; init; } = ProductPaths.Mappings;

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json (hunt: also csv).")]
    public string FormatName { get; init; } = "table";

    public ReportFormat Format => Enum.Parse<ReportFormat>(FormatName, ignoreCase: true);

    /// <summary>Whether --format csv is accepted.</summary>
    protected virtual bool AllowsCsv => false;

    public override ValidationResult Validate()
    {
        if (!Enum.TryParse<ReportFormat>(FormatName, ignoreCase: true, out var format) || (format == ReportFormat.Csv && !AllowsCsv))
        {
            return ValidationResult.Error($"--format must be {(AllowsCsv ? "table, json or csv" : "table or json")}, not '{FormatName}'");
        }
        return Directory.Exists(Mapping) ? ValidationResult.Success() : ValidationResult.Error($"no such mapping folder: {Mapping}");
    }

    /// <summary>The first path that is neither a file nor a folder, if any.</summary>
    protected static string? Missing(IEnumerable<string> paths) => paths.FirstOrDefault(p => !File.Exists(p) && !Directory.Exists(p));
}

/// <summary>The rules a hunt runs (and `rules list` shows): the built-in ones unless left out, plus the user's; and an ATT&amp;CK catalog.</summary>
internal class RuleSelectionSettings : RuleSetSettings
{
    [CommandOption("--rules <PATH>")]
    [Description("Rule file or folder, besides the built-in rules (repeatable).")]
    public string[] Rules { get; init; } = [];

    [CommandOption("--no-builtin")]
    [Description("Leave out the rules shipped with Vedette.")]
    public bool NoBuiltin { get; init; }

    [CommandOption("--attack <FILE>")]
    [Description("MITRE ATT&CK CSV (name,id,...,kill chain phases) to name the techniques and tactics of the rules.")]
    public string? Attack { get; init; }

    public IReadOnlyList<string> RulePaths => RuleSets.WithBuiltin(NoBuiltin, Rules);

    public override ValidationResult Validate() =>
        Missing(Rules) is { } path ? ValidationResult.Error($"no such rule file or folder: {path}")
        : NoBuiltin && Rules.Length == 0 ? ValidationResult.Error("--no-builtin leaves no rules: add --rules PATH")
        : Attack is not null && !File.Exists(Attack) ? ValidationResult.Error($"no such file: {Attack}")
        : base.Validate();
}

/// <summary>Loading a rule set for a command, and telling the user — on stderr, without stopping — which rules did not load.</summary>
internal static class RuleSets
{
    public static RuleSet Load(IEnumerable<string> paths, string mappingFolder) => RuleSet.Load(paths, DetectionMappings.Load(mappingFolder));

    /// <summary>The built-in rules (unless left out) followed by the user's.</summary>
    public static IReadOnlyList<string> WithBuiltin(bool noBuiltin, IEnumerable<string> rules) => [.. noBuiltin ? [] : new[] { ProductPaths.Rules }, .. rules];

    /// <summary>How many rules failed to load and the first few, on stderr; `vedette rules check` lists them all.</summary>
    public static void ReportLoadErrors(RuleSet rules, int show = 5)
    {
        if (rules.Errors.Count == 0)
        {
            return;
        }
        var stderr = Console.Error;
        stderr.WriteLine($"{rules.Errors.Count:N0} rule(s) failed to load and are not used ({rules.Rules.Count:N0} loaded); `vedette rules check` lists them all:");
        foreach (var error in rules.Errors.Take(show))
        {
            stderr.WriteLine($"  {error}");
        }
        if (rules.Errors.Count > show)
        {
            stderr.WriteLine($"  ... and {rules.Errors.Count - show:N0} more");
        }
    }
}
