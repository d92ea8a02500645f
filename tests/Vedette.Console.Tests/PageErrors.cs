using Microsoft.Playwright;

namespace Vedette.Console.Tests;

internal static class PageErrors
{
    /// <summary>
    /// Script errors and blocked inline code of a page from now on (a CSP violation is a console error), to assert
    /// none. The console serves its own icon, so even Chromium's own request for one must not fail.
    /// </summary>
    public static List<string> Watch(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{page.Url}: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => errors.Add($"{page.Url}: {error}");
        return errors;
    }
}
