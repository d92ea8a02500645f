using Microsoft.Playwright;

namespace Vedette.Console.Tests;

/// <summary>
/// The README's pictures of the console, taken by the tests at 1280×800. Every run takes them (into a temporary
/// folder), so the path is always exercised; they replace the committed ones in docs/screenshots/ only when
/// VEDETTE_SCREENSHOTS=1, because each run's ids and times would otherwise change the committed files.
/// </summary>
internal static class Screenshots
{
    public static string Folder { get; } = Environment.GetEnvironmentVariable("VEDETTE_SCREENSHOTS") == "1"
        ? Repo.Path("docs", "screenshots")
        : Path.Combine(Path.GetTempPath(), "vedette-screenshots");

    public static async Task<string> TakeAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = false, Type = ScreenshotType.Png });
        Assert.True(new FileInfo(path).Length > 10_000, $"{path} looks empty");
        return path;
    }
}
