using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Vedette.Server.Auth;

namespace Vedette.Server.Api;

/// <summary>Maps handlers with the access the endpoint table gives them; nothing is mapped without an entry.</summary>
internal static class EndpointMapping
{
    public static RouteHandlerBuilder MapApi(this IEndpointRouteBuilder routes, string method, string pattern, Delegate handler)
    {
        var entry = Entry(method, pattern);
        var builder = routes.MapMethods(pattern, [method], handler).WithSummary(entry.Summary).WithMetadata(entry);
        builder.ApplyAccess(entry);
        return builder;
    }

    /// <summary>Gives endpoints mapped by a library (the OpenAPI document, the API reference) the access the table lists for them.</summary>
    public static void RequireTableAccess(this IEndpointConventionBuilder builder)
    {
        builder.Finally(endpoint =>
        {
            if (endpoint is not RouteEndpointBuilder route)
            {
                return;
            }
            var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().FirstOrDefault()?.HttpMethods ?? ["GET"];
            var entry = Entry(methods[0], route.RoutePattern.RawText ?? "");
            // The reference's own assets come marked anonymous: the table decides, not the library.
            for (var i = endpoint.Metadata.Count - 1; i >= 0; i--)
            {
                if (endpoint.Metadata[i] is IAllowAnonymous)
                {
                    endpoint.Metadata.RemoveAt(i);
                }
            }
            endpoint.Metadata.Add(entry);
            foreach (var metadata in Access.MetadataFor(entry))
            {
                endpoint.Metadata.Add(metadata);
            }
        });
    }

    private static void ApplyAccess(this RouteHandlerBuilder builder, ApiEndpoint entry) =>
        builder.Add(endpoint =>
        {
            foreach (var metadata in Access.MetadataFor(entry))
            {
                endpoint.Metadata.Add(metadata);
            }
        });

    private static ApiEndpoint Entry(string method, string pattern) =>
        ApiEndpoints.Find(method, RoutePatternFactory.Parse(pattern).RawText ?? pattern)
            ?? throw new InvalidOperationException($"{method} {pattern} is not in ApiEndpoints: add it there with the least role that may call it");
}
