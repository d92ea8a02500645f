using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Cli.Hosting;

namespace Vedette.Cli.Commands;

internal enum OutputFormat
{
    Table,
    Json,
}

/// <summary>Options every command that reads or writes the store shares.</summary>
internal class StoreSettings : CommandSettings
{
    [CommandOption("--data <DIR>")]
    [Description("Folder of the embedded store (default: ./vedette-data).")]
    public string Data { get; init; } = ProductPaths.DefaultDataFolder;

    [CommandOption("--format <FORMAT>")]
    [Description("table (default) or json.")]
    public string FormatName { get; init; } = "table";

    public OutputFormat Format => Enum.Parse<OutputFormat>(FormatName, ignoreCase: true);

    public override ValidationResult Validate() =>
        Enum.TryParse<OutputFormat>(FormatName, ignoreCase: true, out _)
            ? ValidationResult.Success()
            : ValidationResult.Error($"--format must be table or json, not '{FormatName}'");
}
