using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Cli.Hosting;
using Vedette.Identity;
using Vedette.Serialization;
using Vedette.Storage;
using Vedette.Storage.Sqlite;

namespace Vedette.Cli.Commands;

/// <summary>Exit codes the identity commands share with the rest of the CLI (64 is a usage error).</summary>
internal static class IdentityExit
{
    /// <summary>Refused on its merits: a weak password, a role above the user's, a broken audit chain.</summary>
    public const int Refused = 2;

    /// <summary>No such user or token, or the change was made already.</summary>
    public const int NotFound = 3;
}

/// <summary>What the identity commands share: who acts, how passwords are read, how changes are audited.</summary>
internal static class IdentityCli
{
    // A password longer than the policy allows is refused anyway; this only bounds what is read.
    private const int MaxPasswordInput = 4 * PasswordPolicy.MaxLength;

    /// <summary>The CLI acts for whoever can open the store's file: the audit log names that OS account.</summary>
    public static string Actor => $"cli:{Environment.UserName}";

    public static async Task<SqliteStore> OpenAsync(StoreSettings settings, bool create, CancellationToken cancellationToken)
    {
        var path = ProductPaths.Database(settings.Data);
        if (!create && !File.Exists(path))
        {
            throw new InvalidOperationException($"no Vedette store at {Path.GetFullPath(path)}: add a user first, or pass --data DIR");
        }
        return await SqliteStore.OpenAsync(path, TimeProvider.System, cancellationToken);
    }

    public static async Task<UserSummary?> FindAsync(IIdentityStore store, string name, CancellationToken cancellationToken)
    {
        var user = await store.FindUserAsync(name, cancellationToken);
        if (user is null)
        {
            await Console.Error.WriteLineAsync($"no user named {name}");
        }
        return user;
    }

    /// <summary>
    /// The new password: all of standard input with one trailing line break removed (--password-stdin), or typed twice
    /// at a terminal without echo. Null (after saying why) when neither is possible or the two entries differ.
    /// </summary>
    public static async Task<string?> ReadPasswordAsync(bool fromStdin, CancellationToken cancellationToken)
    {
        if (fromStdin)
        {
            var buffer = new char[MaxPasswordInput + 2];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await Console.In.ReadAsync(buffer.AsMemory(read), cancellationToken);
                if (n == 0)
                {
                    break;
                }
                read += n;
            }
            var text = new string(buffer, 0, read);
            if (text.EndsWith("\r\n", StringComparison.Ordinal))
            {
                text = text[..^2];
            }
            else if (text.EndsWith('\n'))
            {
                text = text[..^1];
            }
            return text;
        }
        if (Console.IsInputRedirected || Console.IsOutputRedirected)
        {
            await Console.Error.WriteLineAsync("no terminal to ask for the password: pass --password-stdin and write the password to standard input");
            return null;
        }
        var first = AnsiConsole.Prompt(new TextPrompt<string>("New password:").Secret(null));
        var second = AnsiConsole.Prompt(new TextPrompt<string>("Repeat it:").Secret(null));
        if (!string.Equals(first, second, StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync("the two passwords differ; nothing was changed");
            return null;
        }
        return first;
    }

