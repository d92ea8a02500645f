using Microsoft.AspNetCore.Routing;

namespace Vedette.Server.Console;

internal static class AccountPages
{
    public static void Map(IEndpointRouteBuilder routes)
    {
    }
}
