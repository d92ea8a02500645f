using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vedette.Cli.Hosting;
using Vedette.Identity;
using Vedette.Server;
using Vedette.Simulation;
using Vedette.Storage;

namespace Vedette.Console.Tests;

/// <summary>
/// A real `vedette serve` on 127.0.0.1 on a SQLite store in a temporary folder, built by the same composition root as
/// the command (as Vedette.Server.Tests' TestServer), with an analyst who signs in with a known password and the
/// incidents that simulated attacks raised.
/// </summary>
public sealed class ConsoleServer : IAsyncDisposable
{
    public const string AnalystName = "analyst";
    public const string AnalystPassword = "correct horse battery staple vedette-console";

    private const int SimulatedEvents = 5_000;

    private readonly Engine _engine;

    private ConsoleServer(string folder, Engine engine, WebApplication app, Uri address)
    {
        Folder = folder;
        _engine = engine;
        App = app;
        Address = address;
    }

    public string Folder { get; }

    public WebApplication App { get; }

    public Uri Address { get; }

    public IStore Store => _engine.Store;

    /// <summary>The server under the name passkeys are bound to (the same socket as <see cref="Address"/>).</summary>
    public Uri PasskeyAddress => new($"http://localhost:{Address.Port}");

    public static async Task<ConsoleServer> StartAsync(CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "vedette-console-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var engineOptions = new EngineOptions
        {
            DataFolder = folder,
            RulePaths = [Repo.Path("rules")],
            MappingsFolder = Repo.Path("mappings"),
        };
        // WebAuthn takes no IP address as relying party: passkey tests browse http://localhost:PORT, so the port is
        // chosen before the server starts, to name that origin in the server's options.
        var port = FreePort();
        var options = new ServerOptions
        {
            Urls = $"http://127.0.0.1:{port}",
            HostName = "vedette-console-test",
            PasskeyDomain = "localhost",
            PasskeyOrigins = [$"http://localhost:{port}"],
        };
        var (engine, app) = await ServerHost.BuildAsync(engineOptions, options, TimeProvider.System,
            logging => logging.SetMinimumLevel(LogLevel.Warning), cancellationToken);
        await app.StartAsync(cancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var server = new ConsoleServer(folder, engine, app, address);
        await server.SeedAsync(cancellationToken);
        return server;
    }

    /// <summary>The analyst, through the identity store, then simulated attacks posted as events with the analyst's token.</summary>
    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        var identity = (IIdentityStore)Store;
        var now = DateTimeOffset.UtcNow;
        var hash = new PasswordHasher().Hash(AnalystPassword);
        if (!await identity.AddUserAsync(new NewUser(Guid.CreateVersion7(), AnalystName, Role.Analyst, hash, now), cancellationToken))
        {
            throw new InvalidOperationException($"could not add the user '{AnalystName}' to a fresh store in {Folder}");
        }
        var analyst = await identity.FindUserAsync(AnalystName, cancellationToken)
            ?? throw new InvalidOperationException($"the user '{AnalystName}' was added but cannot be found");
        var token = ApiTokens.Issue(analyst, Role.Analyst, "console-tests", Guid.CreateVersion7(), now, lifetime: null);
        await identity.AddTokenAsync(token.Record, cancellationToken);

        using var buffer = new MemoryStream();
        new AttackSimulator().Run(new SimulationOptions(SimulatedEvents, Seed: 7), buffer);
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        using var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        // The response comes once the pipeline has stored every line: the incidents exist when it returns.
        using var response = await client.PostAsync(new Uri("/api/v1/events", UriKind.Relative), content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"seeding events: POST /api/v1/events answered {(int)response.StatusCode}: {body}");
        }
        using var receipt = JsonDocument.Parse(body);
        if (receipt.RootElement.GetProperty("rejected").GetInt32() != 0)
        {
            throw new InvalidOperationException($"seeding events: some simulated lines were rejected: {body}");
        }
        var incidents = await Store.ListIncidentsAsync(new IncidentQuery { Limit = 3 }, cancellationToken);
        if (incidents.Items.Count < 3)
        {
            throw new InvalidOperationException($"seeding events: {SimulatedEvents} simulated events raised only {incidents.Items.Count} incidents; the queue tests need several");
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
