using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Cases;
using Vedette.Serialization;
using Vedette.Storage;

namespace Vedette.Cli.Commands;

internal sealed class HoldSettings : StoreSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("The incident's id, as printed by list.")]
    public Guid Id { get; init; }

    [CommandOption("--reason <TEXT>")]
    [Description("Why the incident is held (a case, a subpoena); required, kept with the hold and in the audit log.")]
    public string? Reason { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Reason) ? ValidationResult.Error("--reason TEXT is required: a legal hold says why it is there") : base.Validate();
}

/// <summary>vedette incidents hold ID --reason TEXT: retention keeps the incident and its alerts until it is released.</summary>
internal sealed class IncidentHoldCommand : AsyncCommand<HoldSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, HoldSettings settings, CancellationToken cancellationToken)
    {
        await using var store = await StoreAccess.OpenExistingAsync(settings, cancellationToken);
        var outcome = await LegalHolds.PlaceAsync(store, settings.Id, IdentityCli.Actor, settings.Reason, TimeProvider.System.GetUtcNow(), cancellationToken);
        return HoldOutput.Print(settings, outcome, "held");
    }
}

/// <summary>vedette incidents release ID: lifts the legal hold; retention treats the incident like any other again.</summary>
internal sealed class IncidentReleaseCommand : AsyncCommand<ShowSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ShowSettings settings, CancellationToken cancellationToken)
    {
        await using var store = await StoreAccess.OpenExistingAsync(settings, cancellationToken);
        var outcome = await LegalHolds.ReleaseAsync(store, settings.Id, IdentityCli.Actor, TimeProvider.System.GetUtcNow(), cancellationToken);
        return HoldOutput.Print(settings, outcome, "released");
    }
}

internal static class HoldOutput
{
    public static int Print(StoreSettings settings, HoldOutcome outcome, string done)
    {
        if (outcome.Result != HoldResult.Done)
        {
            Console.Error.WriteLine($"vedette: {outcome.Refusal}");
            return outcome.Result == HoldResult.NotFound ? IdentityExit.NotFound : IdentityExit.Refused;
        }
        var incident = outcome.Incident!;
        if (settings.Format == OutputFormat.Json)
        {
            StoreAccess.WriteJson(writer => DomainJson.WriteIncident(writer, incident));
            return 0;
        }
        if (incident.Hold is { } hold)
        {
            AnsiConsole.MarkupLineInterpolated($"incident {incident.Id}: {done}, by {hold.By} at {hold.At:u} ({hold.Reason})");
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"incident {incident.Id}: {done}");
        }
        return 0;
    }
}
