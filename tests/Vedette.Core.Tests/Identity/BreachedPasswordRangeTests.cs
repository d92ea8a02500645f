using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Vedette.Identity;

namespace Vedette.Tests.Identity;

/// <summary>The k-anonymity range check against a stand-in for the breached-password service on loopback.</summary>
public sealed class BreachedPasswordRangeTests : IAsyncLifetime
{
    private const string Breached = "granite lantern 7 cobalt";
    private const string Padded = "tiny-orbit-plume-nine";
    private const string Clean = "plum-vessel-orbit-sixty";

    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Path, string? Padding)> _requests = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http = new();
    private Task? _serving;

    /// <summary>What the stand-in answers: status and body for a prefix.</summary>
    public Func<string, (int Status, string Body)> Answer { get; set; } = _ => (200, "");

    private Uri BaseAddress { get; set; } = null!;

    public Task InitializeAsync()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/");
            probe.Stop();
        }
        _listener.Prefixes.Add(BaseAddress.ToString());
        _listener.Start();
        _serving = ServeAsync();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        if (_serving is not null)
        {
            await _serving;
        }
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            var path = context.Request.Url!.AbsolutePath;
            _requests.Enqueue((path, context.Request.Headers["Add-Padding"]));
            var (status, body) = Answer(path["/range/".Length..]);
            context.Response.StatusCode = status;
            var bytes = Encoding.ASCII.GetBytes(body);
            // Large replies go chunked, without a length: the client must stop reading at its cap, not trust a header.
            if (bytes.Length > 1024 * 1024)
            {
                context.Response.SendChunked = true;
            }
            else
            {
                context.Response.ContentLength64 = bytes.Length;
            }
            try
            {
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or IOException)
            {
                // The client hung up, as it should on an oversized reply.
                context.Response.Abort();
            }
        }
    }

    // The range API's key; what the stand-in must compute to answer like the real service.
#pragma warning disable CA5350
    private static string Sha1(string password) => Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(password)));
#pragma warning restore CA5350

    /// <summary>A reply like the real service's: other suffixes around, the listed ones with their counts.</summary>
    private static string Reply(params (string Password, int Count)[] listed)
    {
        var lines = new List<string> { "0018A45C4D1DEF81644B54AB7F969B88D65:1", "00D4F6E8FA6EECAD2A3AA415EEC418D38EC:2" };
        lines.AddRange(listed.Select(l => $"{Sha1(l.Password)[5..]}:{l.Count}"));
        lines.Add("FFFFF6E8FA6EECAD2A3AA415EEC418D38EC:7");
        return string.Join("\r\n", lines);
    }

    private PasswordPolicy Policy() => new(new RangeBreachedPasswordCheck(_http, BaseAddress));

    [Fact]
    public async Task A_breached_password_is_refused_and_only_five_hex_characters_of_its_hash_leave_the_machine()
    {
        Answer = prefix => prefix == Sha1(Breached)[..5] ? (200, Reply((Breached, 42))) : (200, Reply());

        var verdict = await Policy().CheckAsync(Breached, "ana", hasMfa: false, CancellationToken.None);

        Assert.False(verdict.Accepted);
        Assert.Equal("this password appears 42 time(s) in known data breaches", verdict.Reason);
        var (path, padding) = Assert.Single(_requests);
        Assert.Equal($"/range/{Sha1(Breached)[..5]}", path);
        Assert.Equal("true", padding);
    }

    [Fact]
    public async Task Padding_entries_and_unlisted_suffixes_are_not_breaches()
    {
        Answer = _ => (200, Reply((Padded, 0)));

        Assert.True((await Policy().CheckAsync(Padded, "ana", hasMfa: false, CancellationToken.None)).Accepted);
        Assert.True((await Policy().CheckAsync(Clean, "ana", hasMfa: false, CancellationToken.None)).Accepted);
        Assert.Equal(2, _requests.Count);
    }

    [Fact]
    public async Task A_password_the_local_rules_refuse_is_never_sent()
    {
        var verdict = await Policy().CheckAsync("password1234567", "ana", hasMfa: false, CancellationToken.None);

        Assert.False(verdict.Accepted);
        Assert.Empty(_requests);
    }

    [Fact]
    public async Task When_the_service_fails_the_check_says_so_and_the_policy_falls_back_to_the_local_rules()
    {
        Answer = _ => (503, "down for maintenance");
        var check = new RangeBreachedPasswordCheck(_http, BaseAddress);

        var result = await check.CheckAsync(Breached, CancellationToken.None);
        var verdict = await Policy().CheckAsync(Breached, "ana", hasMfa: false, CancellationToken.None);

        Assert.Equal(BreachStatus.Unavailable, result.Status);
        Assert.Contains("503", result.Error, StringComparison.Ordinal);
        Assert.True(verdict.Accepted);
    }

    [Fact]
    public async Task An_oversized_reply_is_refused_rather_than_read()
    {
        Answer = _ => (200, new string('A', RangeBreachedPasswordCheck.MaxReplyBytes + 10));

        var result = await new RangeBreachedPasswordCheck(_http, BaseAddress).CheckAsync(Breached, CancellationToken.None);

        Assert.Equal(BreachStatus.Unavailable, result.Status);
    }
}
