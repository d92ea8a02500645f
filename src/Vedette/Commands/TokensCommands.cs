using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Identity;
using Vedette.Triage;

namespace Vedette.Cli.Commands;

internal sealed class TokenCreateSettings : StoreSettings
{
    /// <summary>A token that nobody set an expiry for still ends: a forgotten token in a script is a standing key.</summary>
    public const string DefaultExpiry = "90d";

    [CommandOption("--user <NAME>")]
    [Description("The user the token acts for (required).")]
    public string? User { get; init; }

    [CommandOption("--role <ROLE>")]
    [Description("The token's role; not above the user's own (default: the user's role).")]
    public string? Role { get; init; }

    [CommandOption("--expires <WHEN>")]
    [Description("A duration (12h, 30d, 2w), a date (2026-12-31), a time (2026-12-31T18:00:00Z), or never (default 90d).")]
    public string Expires { get; init; } = DefaultExpiry;

    [CommandOption("--name <LABEL>")]
    [Description("What the token is for, shown in lists (default: cli).")]
    public string Name { get; init; } = "cli";

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(User))
        {
            return ValidationResult.Error("--user NAME is required: every token acts for a user");
        }
        if (Role is not null && !Roles.TryParse(Role, out _))
        {
            return ValidationResult.Error($"unknown role '{Role}': expected viewer, analyst, senior-analyst, lead or admin");
        }
        try
        {
            _ = ExpiresAt(TimeProvider.System.GetUtcNow());
        }
        catch (FormatException ex)
        {
            return ValidationResult.Error($"--expires: {ex.Message}");
        }
        return base.Validate();
    }

    public DateTimeOffset? ExpiresAt(DateTimeOffset now) =>
        string.Equals(Expires.Trim(), "never", StringComparison.OrdinalIgnoreCase) ? null : Suppression.ParseExpiry(Expires, now);
}

/// <summary>vedette tokens create --user NAME: a new API token, printed once; only its hash is stored.</summary>
internal sealed class TokenCreateCommand : AsyncCommand<TokenCreateSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TokenCreateSettings settings, CancellationToken cancellationToken)
    {
        await using var store = await IdentityCli.OpenAsync(settings, create: false, cancellationToken);
        if (await IdentityCli.FindAsync(store, settings.User!, cancellationToken) is not { } user)
        {
            return IdentityExit.NotFound;
        }
        if (user.Disabled)
        {
            await Console.Error.WriteLineAsync($"{user.Name} is disabled: enable the user before giving them a token");
            return IdentityExit.Refused;
        }
        var role = settings.Role is null ? user.Role : Roles.Parse(settings.Role);
        if (role > user.Role)
        {
            await Console.Error.WriteLineAsync($"a token cannot have role {role.ToName()}: {user.Name}'s own role is {user.Role.ToName()}");
            return IdentityExit.Refused;
        }
        var now = TimeProvider.System.GetUtcNow();
        var expiresAt = settings.ExpiresAt(now);
        var issued = ApiTokens.Issue(user, role, settings.Name, Guid.CreateVersion7(now), now, expiresAt - now);
        await store.AddTokenAsync(issued.Record, cancellationToken);
        var token = (await store.GetTokenAsync(issued.Record.Id, cancellationToken))!;
        await IdentityCli.AuditAsync(store, "token.create", TokenOutput.Target(token), writer => TokenOutput.WriteFields(writer, token, now), now, cancellationToken);
        if (settings.Format == OutputFormat.Json)
        {
            StoreAccess.WriteJson(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("token", issued.Token);
                TokenOutput.WriteFields(writer, token, now);
                writer.WriteEndObject();
            });
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"Token [bold]{token.Id}[/] for {user.Name} ({role.ToName()}), {TokenOutput.Expiry(token)}:");
            // Plain, unstyled and alone on its line: easy to copy, and it is never shown again.
            Console.WriteLine(issued.Token);
            AnsiConsole.MarkupLine("Copy it now: it is not stored and cannot be shown again. Send it as 'Authorization: Bearer TOKEN'.");
        }
        return 0;
    }
}

internal sealed class TokenListSettings : StoreSettings
{
    [CommandOption("--user <NAME>")]
    [Description("Only this user's tokens.")]
    public string? User { get; init; }
}

