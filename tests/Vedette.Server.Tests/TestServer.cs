using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vedette.Cli.Hosting;
using Vedette.Identity;
using Vedette.Server;
using Vedette.Server.Ingest;
using Vedette.Storage;

namespace Vedette.Server.Tests;

/// <summary>
/// A real `vedette serve` on 127.0.0.1 with a port of its own, on a real SQLite store in a temporary folder, built by the
/// same composition root as the command. It has one user per role, each with an API token and an HTTP client.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string Password = "correct horse battery staple vedette-tests";

    private readonly Engine _engine;

    private TestServer(string folder, Engine engine, WebApplication app, Uri address, CapturedLogs logs)
    {
        Folder = folder;
        _engine = engine;
        App = app;
        Address = address;
        Logs = logs;
    }

    public string Folder { get; }

    public WebApplication App { get; }

    public Uri Address { get; }

    public CapturedLogs Logs { get; }

    public IStore Store => _engine.Store;

    public IIdentityStore Identity => (IIdentityStore)_engine.Store;

    public IngestQueue Queue => App.Services.GetRequiredService<IngestQueue>();

    /// <summary>The token of each role's user (named after the role).</summary>
    public Dictionary<Role, string> Tokens { get; } = [];

    /// <param name="extraRulePaths">Rule files or folders loaded after the repository's rules (broken rules, for the load report).</param>
    public static async Task<TestServer> StartAsync(Func<ServerOptions, ServerOptions>? configure = null, TimeProvider? time = null, IReadOnlyList<string>? extraRulePaths = null)
    {
        time ??= TimeProvider.System;
        var folder = Path.Combine(Path.GetTempPath(), "vedette-server-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var options = new ServerOptions { Urls = "http://127.0.0.1:0", HostName = "vedette-test" };
        options = configure?.Invoke(options) ?? options;
        var logs = new CapturedLogs();
        var engineOptions = new EngineOptions
        {
            DataFolder = folder,
            RulePaths = [Repo.Path("rules"), .. extraRulePaths ?? []],
            MappingsFolder = Repo.Path("mappings"),
        };
        var (engine, app) = await ServerHost.BuildAsync(engineOptions, options, time, logging =>
        {
            logging.AddProvider(logs);
            logging.SetMinimumLevel(LogLevel.Debug);
        }, CancellationToken.None);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var server = new TestServer(folder, engine, app, address, logs);
        foreach (var role in Roles.All)
        {
            var user = await server.AddUserAsync(role.ToName(), role, now: time.GetUtcNow());
            server.Tokens[role] = await server.IssueTokenAsync(user, role, now: time.GetUtcNow());
        }
        return server;
    }

    public async Task<UserSummary> AddUserAsync(string name, Role role, string? password = Password, DateTimeOffset? now = null)
    {
        now ??= DateTimeOffset.UtcNow;
        var hash = password is null ? null : new PasswordHasher().Hash(password);
        Assert.True(await Identity.AddUserAsync(new NewUser(Guid.CreateVersion7(), name, role, hash, now.Value), CancellationToken.None));
        return (await Identity.FindUserAsync(name, CancellationToken.None))!;
    }

    public async Task<string> IssueTokenAsync(UserSummary user, Role role, TimeSpan? lifetime = null, DateTimeOffset? now = null)
    {
        var issued = ApiTokens.Issue(user, role, "test", Guid.CreateVersion7(), now ?? DateTimeOffset.UtcNow, lifetime);
        await Identity.AddTokenAsync(issued.Record, CancellationToken.None);
        return issued.Token;
    }

    /// <summary>A client for the role's user (its token), or anonymous for null.</summary>
    public HttpClient Client(Role? role)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(2) };
        if (role is { } r)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens[r]);
        }
        return client;
    }

    public HttpClient ClientWithToken(string token)
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A client that keeps cookies, as a browser would (no token).</summary>
    public HttpClient Browser(System.Net.CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new System.Net.CookieContainer(), UseCookies = true }) { BaseAddress = Address };

    public async Task<IReadOnlyList<Domain.AuditEntry>> AuditAsync()
    {
        var entries = new List<Domain.AuditEntry>();
        long after = 0;
        while (true)
        {
            var page = await Store.ReadAuditAsync(after, 1000, CancellationToken.None);
            entries.AddRange(page);
            if (page.Count < 1000)
            {
                return entries;
            }
            after = page[^1].Sequence;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await _engine.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Every log message the server wrote, for asserting what it never logs.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Messages.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

internal static class Json
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return document.RootElement.Clone();
    }

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        return (response, await ReadAsync(response));
    }

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        return (response, await ReadAsync(response));
    }
}
