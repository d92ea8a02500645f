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

    [CommandOption("--config <FILE>")]
    [Description("Server configuration (JSON): urls, maxRequestBytes, ingestQueueBytes, session timeouts, feedsConfig, passkey domain and origins; see docs/guide/server.md.")]
    public string? Config { get; init; }

    public override ValidationResult Validate() =>
        Config is not null && !File.Exists(Config) ? ValidationResult.Error($"no such file: {Config}") : base.Validate();

    /// <summary>Defaults, then the config file, then the command line.</summary>
    public ServerOptions ToServerOptions()
    {
        var options = new ServerOptions();
        if (Config is not null)
        {
            try
            {
                options = JsonSerializer.Deserialize<ServerOptions>(File.ReadAllText(Config), ConfigJson) ?? options;
            }
            catch (JsonException ex)
            {
                throw new InvalidOperationException($"{Config}: {ex.Message}", ex);
            }
        }
        var feeds = options.FeedsConfig ?? Path.Combine(Data, "feeds.yml");
        return options with
        {
            Urls = Urls ?? options.Urls,
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
