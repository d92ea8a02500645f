using Microsoft.Playwright;

namespace Vedette.Console.Tests;

/// <summary>
/// Debian's Chromium driven by the Playwright driver that the NuGet package ships (its bundled Node.js): no browser is
/// downloaded. Playwright gives every launch a fresh, empty user-data-dir of its own and deletes it on close.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    /// <summary>Debian's package `chromium`, which .ci/run installs.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>
    /// The machine's network is closed: without the background-networking flags Chromium's own connections are refused
    /// many at a time and slow every start.
    /// </summary>
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private static readonly TimeSpan LaunchTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Every click, wait and navigation: far above a page's real time, so only a hang fails on it.</summary>
    private static readonly TimeSpan ActionTimeout = TimeSpan.FromSeconds(20);

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<Chromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new FileNotFoundException($"{ExecutablePath} is missing: the console tests drive Debian's chromium (apt-get install chromium; .ci/run installs it)", ExecutablePath);
        }
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                ChromiumSandbox = false,
                Args = Flags,
                Timeout = (float)LaunchTimeout.TotalMilliseconds,
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A new context (its own cookies) and page at the console's reference size, 1280×800, unless told another.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout((float)ActionTimeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)ActionTimeout.TotalMilliseconds);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
