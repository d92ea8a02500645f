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
        await AddUserAsync(server, name, role, Password);
        return name;
    }

    /// <summary>A user with TOTP enrolled as POST /api/v1/auth/totp/confirm leaves them (secret, hashed recovery codes); returns the secret.</summary>
    public static async Task<byte[]> AddWithTotpAsync(ConsoleServer server, string name, Role role, string password)
    {
        var id = await AddUserAsync(server, name, role, password);
        var secret = Vedette.Identity.Totp.GenerateSecret();
        Assert.True(await ((IIdentityStore)server.Store).EnableTotpAsync(id, secret, [.. RecoveryCodes.Generate().Select(RecoveryCodes.Hash)], DateTimeOffset.UtcNow, CancellationToken.None));
        return secret;
    }

    private static async Task<Guid> AddUserAsync(ConsoleServer server, string name, Role role, string password)
    {
        var id = Guid.CreateVersion7();
        Assert.True(await ((IIdentityStore)server.Store).AddUserAsync(new NewUser(id, name, role, new PasswordHasher().Hash(password), DateTimeOffset.UtcNow), CancellationToken.None),
            $"could not add the user '{name}'");
        return id;
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
