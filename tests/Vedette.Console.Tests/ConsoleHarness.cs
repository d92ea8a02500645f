using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Vedette.Console.Tests;

/// <summary>One server and one browser for every console test: starting either is the slow part.</summary>
public sealed class ConsoleHarness : IAsyncLifetime
{
    private ConsoleServer? _server;
    private Chromium? _chromium;

    public ConsoleServer Server => _server ?? throw new InvalidOperationException("the harness has not started");

    public Chromium Chromium => _chromium ?? throw new InvalidOperationException("the harness has not started");

    public async Task InitializeAsync()
    {
        // Generous: CI runs the other test projects beside this one on two cores.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        _server = await ConsoleServer.StartAsync(timeout.Token);
        try
        {
            _chromium = await Chromium.LaunchAsync();
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed: the server would outlive the run.
            await _server.DisposeAsync();
            _server = null;
            throw;
        }
    }

    /// <summary>Signs the seeded analyst in through the console's form; the page is on the queue when it returns.</summary>
    public static async Task SignInAsync(IPage page)
    {
        await ConsoleUsers.SignInWithPasswordAsync(page, ConsoleServer.AnalystName, ConsoleServer.AnalystPassword);
        await page.WaitForURLAsync(new Regex("/console/queue$"));
    }

    public async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleHarness>
{
    public const string Name = "console";
}
