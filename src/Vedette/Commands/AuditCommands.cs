using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Storage;

namespace Vedette.Cli.Commands;

/// <summary>
/// vedette audit verify: recomputes the audit log's hash chain. Exit 0 when intact; 2 naming the first bad entry and
/// what is wrong with it (edited, deleted, reordered).
/// </summary>
internal sealed class AuditVerifyCommand : AsyncCommand<StoreSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, StoreSettings settings, CancellationToken cancellationToken)
    {
        await using var store = await StoreAccess.OpenExistingAsync(settings, cancellationToken);
        var result = await AuditChain.VerifyAsync(store, cancellationToken);
        if (settings.Format == OutputFormat.Json)
        {
            StoreAccess.WriteJson(writer =>
            {
                writer.WriteStartObject();
                writer.WriteBoolean("intact", result.Intact);
                writer.WriteNumber("verified", result.Entries);
                writer.WriteNumber("lastSequence", result.LastSequence);
                writer.WriteString("headHash", result.HeadHash);
                if (result.FirstBreak is { } broken)
                {
                    writer.WriteStartObject("firstBad");
                    writer.WriteNumber("sequence", broken.Sequence);
                    writer.WriteString("problem", broken.Problem);
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
            });
        }
        else if (result.FirstBreak is null)
        {
            AnsiConsole.MarkupLineInterpolated($"Audit log intact: {result.Entries:N0} entries verified; head is entry {result.LastSequence} with hash {result.HeadHash}.");
            AnsiConsole.MarkupLine("Keep the head somewhere else too: removing entries from the end leaves a shorter chain that verifies.");
        }
        if (result.FirstBreak is { } bad)
        {
            await Console.Error.WriteLineAsync($"audit log broken at entry {bad.Sequence}: {bad.Problem} ({result.Entries:N0} entries before it verified)");
            return IdentityExit.Refused;
        }
        return 0;
    }
}
