using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vedette.Identity;
using Vedette.Server.Api;

namespace Vedette.Server.Tests;

/// <summary>
/// Every endpoint the server actually maps (read from its EndpointDataSource, so one added without a table entry fails
/// here) × every role × anonymous callers gets exactly the access the endpoint table gives it.
/// </summary>
public sealed class AuthorizationMatrixTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private IReadOnlyList<(RouteEndpoint Endpoint, string Method)> Mapped() =>
        [.. _server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (e, m)))];

    [Fact]
    public void Every_mapped_endpoint_is_in_the_table_with_its_policy_and_every_table_entry_is_mapped()
    {
        var mapped = Mapped();
        foreach (var (endpoint, method) in mapped)
        {
            var pattern = endpoint.RoutePattern.RawText!;
            var entry = ApiEndpoints.Find(method, pattern);
            Assert.True(entry is not null, $"{method} {pattern} is mapped but not in ApiEndpoints");
            Assert.Same(entry, endpoint.Metadata.GetMetadata<ApiEndpoint>());
            if (entry.MinRole is { } role)
            {
                var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
                Assert.True(policies.Contains("role:" + role.ToName()), $"{entry} has policies [{string.Join(", ", policies)}], not role:{role.ToName()}");
                Assert.Null(endpoint.Metadata.GetMetadata<IAllowAnonymous>());
            }
            else
            {
                Assert.NotNull(endpoint.Metadata.GetMetadata<IAllowAnonymous>());
            }
        }
        foreach (var entry in ApiEndpoints.All)
        {
            Assert.True(mapped.Any(m => m.Method == entry.Method && m.Endpoint.RoutePattern.RawText == entry.Pattern), $"{entry} is in the table but not mapped");
        }
    }

    [Fact]
    public async Task Every_endpoint_answers_every_role_and_anonymous_callers_exactly_as_the_table_says()
    {
        Role?[] callers = [null, .. Roles.All.Cast<Role?>()];
        var failures = new List<string>();
        foreach (var (endpoint, method) in Mapped())
        {
            var entry = endpoint.Metadata.GetMetadata<ApiEndpoint>()!;
            var path = SamplePath(endpoint.RoutePattern.RawText!);
            foreach (var caller in callers)
            {
                using var client = NonRedirectingClient(caller);
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT")
                {
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                }
                using var response = await client.SendAsync(request);
                var status = response.StatusCode;
                var who = caller?.ToName() ?? "anonymous";
                if (entry.MinRole is not { } minimum)
                {
                    if (status is HttpStatusCode.Forbidden)
                    {
                        failures.Add($"{entry} as {who}: {(int)status}, but anyone may call it");
                    }
                }
                else if (caller is null && ApiEndpoints.IsConsole(entry))
                {
                    // The console sends a browser to its sign-in form instead of answering 401.
                    if (status is not (HttpStatusCode.Found or HttpStatusCode.SeeOther) || response.Headers.Location?.OriginalString != "/console/signin")
                    {
                        failures.Add($"{entry} as anonymous: {(int)status} to {response.Headers.Location}, expected a redirect to /console/signin");
                    }
                }
                else if (caller is null)
                {
                    if (status != HttpStatusCode.Unauthorized)
                    {
                        failures.Add($"{entry} as anonymous: {(int)status}, expected 401");
                    }
                }
                else if (caller < minimum)
                {
                    if (status != HttpStatusCode.Forbidden)
                    {
                        failures.Add($"{entry} as {who}: {(int)status}, expected 403 (needs {minimum.ToName()})");
                    }
                }
                else if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    failures.Add($"{entry} as {who}: {(int)status}, but {minimum.ToName()} or above may call it");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void The_API_guide_lists_every_endpoint_with_its_least_role()
    {
        var guide = File.ReadAllText(Repo.Path("docs", "guide", "api.md"));
        foreach (var entry in ApiEndpoints.All)
        {
            var role = entry.MinRole?.ToName() ?? "anyone";
            Assert.True(guide.Contains($"| {entry.Method} | `{entry.Pattern}` | {role} |", StringComparison.Ordinal), $"docs/guide/api.md does not list {entry} as {role}");
        }
    }

    /// <summary>The role's token client that shows redirects instead of following them (the console answers with them).</summary>
    private HttpClient NonRedirectingClient(Role? role)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.Address };
        if (role is { } r)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _server.Tokens[r]);
        }
        return client;
    }

    /// <summary>A concrete path for a route pattern: ids that name nothing, the v1 document, the reference's page.</summary>
    private static string SamplePath(string pattern) => pattern
        .Replace("{id}", pattern.Contains("/rules/", StringComparison.Ordinal) ? "no-such-rule" : Guid.NewGuid().ToString(), StringComparison.Ordinal)
        .Replace("{name}", "no-such-user", StringComparison.Ordinal)
        .Replace("{documentName}", "v1", StringComparison.Ordinal)
        .Replace("{documentName?}", "", StringComparison.Ordinal);
}
