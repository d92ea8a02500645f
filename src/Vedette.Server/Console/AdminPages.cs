using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vedette.Server.Api;
using Vedette.Server.Console.Admin;

namespace Vedette.Server.Console;

/// <summary>
/// The administration area under /console/admin: a landing page listing the sections the caller's role may use, and
/// the sections themselves (users, API tokens, suppressions, feeds, rules), whose forms run the API's own actions.
/// </summary>
internal static class AdminPages
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapApi("GET", AdminFrame.Root, Landing);
        UsersPage.Map(routes);
        TokensPage.Map(routes);
        SuppressionsPage.Map(routes);
        FeedsPage.Map(routes);
        RulesPage.Map(routes);
    }

    private static IResult Landing(HttpContext context) =>
        AdminFrame.Page(context, AdminFrame.Root, "Administration", StatusCodes.Status200OK, null, (html, caller, _) =>
        {
            html.M("<ul class=\"admin-sections\">");
            foreach (var section in AdminFrame.SectionsFor(caller))
            {
                html.M("<li><a").A("href", section.Path).M(">").T(section.Title).M("</a> ").El("span", section.Description, "more").M("</li>");
            }
            html.M("</ul>");
        });
}
