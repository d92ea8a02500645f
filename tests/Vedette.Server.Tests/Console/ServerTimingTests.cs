using System.Globalization;
using System.Net;
using Vedette.Identity;

namespace Vedette.Server.Tests.Console;

/// <summary>Console pages say how long the server took on them; `vedette bench console` reads it.</summary>
public sealed class ServerTimingTests
{
    [Fact]
    public async Task Console_pages_carry_the_server_time_and_the_API_does_not()
    {
        await using var server = await TestServer.StartAsync();
        using var client = server.Client(Role.Analyst);

        using var queue = await client.GetAsync("/console/queue");
        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
        var timing = Assert.Single(queue.Headers.GetValues("Server-Timing"));
        Assert.StartsWith("app;dur=", timing, StringComparison.Ordinal);
        Assert.True(double.Parse(timing["app;dur=".Length..], NumberStyles.Float, CultureInfo.InvariantCulture) >= 0, timing);

        using var health = await client.GetAsync("/health");
        Assert.False(health.Headers.Contains("Server-Timing"));
    }
}