    /// <summary>Appends to the audit log; <paramref name="details"/> writes a JSON object that never holds a secret.</summary>
    public static Task AuditAsync(IStore store, string action, string target, Action<Utf8JsonWriter> details, DateTimeOffset at, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, DomainJson.WriterOptions(indented: false)))
        {
            writer.WriteStartObject();
            details(writer);
            writer.WriteEndObject();
        }
        return store.AppendAuditAsync(Actor, action, target, Encoding.UTF8.GetString(buffer.ToArray()), at, cancellationToken);
    }

    public static string Target(UserSummary user) => $"user/{user.Name}";

    public static void WriteUser(Utf8JsonWriter writer, UserSummary user)
    {
        writer.WriteStartObject();
        writer.WriteString("id", user.Id);
        writer.WriteString("name", user.Name);
        writer.WriteString("role", user.Role.ToName());
        writer.WriteBoolean("disabled", user.Disabled);
        writer.WriteBoolean("totp", user.TotpEnabled);
        writer.WriteNumber("recoveryCodesLeft", user.RecoveryCodesLeft);
        writer.WriteNumber("passkeys", user.PasskeyCount);
        writer.WriteBoolean("mfaRequired", user.Role.RequiresMfa());
        writer.WriteString("createdAt", user.CreatedAt);
        writer.WriteString("updatedAt", user.UpdatedAt);
        writer.WriteEndObject();
    }

    public static string Mfa(UserSummary user)
    {
        var parts = new List<string>();
        if (user.TotpEnabled)
        {
            parts.Add($"totp ({user.RecoveryCodesLeft} recovery codes left)");
        }
        if (user.PasskeyCount > 0)
        {
            parts.Add($"{user.PasskeyCount} passkey(s)");
        }
        return parts.Count > 0 ? string.Join(", ", parts) : user.Role.RequiresMfa() ? "none (required: enrol at next sign-in)" : "none";
    }
}

internal class UserSettings : StoreSettings
{
    [CommandArgument(0, "<NAME>")]
    [Description("The user name.")]
    public string Name { get; init; } = "";
}

internal sealed class UserAddSettings : UserSettings
{
    [CommandOption("--role <ROLE>")]
    [Description("viewer, analyst, senior-analyst, lead or admin (required). Leads and admins must enrol MFA.")]
    public string? Role { get; init; }

    [CommandOption("--password-stdin")]
    [Description("Read the password from standard input (one line break at the end is dropped); otherwise it is asked for at the terminal.")]
    public bool PasswordStdin { get; init; }

    public override ValidationResult Validate()
    {
        if (UserNames.Validate(Name) is { } problem)
        {
            return ValidationResult.Error(problem);
        }
        if (Role is null)
        {
            return ValidationResult.Error("--role ROLE is required: viewer, analyst, senior-analyst, lead or admin");
        }
        return Roles.TryParse(Role, out _) ? base.Validate() : ValidationResult.Error($"unknown role '{Role}': expected viewer, analyst, senior-analyst, lead or admin");
    }
}

/// <summary>vedette users add NAME --role ROLE: creates a user with a password that passes the policy.</summary>
internal sealed class UserAddCommand : AsyncCommand<UserAddSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, UserAddSettings settings, CancellationToken cancellationToken)
    {
        var role = Roles.Parse(settings.Role!);
        var password = await IdentityCli.ReadPasswordAsync(settings.PasswordStdin, cancellationToken);
        if (password is null)
        {
            return 64;
        }
        // A new user has no second factor yet, so the longer minimum applies.
        var verdict = PasswordPolicy.Check(password, settings.Name, hasMfa: false);
        if (!verdict.Accepted)
        {
            await Console.Error.WriteLineAsync($"password refused: {verdict.Reason}");
            return IdentityExit.Refused;
        }
        var now = TimeProvider.System.GetUtcNow();
        var hash = new PasswordHasher().Hash(password);
        await using var store = await IdentityCli.OpenAsync(settings, create: true, cancellationToken);
        if (!await store.AddUserAsync(new NewUser(Guid.CreateVersion7(now), settings.Name, role, hash, now), cancellationToken))
        {
            await Console.Error.WriteLineAsync($"a user named {settings.Name} exists already");
            return IdentityExit.NotFound;
        }
        var user = (await store.FindUserAsync(settings.Name, cancellationToken))!;
        await IdentityCli.AuditAsync(store, "user.add", IdentityCli.Target(user), writer =>
        {
            writer.WriteString("id", user.Id);
            writer.WriteString("role", user.Role.ToName());
        }, now, cancellationToken);
        if (settings.Format == OutputFormat.Json)
        {
            StoreAccess.WriteJson(writer => IdentityCli.WriteUser(writer, user));
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"User [bold]{user.Name}[/] added with role {user.Role.ToName()}.");
            if (role.RequiresMfa())
            {
                AnsiConsole.MarkupLine("This role requires MFA: the first sign-in only lets them enrol TOTP or a passkey.");
            }
        }
        return 0;
    }
}

