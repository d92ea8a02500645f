using Microsoft.Playwright;
using Vedette.Domain;
using Vedette.Identity;

namespace Vedette.Console.Tests;

/// <summary>Users made for one test each (the harness's store is shared), and what the server audited about them.</summary>
internal static class ConsoleUsers
{
    public const string Password = "a long passphrase for a user of one console test";

    /// <summary>A fresh user with <see cref="Password"/>: the name carries a random suffix, so reruns and tests never share one.</summary>
    public static async Task<string> AddAsync(ConsoleServer server, string prefix, Role role)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
        var identity = (IIdentityStore)server.Store;
        Assert.True(await identity.AddUserAsync(new NewUser(Guid.CreateVersion7(), name, role, new PasswordHasher().Hash(Password), DateTimeOffset.UtcNow), CancellationToken.None),
            $"could not add the user '{name}'");
        return name;
    }

    /// <summary>A user with TOTP enrolled as POST /api/v1/auth/totp/confirm leaves them (secret, hashed recovery codes); returns the secret.</summary>
    public static async Task<byte[]> AddWithTotpAsync(ConsoleServer server, string name, Role role, string password)
    {
        var identity = (IIdentityStore)server.Store;
        var now = DateTimeOffset.UtcNow;
        Assert.True(await identity.AddUserAsync(new NewUser(Guid.CreateVersion7(), name, role, new PasswordHasher().Hash(password), now), CancellationToken.None),
            $"could not add the user '{name}'");
        var user = await identity.FindUserAsync(name, CancellationToken.None);
        Assert.NotNull(user);
        var secret = Vedette.Identity.Totp.GenerateSecret();
        Assert.True(await identity.EnableTotpAsync(user.Id, secret, [.. RecoveryCodes.Generate().Select(RecoveryCodes.Hash)], now, CancellationToken.None));
        return secret;
    }

    /// <summary>Fills and posts the sign-in form; where the browser lands is the caller's to check.</summary>
    public static async Task SignInWithPasswordAsync(IPage page, string name, string password = Password)
    {
        await page.GotoAsync("/console/signin");
        await page.Locator("input[name=name]").FillAsync(name);
        await page.Locator("input[name=password]").FillAsync(password);
        await page.Locator("form[action='/console/signin'] button[type=submit]").ClickAsync();
    }

    public static async Task<List<AuditEntry>> AuditOfAsync(ConsoleServer server, string actor)
    {
        var entries = new List<AuditEntry>();
        long after = 0;
        while (true)
        {
            var page = await server.Store.ReadAuditAsync(after, 1000, CancellationToken.None);
            entries.AddRange(page.Where(e => e.Actor == actor));
            if (page.Count < 1000)
            {
                return entries;
            }
            after = page[^1].Sequence;
        }
    }
}
