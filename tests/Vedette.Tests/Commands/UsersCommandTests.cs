using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Vedette.Identity;
using Vedette.Storage.Sqlite;

namespace Vedette.Tests.Commands;

public sealed class UsersCommandTests
{
    private const string GoodPassword = "granite lantern 7 cobalt";

    /// <summary>Runs vedette with <paramref name="input"/> on its standard input.</summary>
    internal static async Task<(int ExitCode, string Stdout, string Stderr)> RunWithInputAsync(string input, params string[] args)
    {
        var info = Cli.StartInfo(args);
        info.RedirectStandardInput = true;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    internal static async Task AddUserAsync(string data, string name, string role, string password = GoodPassword)
    {
        var (exit, _, stderr) = await RunWithInputAsync(password + "\n", "users", "add", name, "--role", role, "--password-stdin", "--data", data);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
    }

    private static async Task<JsonDocument> JsonAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await Cli.RunAsync([.. args, "--format", "json"]);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        return JsonDocument.Parse(stdout);
    }

    private static async Task<List<(string Actor, string Action, string Target, string Details)>> AuditAsync(string data)
    {
        await using var store = await SqliteStore.OpenAsync(Path.Combine(data, "vedette.db"), TimeProvider.System, CancellationToken.None);
        return [.. (await store.ReadAuditAsync(0, 100, CancellationToken.None)).Select(e => (e.Actor, e.Action, e.Target, e.Details))];
    }

    [Fact]
    public async Task A_user_added_with_a_good_password_is_listed_hashed_and_audited_without_the_password()
    {
        using var folder = new TempFolder();
        var data = folder.File("data");

        await AddUserAsync(data, "ana", "senior_analyst");

        using (var listed = await JsonAsync("users", "list", "--data", data))
        {
            var user = Assert.Single(listed.RootElement.GetProperty("items").EnumerateArray());
            Assert.Equal(("ana", "senior-analyst", false, false), (user.GetProperty("name").GetString(), user.GetProperty("role").GetString(),
                user.GetProperty("disabled").GetBoolean(), user.GetProperty("totp").GetBoolean()));
            Assert.DoesNotContain("argon2", user.GetRawText(), StringComparison.Ordinal);
        }
        await using (var store = await SqliteStore.OpenAsync(Path.Combine(data, "vedette.db"), TimeProvider.System, CancellationToken.None))
        {
            var ana = (await store.FindUserAsync("ana", CancellationToken.None))!;
            var credentials = (await store.GetCredentialsAsync(ana.Id, CancellationToken.None))!;
            // The trailing line break of --password-stdin is not part of the password.
            Assert.Equal(PasswordCheck.Verified, new PasswordHasher().Verify(credentials.PasswordHash, GoodPassword));
        }
        var audit = Assert.Single(await AuditAsync(data));
        Assert.Equal(("user.add", "user/ana"), (audit.Action, audit.Target));
        Assert.StartsWith("cli:", audit.Actor, StringComparison.Ordinal);
        Assert.Contains("\"role\":\"senior-analyst\"", audit.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("granite", audit.Details, StringComparison.Ordinal);
        var files = Directory.GetFiles(data).Select(File.ReadAllBytes).SelectMany(b => b).ToArray();
        Assert.Equal(-1, files.AsSpan().IndexOf(Encoding.UTF8.GetBytes(GoodPassword)));
    }

    [Theory]
    [InlineData("password1234567", "common password")]
    [InlineData("qwertyuiopasdfgh", "common password")]
    [InlineData("short but fine", "at least 15 characters")]
    [InlineData("my name is ana, hello there", "must not contain the user name")]
    public async Task A_weak_or_common_password_is_refused_with_the_reason_and_no_user_is_added(string password, string reason)
    {
        using var folder = new TempFolder();
        var data = folder.File("data");

        var (exit, _, stderr) = await RunWithInputAsync(password, "users", "add", "ana", "--role", "analyst", "--password-stdin", "--data", data);

        Assert.Equal(2, exit);
        Assert.Contains("password refused: ", stderr, StringComparison.Ordinal);
        Assert.Contains(reason, stderr, StringComparison.Ordinal);
        // Refused before the store is touched: not even created.
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task Without_password_stdin_and_without_a_terminal_the_password_is_not_guessed()
    {
        using var folder = new TempFolder();

        var (exit, _, stderr) = await Cli.RunAsync("users", "add", "ana", "--role", "analyst", "--data", folder.File("data"));

        Assert.Equal(64, exit);
        Assert.Contains("pass --password-stdin", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unknown role 'root'", "users", "add", "ana", "--role", "root")]
    [InlineData("--role ROLE is required", "users", "add", "ana")]
    [InlineData("not a valid user name", "users", "add", "ana lopez", "--role", "viewer")]
    [InlineData("unknown role 'boss'", "users", "set-role", "ana", "boss")]
    public async Task Bad_arguments_are_usage_errors(string message, params string[] args)
    {
        using var folder = new TempFolder();

        var (exit, _, stderr) = await Cli.RunAsync([.. args, "--data", folder.File("data")]);

        Assert.Equal(64, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Role_changes_disabling_and_mfa_resets_are_applied_and_audited_in_order()
    {
        using var folder = new TempFolder();
        var data = folder.File("data");
        await AddUserAsync(data, "ana", "analyst");

        var (duplicate, _, duplicateError) = await RunWithInputAsync(GoodPassword, "users", "add", "ANA", "--role", "viewer", "--password-stdin", "--data", data);
        Assert.Equal(3, duplicate);
        Assert.Contains("exists already", duplicateError, StringComparison.Ordinal);

        Assert.Equal(0, (await Cli.RunAsync("users", "set-role", "ana", "lead", "--data", data)).ExitCode);
        Assert.Equal(0, (await Cli.RunAsync("users", "reset-mfa", "ana", "--data", data)).ExitCode);
        Assert.Equal(0, (await Cli.RunAsync("users", "disable", "ana", "--data", data)).ExitCode);
        var (again, _, againError) = await Cli.RunAsync("users", "disable", "ana", "--data", data);
        Assert.Equal(3, again);
        Assert.Contains("disabled already", againError, StringComparison.Ordinal);
        var (missing, _, missingError) = await Cli.RunAsync("users", "set-role", "nobody", "viewer", "--data", data);
        Assert.Equal(3, missing);
        Assert.Contains("no user named nobody", missingError, StringComparison.Ordinal);

        using (var listed = await JsonAsync("users", "list", "--data", data))
        {
            var user = Assert.Single(listed.RootElement.GetProperty("items").EnumerateArray());
            Assert.Equal(("lead", true, true), (user.GetProperty("role").GetString(), user.GetProperty("disabled").GetBoolean(), user.GetProperty("mfaRequired").GetBoolean()));
        }
        var audit = await AuditAsync(data);
        Assert.Equal(["user.add", "user.role", "user.mfa-reset", "user.disable"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal("user/ana", a.Target));
        Assert.Contains("\"from\":\"analyst\",\"to\":\"lead\"", audit[1].Details, StringComparison.Ordinal);
    }
}