/// <summary>vedette users list: every user with role, state and second factors; never a hash or secret.</summary>
internal sealed class UserListCommand : AsyncCommand<StoreSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, StoreSettings settings, CancellationToken cancellationToken)
    {
        await using var store = await IdentityCli.OpenAsync(settings, create: false, cancellationToken);
        var users = await store.ListUsersAsync(cancellationToken);
        if (settings.Format == OutputFormat.Json)
        {
            StoreAccess.WriteJson(writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("items");
                foreach (var user in users)
                {
                    IdentityCli.WriteUser(writer, user);
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            });
            return 0;
        }
        if (users.Count == 0)
        {
            AnsiConsole.MarkupLine("No users (vedette users add NAME --role ROLE).");
            return 0;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumns("name", "role", "state", "mfa", "created (UTC)", "updated (UTC)");
        foreach (var user in users)
        {
            table.AddRow(
                new Text(user.Name),
                new Text(user.Role.ToName()),
                new Text(user.Disabled ? "disabled" : "active"),
                new Text(IdentityCli.Mfa(user)),
                new Text(user.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
                new Text(user.UpdatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)));
        }
        AnsiConsole.Write(table);
        return 0;
    }
}

internal sealed class UserSetRoleSettings : UserSettings
{
    [CommandArgument(1, "<ROLE>")]
    [Description("viewer, analyst, senior-analyst, lead or admin.")]
    public string Role { get; init; } = "";

    public override ValidationResult Validate() =>
        Roles.TryParse(Role, out _) ? base.Validate() : ValidationResult.Error($"unknown role '{Role}': expected viewer, analyst, senior-analyst, lead or admin");
}

/// <summary>vedette users set-role NAME ROLE: the user's sessions end; their tokens never act above the new role.</summary>
internal sealed class UserSetRoleCommand : AsyncCommand<UserSetRoleSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, UserSetRoleSettings settings, CancellationToken cancellationToken)
    {
        var role = Roles.Parse(settings.Role);
        await using var store = await IdentityCli.OpenAsync(settings, create: false, cancellationToken);
        if (await IdentityCli.FindAsync(store, settings.Name, cancellationToken) is not { } user)
        {
            return IdentityExit.NotFound;
        }
        if (user.Role == role)
        {
            await Console.Error.WriteLineAsync($"{user.Name} has role {role.ToName()} already");
            return IdentityExit.NotFound;
        }
        var now = TimeProvider.System.GetUtcNow();
        await store.SetRoleAsync(user.Id, role, now, cancellationToken);
        await IdentityCli.AuditAsync(store, "user.role", IdentityCli.Target(user), writer =>
        {
            writer.WriteString("from", user.Role.ToName());
            writer.WriteString("to", role.ToName());
        }, now, cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"{user.Name}: role {user.Role.ToName()} → {role.ToName()}; their sessions have ended.");
        if (role.RequiresMfa() && !user.HasMfa)
        {
            AnsiConsole.MarkupLine("This role requires MFA: their next sign-in only lets them enrol it.");
        }
        return 0;
    }
}

/// <summary>vedette users disable NAME / enable NAME: a disabled user cannot sign in, and their sessions and tokens stop working.</summary>
internal abstract class UserStateCommand : AsyncCommand<UserSettings>
{
    protected abstract bool Disable { get; }