/// <summary>vedette tokens list: every token with its user, role, state and expiry; never the token nor its hash.</summary>
internal sealed class TokenListCommand : AsyncCommand<TokenListSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TokenListSettings settings, CancellationToken cancellationToken)
    {
        var now = TimeProvider.System.GetUtcNow();
        await using var store = await IdentityCli.OpenAsync(settings, create: false, cancellationToken);
        Guid? userId = null;
        if (settings.User is not null)
        {
            if (await IdentityCli.FindAsync(store, settings.User, cancellationToken) is not { } user)
            {
                return IdentityExit.NotFound;
            }
            userId = user.Id;
        }
        var tokens = await store.ListTokensAsync(userId, cancellationToken);
        if (settings.Format == OutputFormat.Json)
        {
            StoreAccess.WriteJson(writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("items");
                foreach (var token in tokens)
                {
                    writer.WriteStartObject();
                    TokenOutput.WriteFields(writer, token, now);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            });
            return 0;
        }
        if (tokens.Count == 0)
        {
            AnsiConsole.MarkupLine("No API tokens.");
            return 0;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumns("id", "user", "role", "name", "state", "created (UTC)", "expires (UTC)");
        foreach (var token in tokens)
        {
            table.AddRow(
                new Text(token.Id.ToString()),
                new Text(token.UserName),
                new Text(token.Role.ToName()),
                new Text(token.Name),
                new Text(TokenOutput.State(token, now)),
                new Text(token.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
                new Text(token.ExpiresAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "never"));
        }
        AnsiConsole.Write(table);
        return 0;
    }
}

internal sealed class TokenRevokeSettings : StoreSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("The token's id, as create and list print it.")]
    public Guid Id { get; init; }
}

/// <summary>vedette tokens revoke ID: the token is refused from the next request on; it stays listed, marked revoked.</summary>
internal sealed class TokenRevokeCommand : AsyncCommand<TokenRevokeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TokenRevokeSettings settings, CancellationToken cancellationToken)
    {
        var now = TimeProvider.System.GetUtcNow();
        await using var store = await IdentityCli.OpenAsync(settings, create: false, cancellationToken);
        var token = await store.GetTokenAsync(settings.Id, cancellationToken);
        if (token is null || !await store.RevokeTokenAsync(settings.Id, IdentityCli.Actor, now, cancellationToken))
        {
            await Console.Error.WriteLineAsync(token?.RevokedAt is { } at
                ? $"token {settings.Id} was revoked already, by {token.RevokedBy} at {at:u}"
                : $"no token {settings.Id}");
            return IdentityExit.NotFound;
        }
        var revoked = token with { RevokedAt = now, RevokedBy = IdentityCli.Actor };
        await IdentityCli.AuditAsync(store, "token.revoke", TokenOutput.Target(revoked), writer => TokenOutput.WriteFields(writer, revoked, now), now, cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"Token {revoked.Id} ({revoked.UserName}, {revoked.Name}) revoked.");
        return 0;
    }
}

/// <summary>How tokens are shown and audited: the token's metadata only.</summary>
internal static class TokenOutput
{
    public static string Target(ApiToken token) => $"token/{token.Id}";

    public static string State(ApiToken token, DateTimeOffset now) =>
        token.RevokedAt is not null ? "revoked" : token.IsExpired(now) ? "expired" : "active";

    public static string Expiry(ApiToken token) => token.ExpiresAt is { } at ? $"expires {at:u}" : "never expires";

    public static void WriteFields(Utf8JsonWriter writer, ApiToken token, DateTimeOffset now)
    {
        writer.WriteString("id", token.Id);
        writer.WriteString("user", token.UserName);
        writer.WriteString("role", token.Role.ToName());
        writer.WriteString("name", token.Name);
        writer.WriteString("state", State(token, now));
        writer.WriteString("createdAt", token.CreatedAt);
        IntelOutput.WriteTime(writer, "expiresAt", token.ExpiresAt);
        IntelOutput.WriteTime(writer, "revokedAt", token.RevokedAt);
        writer.WriteString("revokedBy", token.RevokedBy);
    }
}
