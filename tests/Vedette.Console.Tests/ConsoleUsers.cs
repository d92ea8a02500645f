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

    public static async Task SignInWithPasswordAsync(IPage page, string name)
    {
        await page.GotoAsync("/console/signin");
        await page.Locator("input[name=name]").FillAsync(name);
        await page.Locator("input[name=password]").FillAsync(Password);
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