    public override async Task<int> ExecuteAsync(CommandContext context, UserSettings settings, CancellationToken cancellationToken)
    {
        await using var store = await IdentityCli.OpenAsync(settings, create: false, cancellationToken);
        if (await IdentityCli.FindAsync(store, settings.Name, cancellationToken) is not { } user)
        {
            return IdentityExit.NotFound;
        }
        if (user.Disabled == Disable)
        {
            await Console.Error.WriteLineAsync($"{user.Name} is {(Disable ? "disabled" : "enabled")} already");
            return IdentityExit.NotFound;
        }
        var now = TimeProvider.System.GetUtcNow();
        await store.SetDisabledAsync(user.Id, Disable, now, cancellationToken);
        await IdentityCli.AuditAsync(store, Disable ? "user.disable" : "user.enable", IdentityCli.Target(user), writer => writer.WriteString("id", user.Id), now, cancellationToken);
        if (Disable)
        {
            AnsiConsole.MarkupLineInterpolated($"{user.Name} disabled: their sessions have ended and their API tokens are refused.");
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"{user.Name} enabled again.");
        }
        return 0;
    }
}

internal sealed class UserDisableCommand : UserStateCommand
{
    protected override bool Disable => true;
}

internal sealed class UserEnableCommand : UserStateCommand
{
    protected override bool Disable => false;
}

/// <summary>vedette users reset-mfa NAME: removes TOTP, recovery codes and passkeys (a lost phone); the user enrols again.</summary>
internal sealed class UserResetMfaCommand : AsyncCommand<UserSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, UserSettings settings, CancellationToken cancellationToken)
    {
        await using var store = await IdentityCli.OpenAsync(settings, create: false, cancellationToken);
        if (await IdentityCli.FindAsync(store, settings.Name, cancellationToken) is not { } user)
        {
            return IdentityExit.NotFound;
        }
        var now = TimeProvider.System.GetUtcNow();
        await store.ResetMfaAsync(user.Id, now, cancellationToken);
        await IdentityCli.AuditAsync(store, "user.mfa-reset", IdentityCli.Target(user), writer =>
        {
            writer.WriteBoolean("hadTotp", user.TotpEnabled);
            writer.WriteNumber("passkeysRemoved", user.PasskeyCount);
        }, now, cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"{user.Name}: second factors removed and sessions ended.");
        if (user.Role.RequiresMfa())
        {
            AnsiConsole.MarkupLine("Their role requires MFA: their next sign-in only lets them enrol it again.");
        }
        return 0;
    }
}

internal sealed class UserSetPasswordSettings : UserSettings
{
    [CommandOption("--password-stdin")]
    [Description("Read the password from standard input; otherwise it is asked for at the terminal.")]
    public bool PasswordStdin { get; init; }
}

/// <summary>vedette users set-password NAME: an administrator's reset (a forgotten password); the user's sessions end.</summary>
internal sealed class UserSetPasswordCommand : AsyncCommand<UserSetPasswordSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, UserSetPasswordSettings settings, CancellationToken cancellationToken)
    {
        await using var store = await IdentityCli.OpenAsync(settings, create: false, cancellationToken);
        if (await IdentityCli.FindAsync(store, settings.Name, cancellationToken) is not { } user)
        {
            return IdentityExit.NotFound;
        }
        var password = await IdentityCli.ReadPasswordAsync(settings.PasswordStdin, cancellationToken);
        if (password is null)
        {
            return 64;
        }
        var verdict = PasswordPolicy.Check(password, user.Name, user.HasMfa);
        if (!verdict.Accepted)
        {
            await Console.Error.WriteLineAsync($"password refused: {verdict.Reason}");
            return IdentityExit.Refused;
        }
        var now = TimeProvider.System.GetUtcNow();
        await store.SetPasswordAsync(user.Id, new PasswordHasher().Hash(password), now, cancellationToken);
        await IdentityCli.AuditAsync(store, "user.password", IdentityCli.Target(user), writer => writer.WriteString("id", user.Id), now, cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"{user.Name}: password set; their sessions have ended.");
        return 0;
    }
}
