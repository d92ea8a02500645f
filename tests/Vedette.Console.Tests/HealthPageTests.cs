namespace Vedette.Console.Tests;

/// <summary>The harness itself: Debian's Chromium, driven by Playwright, reaches the real server.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class HealthPageTests(ConsoleHarness harness)
{
    [Fact]
    public async Task The_health_endpoint_renders_in_chromium()
    {
        var page = await harness.Chromium.NewPageAsync(harness.Server.Address);
        try
        {
            var response = await page.GotoAsync("/health");

            Assert.NotNull(response);
            Assert.Equal(200, response.Status);
            var text = await page.Locator("body").InnerTextAsync();
            Assert.False(string.IsNullOrWhiteSpace(text), "Chromium rendered an empty /health page");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_browser_is_debians_chromium_at_the_consoles_reference_size()
    {
        var page = await harness.Chromium.NewPageAsync(harness.Server.Address);
        try
        {
            var debian = await DebianChromiumVersionAsync();
            var width = await page.EvaluateAsync<int>("() => window.innerWidth");
            var height = await page.EvaluateAsync<int>("() => window.innerHeight");

            Assert.Contains(harness.Chromium.Browser.Version, debian, StringComparison.Ordinal);
            Assert.Equal((1280, 800), (width, height));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>What the installed package says of itself, e.g. "Chromium 156.0.8078.108 built on Debian GNU/Linux 12".</summary>
    private static async Task<string> DebianChromiumVersionAsync()
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(Chromium.ExecutablePath, "--version")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return output;
    }
}
