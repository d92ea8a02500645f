using System.Text;
using System.Text.Json;
using Vedette.Identity;
using Vedette.Storage.Sqlite;

namespace Vedette.Tests.Commands;

public sealed class TokensCommandTests
{
    private static async Task<JsonDocument> JsonAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await Cli.RunAsync([.. args, "--format", "json"]);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        return JsonDocument.Parse(stdout);
    }

    [Fact]
    public async Task A_token_is_shown_once_stored_hashed_listed_without_itself_and_revoked_at_once()
    {
        using var folder = new TempFolder();
        var data = folder.File("data");
        await UsersCommandTests.AddUserAsync(data, "ana", "lead");

        string token, id;
        using (var created = await JsonAsync("tokens", "create", "--user", "ana", "--role", "analyst", "--expires", "30d", "--name", "edr-bridge", "--data", data))
        {
            token = created.RootElement.GetProperty("token").GetString()!;
            id = created.RootElement.GetProperty("id").GetString()!;
            Assert.True(ApiTokens.LooksLikeToken(token), token);
            Assert.Equal(("ana", "analyst", "edr-bridge", "active"), (created.RootElement.GetProperty("user").GetString(), created.RootElement.GetProperty("role").GetString(),
                created.RootElement.GetProperty("name").GetString(), created.RootElement.GetProperty("state").GetString()));
            Assert.Equal(TimeSpan.FromDays(30), created.RootElement.GetProperty("expiresAt").GetDateTimeOffset() - created.RootElement.GetProperty("createdAt").GetDateTimeOffset());
        }

        var (listExit, listed, _) = await Cli.RunAsync("tokens", "list", "--data", data, "--format", "json");
        Assert.Equal(0, listExit);
        Assert.Contains(id, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(token[4..], listed, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiTokens.Hash(token), listed, StringComparison.Ordinal);

        await using (var store = await SqliteStore.OpenAsync(Path.Combine(data, "vedette.db"), TimeProvider.System, CancellationToken.None))
        {
            var found = await store.FindTokenAsync(ApiTokens.Hash(token), CancellationToken.None);
            Assert.Equal(TokenState.Valid, ApiTokens.Check(found, await store.FindUserAsync("ana", CancellationToken.None), DateTimeOffset.UtcNow));
        }
        var files = Directory.GetFiles(data).Select(File.ReadAllBytes).SelectMany(b => b).ToArray();
        Assert.Equal(-1, files.AsSpan().IndexOf(Encoding.ASCII.GetBytes(token[4..])));

        Assert.Equal(0, (await Cli.RunAsync("tokens", "revoke", id, "--data", data)).ExitCode);
        var (again, _, againError) = await Cli.RunAsync("tokens", "revoke", id, "--data", data);
        Assert.Equal(3, again);
        Assert.Contains("revoked already", againError, StringComparison.Ordinal);

        await using (var store = await SqliteStore.OpenAsync(Path.Combine(data, "vedette.db"), TimeProvider.System, CancellationToken.None))
        {
            var found = await store.FindTokenAsync(ApiTokens.Hash(token), CancellationToken.None);
            Assert.Equal(TokenState.Revoked, ApiTokens.Check(found, await store.FindUserAsync("ana", CancellationToken.None), DateTimeOffset.UtcNow));
            var audit = await store.ReadAuditAsync(0, 100, CancellationToken.None);
            Assert.Equal(["user.add", "token.create", "token.revoke"], audit.Select(a => a.Action));
            Assert.All(audit.Skip(1), a => Assert.Equal($"token/{id}", a.Target));
            Assert.All(audit, a => Assert.DoesNotContain(token[4..], a.Details, StringComparison.Ordinal));
        }
        using var after = await JsonAsync("tokens", "list", "--data", data);
        Assert.Equal("revoked", Assert.Single(after.RootElement.GetProperty("items").EnumerateArray()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_token_takes_its_users_role_by_default_expires_in_90_days_and_never_only_when_asked()
    {
        using var folder = new TempFolder();
        var data = folder.File("data");
        await UsersCommandTests.AddUserAsync(data, "bob", "senior-analyst");

        using var byDefault = await JsonAsync("tokens", "create", "--user", "bob", "--data", data);
        using var forever = await JsonAsync("tokens", "create", "--user", "bob", "--expires", "never", "--data", data);

        Assert.Equal("senior-analyst", byDefault.RootElement.GetProperty("role").GetString());
        Assert.Equal(TimeSpan.FromDays(90), byDefault.RootElement.GetProperty("expiresAt").GetDateTimeOffset() - byDefault.RootElement.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, forever.RootElement.GetProperty("expiresAt").ValueKind);
    }

    [Fact]
    public async Task A_token_above_the_users_role_or_for_an_unknown_or_disabled_user_is_refused()
    {
        using var folder = new TempFolder();
        var data = folder.File("data");
        await UsersCommandTests.AddUserAsync(data, "ana", "analyst");

        var (above, _, aboveError) = await Cli.RunAsync("tokens", "create", "--user", "ana", "--role", "admin", "--data", data);
        var (unknown, _, unknownError) = await Cli.RunAsync("tokens", "create", "--user", "nobody", "--data", data);
        var (badExpiry, _, badExpiryError) = await Cli.RunAsync("tokens", "create", "--user", "ana", "--expires", "soon", "--data", data);
        Assert.Equal(0, (await Cli.RunAsync("users", "disable", "ana", "--data", data)).ExitCode);
        var (disabled, _, disabledError) = await Cli.RunAsync("tokens", "create", "--user", "ana", "--data", data);

        Assert.Equal((2, 3, 64, 2), (above, unknown, badExpiry, disabled));
        Assert.Contains("cannot have role admin: ana's own role is analyst", aboveError, StringComparison.Ordinal);
        Assert.Contains("no user named nobody", unknownError, StringComparison.Ordinal);
        Assert.Contains("--expires", badExpiryError, StringComparison.Ordinal);
        Assert.Contains("ana is disabled", disabledError, StringComparison.Ordinal);
        using var listed = await JsonAsync("tokens", "list", "--data", data);
        Assert.Empty(listed.RootElement.GetProperty("items").EnumerateArray());
    }
}
