using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Cli.Hosting;
using Vedette.Server;

namespace Vedette.Cli.Commands;

internal sealed class ServeSettings : PipelineSettings
{
    private static readonly JsonSerializerOptions ConfigJson = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    [CommandOption("--urls <URLS>")]
    [Description("Where to listen, semicolon-separated (default http://127.0.0.1:8080, or the config file's urls).")]
    public string? Urls { get; init; }

    [CommandOption("--metrics-urls <URLS>")]
    [Description("Serve /metrics on this address of its own, without credentials (e.g. http://127.0.0.1:9464), rather than on --urls with a token.")]
    public string? MetricsUrls { get; init; }

    [CommandOption("--config <FILE>")]
    [Description("Server configuration (JSON): urls, maxRequestBytes, ingestQueueBytes, session timeouts, feedsConfig, metricsUrls, passkey domain and origins; see docs/guide/server.md.")]
    public string? Config { get; init; }

    public override ValidationResult Validate() =>
        Config is not null && !File.Exists(Config) ? ValidationResult.Error($"no such file: {Config}") : base.Validate();

    /// <summary>The configuration file as written; a retention section with a bad age fails here, before anything runs.</summary>
    public static ServerOptions ReadConfig(string path)
    {
        try
        {
            var options = JsonSerializer.Deserialize<ServerOptions>(File.ReadAllText(path), ConfigJson) ?? new ServerOptions();
            _ = options.Retention?.ToPolicy();
            _ = options.Retention?.ToInterval();
            return options;
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            throw new InvalidOperationException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>Defaults, then the config file, then the command line.</summary>
    public ServerOptions ToServerOptions()
    {
        var options = Config is null ? new ServerOptions() : ReadConfig(Config);
        var feeds = options.FeedsConfig ?? Path.Combine(Data, "feeds.yml");
        return options with
        {
            Urls = Urls ?? options.Urls,
            MetricsUrls = MetricsUrls ?? options.MetricsUrls,
            FeedsConfig = File.Exists(feeds) ? Path.GetFullPath(feeds) : null,
        };
    }
}

/// <summary>
/// vedette serve: the pipeline, the REST API and the scheduled feed updates in one process, until Ctrl+C or SIGTERM;
/// stopping takes no new requests, lets those in flight finish and drains the pipeline into the store.
/// </summary>
internal sealed class ServeCommand : AsyncCommand<ServeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ServeSettings settings, CancellationToken cancellationToken)
    {
        var options = settings.ToServerOptions();
        var (engine, app) = await ServerHost.BuildAsync(settings.ToEngineOptions(), options, TimeProvider.System, logging: null, cancellationToken);
        await using (engine)
        {
            if (engine.Rules.Errors.Count > 0)
            {
                await Console.Error.WriteLineAsync($"vedette: {engine.Rules.Errors.Count} rule(s) failed to load (vedette rules check lists them)");
            }
            await using (app)
            {
                // Ctrl+C (the token) or SIGTERM (the host's lifetime) stop it the same way: gracefully.
                await app.StartAsync(cancellationToken);
                await app.WaitForShutdownAsync(cancellationToken);
            }
        }
        AnsiConsole.Console.Profile.Out.Writer.Flush();
        return 0;
    }
}
