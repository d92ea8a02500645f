using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Server.Api;
using Vedette.Storage;

namespace Vedette.Server.Console.Admin;

/// <summary>/console/admin/feeds: each threat-intel feed as the store remembers it between updates.</summary>
internal static class FeedsPage
{
    public const string Path = "/console/admin/feeds";

    public static void Map(IEndpointRouteBuilder routes) => routes.MapApi("GET", Path, ShowAsync);

    private static async Task<IResult> ShowAsync(HttpContext context, IStore store)
    {
        var feeds = await store.ListFeedsAsync(context.RequestAborted);
        return AdminFrame.Page(context, Path, "Threat-intel feeds", StatusCodes.Status200OK, null, (html, _, _) =>
        {
            if (feeds.Count == 0)
            {
                html.El("p", "No feeds have been loaded: see docs/guide/intel.md to configure them.", "empty");
                return;
            }
            // The feed's location is left out: a URL may carry an API key in its query.
            html.M("<table class=\"admin feeds\"><thead><tr><th scope=\"col\">Feed</th><th scope=\"col\">Kind</th><th scope=\"col\">Indicators</th>")
                .M("<th scope=\"col\">Last refresh</th><th scope=\"col\">Last attempt</th><th scope=\"col\">Last error</th></tr></thead><tbody>");
            foreach (var feed in feeds.OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase))
            {
                html.M("<tr").A("data-feed", feed.Name).M("><th scope=\"row\">").T(feed.Name).M("</th>")
                    .El("td", feed.Kind.ToString().ToLowerInvariant())
                    .El("td", AdminFrame.Count(feed.Indicators), "num")
                    .El("td", feed.UpdatedAt is { } updated ? ConsolePages.Time(updated) : "never")
                    .El("td", ConsolePages.Time(feed.AttemptedAt))
                    .El("td", feed.LastError ?? "—", feed.LastError is null ? null : "error-text")
                    .M("</tr>");
            }
            html.M("</tbody></table>");
        });
    }
}
