using Microsoft.AspNetCore.Routing;

namespace Vedette.Server.Console;

internal static class AdminPages
{
    public static void Map(IEndpointRouteBuilder routes)
    {
    }
}
