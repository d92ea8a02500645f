using Microsoft.AspNetCore.Routing;

namespace Vedette.Server.Console;

internal static class DashboardPage
{
    public static void Map(IEndpointRouteBuilder routes)
    {
    }
}
