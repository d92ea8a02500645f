using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Cli.Hosting;
using Vedette.Domain;
using Vedette.Serialization;
using Vedette.Storage.Sqlite;
using Vedette.Triage;

namespace Vedette.Cli.Commands;

internal sealed class SuppressAddSettings : StoreSettings
{
    [CommandOption("--rule <ID>")]
    [Description("Silence alerts of this rule id (as `alerts list` shows it).")]
    public string? Rule { get; init; }

    [CommandOption("--entity <TYPE:VALUE>")]
    [Description("Silence alerts that have this observable: host:wks01.corp.example, user:svc_backup, ipv4:10.9.0.5, ...")]
    public string? Entity { get; init; }

    [CommandOption("--field <NAME=VALUE>")]
    [Description("Silence alerts whose event (or correlation group) has this field value, case-insensitive (repeatable; all must hold).")]
    public string[] Fields { get; init; } = [];

    [CommandOption("--expires <WHEN>")]
    [Description("A duration (12h, 7d, 2w), a date (2026-12-31: through that day, UTC) or a time (2026-12-31T18:00:00Z); default never.")]
    public string? Expires { get; init; }

    [CommandOption("--reason <TEXT>")]
    [Description("Why these alerts are silenced (required).")]
    public string? Reason { get; init; }

    [CommandOption("--author <NAME>")]
    [Description("Who decided it (required); recorded with the suppression and in the audit log.")]
    public string? Author { get; init; }

    public override ValidationResult Validate()
    {
        try
        {
            _ = ToSuppression(TimeProvider.System.GetUtcNow());
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return ValidationResult.Error(ex.Message);
        }
        return base.Validate();
    }

    /// <summary>The suppression these options describe, created at <paramref name="now"/>; says which option is wrong otherwise.</summary>
    public Suppression ToSuppression(DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(Rule) && Entity is null && Fields.Length == 0)
        {
            throw new FormatException("give at least one of --rule, --entity or --field: a suppression that matched every alert would silence everything");
        }
        if (string.IsNullOrWhiteSpace(Reason))
        {
            throw new FormatException("--reason TEXT is required: the next analyst must be able to tell why these alerts are silenced");
        }
        if (string.IsNullOrWhiteSpace(Author))
        {
            throw new FormatException("--author NAME is required: every suppression names who decided it");
        }
        var entity = Entity is null ? (Observable?)null : ParseEntity(Entity);
        var expiresAt = Expires is null ? (DateTimeOffset?)null : Suppression.ParseExpiry(Expires, now);
        return Suppression.Create(Rule, entity, ParseFields(Fields), expiresAt, Reason, Author, now);
    }

    private static Observable ParseEntity(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !ObservableTypes.TryParse(text[..colon], out _))
        {
            var types = string.Join(", ", Enum.GetValues<ObservableType>().Select(ObservableTypes.ToName));
            throw new FormatException($"--entity must be TYPE:VALUE with TYPE one of {types}, not '{text}'");
        }
        return ObservableTypes.TryParseValue(text[..colon], text[(colon + 1)..], out var entity)
            ? entity
            : throw new FormatException($"--entity: '{text[(colon + 1)..]}' is not a valid {text[..colon]}");
    }

    private static Dictionary<string, string> ParseFields(string[] fields)
    {
        var parsed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in fields)
        {
            var equals = field.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || string.IsNullOrWhiteSpace(field[..equals]))
            {
                throw new FormatException($"--field must be NAME=VALUE, not '{field}'");
            }
            if (!parsed.TryAdd(field[..equals].Trim(), field[(equals + 1)..]))
            {
                throw new FormatException($"--field {field[..equals].Trim()} is given twice");
            }
        }
        return parsed;
    }
}

/// <summary>vedette suppress add: records a suppression (and who added it, in the audit log); ingests from then on apply it.</summary>
internal sealed class SuppressAddCommand : AsyncCommand<SuppressAddSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SuppressAddSettings settings, CancellationToken cancellationToken)
    {
        var now = TimeProvider.System.GetUtcNow();
        var suppression = settings.ToSuppression(now);
        // Suppressions may be set up before the first ingest: this creates the store if there is none yet.
        await using var store = await SqliteStore.OpenAsync(ProductPaths.Database(settings.Data), TimeProvider.System, cancellationToken);
        await store.AddSuppressionAsync(suppression, cancellationToken);
        await store.AppendAuditAsync(suppression.Author, "suppression.add", SuppressionOutput.Target(suppression), SuppressionOutput.Json(suppression, now), now, cancellationToken);
        if (settings.Format == OutputFormat.Json)
        {
            StoreAccess.WriteJson(writer => SuppressionOutput.Write(writer, suppression, now));
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"Suppression [bold]{suppression.Id}[/] added: {SuppressionOutput.Criteria(suppression)}, {SuppressionOutput.Expiry(suppression)}.");
            AnsiConsole.MarkupLine("It applies to alerts raised from the next ingest on; silenced alerts are stored and counted, but join no incident.");
        }
        return 0;
    }
}

internal sealed class SuppressListSettings : StoreSettings
{
    [CommandOption("--all")]
    [Description("Also list expired and removed suppressions.")]
    public bool All { get; init; }
}

