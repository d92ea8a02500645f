using System.Net;
using System.Net.Http.Json;
using Vedette.Identity;

namespace Vedette.Server.Tests;

/// <summary>A password-guessing attack on the server: throttled with growing delays, and raised as an incident by Vedette's own rules.</summary>
public sealed class BruteForceTests : IAsyncLifetime
{
    private const string BruteForceRule = "9b1c4e2a-7d3f-4a8b-b6e5-0c2d1f3a4b02";

    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Guessing_a_password_is_throttled_and_becomes_an_incident_in_Vedette_itself()
    {
        await _server.AddUserAsync("victim", Role.Analyst);
        using var attacker = _server.Browser();
        var statuses = new List<HttpStatusCode>();
        TimeSpan? retryAfter = null;
        for (var i = 0; i < 12; i++)
        {
            var response = await attacker.PostAsJsonAsync("/api/v1/auth/signin", new { name = "victim", password = $"guess number {i} of many" });
            statuses.Add(response.StatusCode);
            retryAfter ??= response.Headers.RetryAfter?.Delta;
        }

        // Five free failures, then the account waits (1 s, doubling): the later guesses are refused unverified.
        Assert.All(statuses.Take(5), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses.Skip(5));
        Assert.NotNull(retryAfter);
        // Even the right password waits while the account is held back.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await attacker.PostAsJsonAsync("/api/v1/auth/signin", new { name = "victim", password = TestServer.Password })).StatusCode);

        var viewer = _server.Client(Role.Viewer);
        System.Text.Json.JsonElement alert = default;
        for (var attempt = 0; attempt < 100 && alert.ValueKind == System.Text.Json.JsonValueKind.Undefined; attempt++)
        {
            var (_, alerts) = await Json.GetAsync(viewer, $"/api/v1/alerts?rule={BruteForceRule}");
            if (alerts.GetProperty("items").GetArrayLength() > 0)
            {
                alert = alerts.GetProperty("items")[0];
            }
            else
            {
                await Task.Delay(50);
            }
        }
        Assert.Equal(System.Text.Json.JsonValueKind.Object, alert.ValueKind);
        Assert.Equal("high", alert.GetProperty("severity").GetString());
        // The attacker's address is what the failures had in common (loopback here, which observables ignore as no one in particular).
        Assert.Equal("127.0.0.1", alert.GetProperty("groupBy").GetProperty("src_ip").GetString());
        var incidentId = alert.GetProperty("incidentId").GetString();
        var (found, incident) = await Json.GetAsync(viewer, $"/api/v1/incidents/{incidentId}");
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Contains(BruteForceRule, incident.GetProperty("ruleIds").EnumerateArray().Select(r => r.GetString()));

        var audit = await _server.AuditAsync();
        // Verified failures are audited; refusals by the throttle are not (a flood must not be able to grow the chained log
        // at its own pace): they are events in the pipeline, where the correlation above counted them.
        Assert.Equal(statuses.Count(s => s == HttpStatusCode.Unauthorized), audit.Count(a => a.Action == "auth.signin.failure" && a.Actor == "victim"));
    }
}
