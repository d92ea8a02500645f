using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using Vedette.Identity;

namespace Vedette.Server.Tests;

/// <summary>Console sessions end after 30 idle minutes, and 12 hours after sign-in however active (on the server's clock).</summary>
public sealed class SessionExpiryTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(time: _time);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_session_idle_for_longer_than_the_idle_timeout_is_over()
    {
        await _server.AddUserAsync("ida", Role.Viewer, now: _time.GetUtcNow());
        using var browser = _server.Browser();
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsJsonAsync("/api/v1/auth/signin", new { name = "ida", password = TestServer.Password })).StatusCode);

        _time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/auth/me")).StatusCode);
        _time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/auth/me")).StatusCode);
        _time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Fact]
    public async Task An_active_session_still_ends_at_the_absolute_timeout()
    {
        await _server.AddUserAsync("abe", Role.Viewer, now: _time.GetUtcNow());
        using var browser = _server.Browser();
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsJsonAsync("/api/v1/auth/signin", new { name = "abe", password = TestServer.Password })).StatusCode);

        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(11.5); elapsed += TimeSpan.FromMinutes(20))
        {
            _time.Advance(TimeSpan.FromMinutes(20));
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/auth/me")).StatusCode);
        }
        _time.Advance(TimeSpan.FromMinutes(40));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/auth/me")).StatusCode);
    }
}