/// <summary>vedette suppress list: the suppressions in force (all of them with --all), with how many alerts each silenced.</summary>
internal sealed class SuppressListCommand : AsyncCommand<SuppressListSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SuppressListSettings settings, CancellationToken cancellationToken)
    {
        var now = TimeProvider.System.GetUtcNow();
        await using var store = await StoreAccess.OpenExistingAsync(settings, cancellationToken);
        var suppressions = (await store.ListSuppressionsAsync(settings.All, cancellationToken)).Where(s => settings.All || s.IsActive(now)).ToList();
        if (settings.Format == OutputFormat.Json)
        {
            StoreAccess.WriteJson(writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("items");
                foreach (var suppression in suppressions)
                {
                    SuppressionOutput.Write(writer, suppression, now);
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            });
            return 0;
        }
        if (suppressions.Count == 0)
        {
            AnsiConsole.MarkupLine(settings.All ? "No suppressions." : "No suppressions in force (--all lists expired and removed ones).");
            return 0;
        }
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("id", "state", "silences", "hits", "expires (UTC)", "reason", "author", "created (UTC)");
        foreach (var suppression in suppressions)
        {
            table.AddRow(
                new Text(suppression.Id.ToString()),
                new Text(SuppressionOutput.State(suppression, now)),
                new Text(SuppressionOutput.Criteria(suppression)),
                new Text(suppression.Hits.ToString("N0", CultureInfo.InvariantCulture)),
                new Text(suppression.ExpiresAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "never"),
                new Text(suppression.Reason),
                new Text(suppression.Author),
                new Text(suppression.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)));
        }
        AnsiConsole.Write(table);
        return 0;
    }
}

internal sealed class SuppressRemoveSettings : StoreSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("The suppression's id, as printed by add and list.")]
    public Guid Id { get; init; }

    [CommandOption("--author <NAME>")]
    [Description("Who lifts it (required); recorded with the suppression and in the audit log.")]
    public string? Author { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Author) ? ValidationResult.Error("--author NAME is required: every removal names who made it") : base.Validate();
}

/// <summary>vedette suppress remove ID: lifts a suppression; it is kept, marked removed, and the alerts it silenced stay stored.</summary>
internal sealed class SuppressRemoveCommand : AsyncCommand<SuppressRemoveSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SuppressRemoveSettings settings, CancellationToken cancellationToken)
    {
        var now = TimeProvider.System.GetUtcNow();
        var author = settings.Author!.Trim();
        await using var store = await StoreAccess.OpenExistingAsync(settings, cancellationToken);
        var existing = (await store.ListSuppressionsAsync(includeRemoved: true, cancellationToken)).FirstOrDefault(s => s.Id == settings.Id);
        if (existing is null || !await store.RemoveSuppressionAsync(settings.Id, author, now, cancellationToken))
        {
            await Console.Error.WriteLineAsync(existing?.RemovedAt is { } removedAt
                ? $"suppression {settings.Id} was already removed by {existing.RemovedBy} at {removedAt:u}"
                : $"no suppression {settings.Id}");
            return 3;
        }
        var removed = existing with { RemovedAt = now, RemovedBy = author };
        await store.AppendAuditAsync(author, "suppression.remove", SuppressionOutput.Target(removed), SuppressionOutput.Json(removed, now), now, cancellationToken);
        if (settings.Format == OutputFormat.Json)
        {
            StoreAccess.WriteJson(writer => SuppressionOutput.Write(writer, removed, now));
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"Suppression [bold]{removed.Id}[/] removed; the {removed.Hits:N0} alert(s) it silenced stay stored.");
        }
        return 0;
    }
}

/// <summary>How suppressions are shown and audited, shared by the suppress commands.</summary>
internal static class SuppressionOutput
{
    public static string Target(Suppression suppression) => $"suppression/{suppression.Id}";

    public static string State(Suppression suppression, DateTimeOffset now) =>
        suppression.RemovedAt is not null ? "removed" : suppression.IsActive(now) ? "active" : "expired";

    /// <summary>"rule X, host:wks01, ParentImage=agent.exe": what an alert must have to be silenced.</summary>
    public static string Criteria(Suppression suppression)
    {
        var parts = new List<string>();
        if (suppression.RuleId is { } rule)
        {
            parts.Add($"rule {rule}");
        }
        if (suppression.Entity is { } entity)
        {
            parts.Add(entity.ToString());
        }
        parts.AddRange(suppression.Fields.Select(f => $"{f.Key}={f.Value}"));
        return string.Join(", ", parts);
    }

    public static string Expiry(Suppression suppression) =>
        suppression.ExpiresAt is { } expiry ? $"until {expiry:u}" : "no expiry";

    public static string Json(Suppression suppression, DateTimeOffset now)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, DomainJson.WriterOptions(indented: false)))
        {
            Write(writer, suppression, now);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Write(Utf8JsonWriter writer, Suppression suppression, DateTimeOffset now)
    {
        writer.WriteStartObject();
        writer.WriteString("id", suppression.Id);
        writer.WriteString("state", State(suppression, now));
        writer.WriteString("ruleId", suppression.RuleId);
        if (suppression.Entity is { } entity)
        {
            writer.WriteStartObject("entity");
            writer.WriteString("type", ObservableTypes.ToName(entity.Type));
            writer.WriteString("value", entity.Value);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("entity");
        }
        writer.WriteStartObject("fields");
        foreach (var (name, value) in suppression.Fields)
        {
            writer.WriteString(name, value);
        }
        writer.WriteEndObject();
        IntelOutput.WriteTime(writer, "expiresAt", suppression.ExpiresAt);
        writer.WriteString("reason", suppression.Reason);
        writer.WriteString("author", suppression.Author);
        writer.WriteString("createdAt", suppression.CreatedAt);
        IntelOutput.WriteTime(writer, "removedAt", suppression.RemovedAt);
        writer.WriteString("removedBy", suppression.RemovedBy);
        writer.WriteNumber("hits", suppression.Hits);
        writer.WriteEndObject();
    }
}
