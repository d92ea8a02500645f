using System.ComponentModel;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Vedette.Cli.Hosting;
using Vedette.Domain;
using Vedette.Enrich.Intel;
using Vedette.Enrich.Intel.Sources;
using Vedette.Pipeline;
using Vedette.Storage;
using Vedette.Storage.Sqlite;

namespace Vedette.Cli.Commands;

internal sealed class IntelLoadSettings : StoreSettings
{
    [CommandArgument(0, "<PATH>")]
    [Description("Feed file, or a MISP feed folder (with manifest.json).")]
    public string Path { get; init; } = "";

    [CommandOption("--kind <KIND>")]
    [Description("stix, misp, csv, list, spamhaus or abuseipdb.")]
    public string KindName { get; init; } = "";

    [CommandOption("--name <FEED>")]
    [Description("Feed name (default: the file name without extension). Loading a feed again replaces what it listed.")]
    public string? Name { get; init; }

    [CommandOption("--score <N>")]
    [Description("Score 0-100 of indicators the feed gives none (default 50).")]
    public int Score { get; init; } = 50;

    [CommandOption("--ttl <DAYS>")]
    [Description("Indicators expire this many days after last seen, unless the feed says otherwise.")]
    public double? TtlDays { get; init; }

    [CommandOption("--half-life <DAYS>")]
    [Description("Scores halve every this many days since last seen.")]
    public double? HalfLifeDays { get; init; }

    [CommandOption("--exact-domains")]
    [Description("Listed domains match only themselves, not their subdomains.")]
    public bool ExactDomains { get; init; }

    [CommandOption("--columns <PRESET>")]
    [Description("CSV column mapping: feodo, urlhaus or threatfox.")]
    public string? Columns { get; init; }

    [CommandOption("--value-column <COLUMN>")]
    [Description("CSV: the column (header name or 0-based index) holding the indicator.")]
    public string? ValueColumn { get; init; }

    [CommandOption("--value-type <TYPE>")]
    [Description("CSV: the indicators' type (ipv4, domain, url, sha256, ...) or auto (default).")]
    public string ValueType { get; init; } = "auto";

    public FeedKind Kind => Enum.Parse<FeedKind>(KindName, ignoreCase: true);

    public override ValidationResult Validate()
    {
        if (!Enum.TryParse<FeedKind>(KindName, ignoreCase: true, out var kind) || kind == FeedKind.Taxii)
        {
            return ValidationResult.Error($"--kind must be stix, misp, csv, list, spamhaus or abuseipdb, not '{KindName}'");
        }
        if (Score is < 0 or > 100)
        {
            return ValidationResult.Error("--score must be between 0 and 100");
        }
        if (TtlDays <= 0 || HalfLifeDays <= 0)
        {
            return ValidationResult.Error("--ttl and --half-life must be positive");
        }
        if (kind == FeedKind.Csv && Columns is null && ValueColumn is null)
        {
            return ValidationResult.Error($"a CSV feed needs --columns ({string.Join(", ", CsvPresets.Names)}) or --value-column");
        }
        if (Columns is not null && !CsvPresets.TryGet(Columns, out _))
        {
            return ValidationResult.Error($"unknown --columns '{Columns}': expected {string.Join(", ", CsvPresets.Names)}");
        }
        return base.Validate();
    }

    public FeedDefinition ToFeed()
    {
        CsvColumns? csv = null;
        if (Columns is not null && CsvPresets.TryGet(Columns, out var preset))
        {
            csv = preset;
        }
        if (ValueColumn is not null)
        {
            csv = (csv ?? new CsvColumns { Value = ValueColumn }) with { Value = ValueColumn, Type = ValueType };
        }
        return new FeedDefinition
        {
            Name = Name ?? System.IO.Path.GetFileNameWithoutExtension(System.IO.Path.TrimEndingDirectorySeparator(Path)),
            Kind = Kind,
            Location = System.IO.Path.GetFullPath(Path),
            DefaultScore = Score,
            Ttl = TtlDays is { } ttl ? TimeSpan.FromDays(ttl) : null,
            HalfLife = HalfLifeDays is { } halfLife ? TimeSpan.FromDays(halfLife) : null,
            MatchSubdomains = !ExactDomains,
            Csv = csv,
        };
    }
}

/// <summary>vedette intel load: reads one feed file into the store and reports what it contributed and what it could not read.</summary>
internal sealed class IntelLoadCommand : AsyncCommand<IntelLoadSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IntelLoadSettings settings, CancellationToken cancellationToken)
    {
        if (!File.Exists(settings.Path) && !Directory.Exists(settings.Path))
        {
            throw new InvalidOperationException($"no such file or folder: {settings.Path}");
        }
        var feed = settings.ToFeed();
        var errors = new ErrorReport(keep: 200);
        await using var store = await SqliteStore.OpenAsync(ProductPaths.Database(settings.Data), TimeProvider.System, cancellationToken);
        using var intel = await IntelService.OpenAsync(store, TimeProvider.System, cancellationToken);
        var update = await intel.LoadAsync(feed, new FileFeedLocation(settings.Path), errors, cancellationToken);
        if (settings.Format == OutputFormat.Json)
        {
            StoreAccess.WriteJson(writer =>
            {
                writer.WriteStartObject();
                IntelOutput.WriteUpdate(writer, update);
                IntelOutput.WriteErrors(writer, errors);
                writer.WriteEndObject();
            });
        }
        else
        {
            IntelOutput.PrintUpdate(update);
            IntelOutput.PrintErrors(errors);
            AnsiConsole.MarkupLineInterpolated($"The store now holds [bold]{intel.Current.Count:N0}[/] distinct indicators from {intel.Current.Feeds.Count} feed(s).");
        }
        return update.Failure is null ? 0 : 1;
    }
}

internal sealed class IntelLookupSettings : StoreSettings
{
    [CommandArgument(0, "<VALUE>")]
    [Description("Values to look up: addresses, networks, domains, URLs, hashes, e-mail addresses; type:value (file:mimikatz.exe, asn:AS64496) to say the type.")]
    public string[] Values { get; init; } = [];
}

/// <summary>vedette intel lookup: what the feeds know about values, and how each matched (exact, cidr, parent-domain).</summary>
internal sealed class IntelLookupCommand : AsyncCommand<IntelLookupSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IntelLookupSettings settings, CancellationToken cancellationToken)
    {
        var queries = new List<(string Value, Observable? Observable)>();
        foreach (var value in settings.Values)
        {
            queries.Add((value, ObservableTypes.ParseQuery(value)));
        }
        await using var store = await StoreAccess.OpenExistingAsync(settings, cancellationToken);
        using var intel = await IntelService.OpenAsync(store, TimeProvider.System, cancellationToken);
        var now = TimeProvider.System.GetUtcNow();
        var results = queries.Select(q => (q.Value, q.Observable, Matches: q.Observable is { } o ? intel.Current.MatchAll(o, now) : [])).ToList();
        if (settings.Format == OutputFormat.Json)
        {
            StoreAccess.WriteJson(writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("results");
                foreach (var (value, observable, matches) in results)
                {
                    writer.WriteStartObject();
                    writer.WriteString("value", value);
                    if (observable is null)
                    {
                        writer.WriteString("error", "not an address, network, domain, URL, hash or e-mail address");
                    }
                    writer.WriteStartArray("matches");
                    foreach (var match in matches)
                    {
                        IntelOutput.WriteMatch(writer, match);
                    }
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            });
        }
        else
        {
            var table = new Table().AddColumns("value", "indicator", "type", "reason", "feeds", "score", "tags", "expires");
            foreach (var (value, observable, matches) in results)
            {
                if (matches.Count == 0)
                {
                    table.AddRow(Markup.Escape(value), observable is null ? "[red]not an indicator value[/]" : "[grey]no match[/]", "", "", "", "", "", "");
                }
                foreach (var match in matches)
                {
                    table.AddRow(
                        Markup.Escape(value), Markup.Escape(match.Indicator.Value), IntelMatch.TypeName(match.Indicator), IntelMatch.ReasonName(match.Reason),
                        Markup.Escape(string.Join(", ", match.Feeds)), match.Score.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Markup.Escape(string.Join(", ", match.Tags)), match.ExpiresAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "");
                }
            }
            AnsiConsole.Write(table);
        }
        return results.Exists(r => r.Observable is null) ? 1 : 0;
    }
}

internal sealed class IntelUpdateSettings : StoreSettings
{
    [CommandOption("--config <FILE>")]
    [Description("Feeds YAML (default: feeds.yml in the --data folder).")]
    public string? Config { get; init; }

    [CommandOption("--feed <NAME>")]
    [Description("Only these feeds (repeatable).")]
    public string[] Feeds { get; init; } = [];

    [CommandOption("--watch")]
    [Description("Keep running and update each feed on its cron schedule, until Ctrl+C.")]
    public bool Watch { get; init; }

    [CommandOption("--allow-private")]
    [Description("Allow feed URLs on private, loopback and link-local addresses (an internal MISP or TAXII server).")]
    public bool AllowPrivate { get; init; }

    public string ConfigPath => Config ?? System.IO.Path.Combine(Data, "feeds.yml");
}

/// <summary>vedette intel update: runs the configured feeds now (or on their schedules with --watch).</summary>
internal sealed class IntelUpdateCommand : AsyncCommand<IntelUpdateSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, IntelUpdateSettings settings, CancellationToken cancellationToken)
    {
        if (!File.Exists(settings.ConfigPath))
        {
            throw new InvalidOperationException($"no feed configuration at {System.IO.Path.GetFullPath(settings.ConfigPath)}: pass --config FILE (see docs/guide/intel.md)");
        }
        var configured = FeedConfig.Load(settings.ConfigPath);
        var unknown = settings.Feeds.Where(name => !configured.Any(f => f.Name == name)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"no feed named {string.Join(", ", unknown)} in {settings.ConfigPath}");
        }
        var feeds = configured.Where(f => f.Enabled && (settings.Feeds.Length == 0 || settings.Feeds.Contains(f.Name))).ToList();
        var errors = new ErrorReport(keep: 200);
        var options = new FeedFetchOptions { AllowPrivateAddresses = settings.AllowPrivate };
        using var http = FeedHttp.CreateClient(options);
        await using var store = await SqliteStore.OpenAsync(ProductPaths.Database(settings.Data), TimeProvider.System, cancellationToken);
        using var intel = await IntelService.OpenAsync(store, TimeProvider.System, cancellationToken);
        IFeedSource Source(FeedDefinition feed) => FeedSources.For(feed, http, options);

        if (settings.Watch)
        {
            var lastRuns = (await intel.ListFeedsAsync(cancellationToken)).Where(f => f.UpdatedAt is not null).ToDictionary(f => f.Name, f => f.UpdatedAt!.Value);
            var scheduler = new FeedScheduler(feeds, TimeProvider.System, errors, lastRuns);
            AnsiConsole.MarkupLineInterpolated($"Watching {feeds.Count} feed(s); Ctrl+C stops.");
            try
            {
                await scheduler.RunAsync(async (feed, ct) =>
                {
                    var updates = await intel.UpdateAsync([feed], Source, errors, ct);
                    IntelOutput.PrintUpdate(updates[0]);
                }, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            return 0;
        }

        var results = await intel.UpdateAsync(feeds, Source, errors, cancellationToken);
        if (settings.Format == OutputFormat.Json)
        {
            StoreAccess.WriteJson(writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("feeds");
                foreach (var update in results)
                {
                    writer.WriteStartObject();
                    IntelOutput.WriteUpdate(writer, update);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteNumber("indicators", intel.Current.Count);
                IntelOutput.WriteErrors(writer, errors);
                writer.WriteEndObject();
            });
        }
        else
        {
            foreach (var update in results)
            {
                IntelOutput.PrintUpdate(update);
            }
            IntelOutput.PrintErrors(errors);
        }
        return results.Any(u => u.Failure is not null) ? 1 : 0;
    }
}

/// <summary>vedette intel stats: indicators by type and feed, each feed's last update and last error, memory held.</summary>
internal sealed class IntelStatsCommand : AsyncCommand<StoreSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, StoreSettings settings, CancellationToken cancellationToken)
    {
        await using var store = await StoreAccess.OpenExistingAsync(settings, cancellationToken);
        using var intel = await IntelService.OpenAsync(store, TimeProvider.System, cancellationToken);
        var feeds = await intel.ListFeedsAsync(cancellationToken);
        var snapshot = intel.Current;
        var byType = snapshot.CountByType();
        var byFeed = snapshot.CountByFeed();
        if (settings.Format == OutputFormat.Json)
        {
            StoreAccess.WriteJson(writer =>
            {
                writer.WriteStartObject();
                writer.WriteNumber("indicators", snapshot.Count);
                writer.WriteNumber("bytes", snapshot.ApproximateBytes);
                IntelOutput.WriteCounts(writer, "byType", byType);
                writer.WriteStartArray("feeds");
                foreach (var feed in feeds)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", feed.Name);
                    writer.WriteString("kind", feed.Kind.ToString().ToLowerInvariant());
                    writer.WriteString("location", feed.Location);
                    writer.WriteNumber("indicators", feed.Indicators);
                    writer.WriteNumber("live", byFeed.GetValueOrDefault(feed.Name));
                    IntelOutput.WriteTime(writer, "lastUpdate", feed.UpdatedAt);
                    IntelOutput.WriteTime(writer, "lastAttempt", feed.AttemptedAt);
                    writer.WriteString("lastError", feed.LastError);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            });
            return 0;
        }
        AnsiConsole.MarkupLineInterpolated($"[bold]{snapshot.Count:N0}[/] distinct indicators, {snapshot.ApproximateBytes / 1048576.0:N1} MiB in memory.");
        var types = new Table().AddColumns("type", "indicators");
        foreach (var (type, count) in byType)
        {
            types.AddRow(type, count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(types);
        var table = new Table().AddColumns("feed", "kind", "indicators", "live", "last update", "last attempt", "last error");
        foreach (var feed in feeds)
        {
            table.AddRow(
                Markup.Escape(feed.Name), feed.Kind.ToString().ToLowerInvariant(), feed.Indicators.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                byFeed.GetValueOrDefault(feed.Name).ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                IntelOutput.Time(feed.UpdatedAt), IntelOutput.Time(feed.AttemptedAt), feed.LastError is null ? "" : $"[red]{Markup.Escape(feed.LastError)}[/]");
        }
        AnsiConsole.Write(table);
        return 0;
    }
}

/// <summary>How intel results are written, shared by the intel commands.</summary>
internal static class IntelOutput
{

    public static void WriteMatch(Utf8JsonWriter writer, IntelMatch match)
    {
        writer.WriteStartObject();
        writer.WriteString("indicator", match.Indicator.Value);
        writer.WriteString("type", IntelMatch.TypeName(match.Indicator));
        writer.WriteString("reason", IntelMatch.ReasonName(match.Reason));
        writer.WriteStartArray("feeds");
        foreach (var feed in match.Feeds)
        {
            writer.WriteStringValue(feed);
        }
        writer.WriteEndArray();
        writer.WriteNumber("score", match.Score);
        writer.WriteStartArray("tags");
        foreach (var tag in match.Tags)
        {
            writer.WriteStringValue(tag);
        }
        writer.WriteEndArray();
        WriteTime(writer, "firstSeen", match.FirstSeen);
        WriteTime(writer, "lastSeen", match.LastSeen);
        WriteTime(writer, "expires", match.ExpiresAt);
        writer.WriteEndObject();
    }

    public static void WriteUpdate(Utf8JsonWriter writer, FeedUpdate update)
    {
        writer.WriteString("feed", update.Feed);
        writer.WriteNumber("indicators", update.Indicators);
        WriteCounts(writer, "byType", update.ByType);
        writer.WriteNumber("ranges", update.Ranges);
        writer.WriteBoolean("updated", update.Updated);
        if (update.NotModified)
        {
            writer.WriteBoolean("notModified", true);
        }
        writer.WriteNumber("rejected", update.Rejected);
        writer.WriteNumber("expired", update.Expired);
        writer.WriteNumber("revoked", update.Revoked);
        if (update.Declared is { } declared)
        {
            writer.WriteNumber("declared", declared);
        }
        writer.WriteString("failure", update.Failure);
    }

    public static void WriteCounts(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, int> counts)
    {
        writer.WriteStartObject(name);
        foreach (var (key, count) in counts)
        {
            writer.WriteNumber(key, count);
        }
        writer.WriteEndObject();
    }

    public static void WriteErrors(Utf8JsonWriter writer, ErrorReport errors)
    {
        writer.WriteNumber("errorCount", errors.Count);
        writer.WriteStartArray("errors");
        foreach (var error in errors.Kept)
        {
            writer.WriteStartObject();
            writer.WriteString("source", error.Ref.Origin);
            writer.WriteNumber("line", error.Ref.Line);
            writer.WriteString("message", error.Message);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    public static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            writer.WriteString(name, t);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    public static string Time(DateTimeOffset? time) => time?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "";

    public static void PrintUpdate(FeedUpdate update)
    {
        if (update.Failure is { } failure)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{update.Feed}: not updated[/]: {failure}");
            return;
        }
        if (update.NotModified)
        {
            AnsiConsole.MarkupLineInterpolated($"{update.Feed}: not modified since the last update ({update.Indicators:N0} indicators kept).");
            return;
        }
        var types = string.Join(", ", update.ByType.Select(t => $"{t.Value:N0} {t.Key}"));
        AnsiConsole.MarkupLineInterpolated($"[green]{update.Feed}[/]: {update.Indicators:N0} indicators ({types}).");
        var notes = new List<string>();
        if (update.Declared is { } declared)
        {
            notes.Add($"the feed declares {declared:N0} records");
        }
        if (update.Rejected > 0)
        {
            notes.Add($"{update.Rejected:N0} entries could not be read");
        }
        if (update.Revoked > 0)
        {
            notes.Add($"{update.Revoked:N0} revoked");
        }
        if (update.Expired > 0)
        {
            notes.Add($"{update.Expired:N0} already expired");
        }
        if (notes.Count > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"  {string.Join("; ", notes)}.");
        }
    }

    public static void PrintErrors(ErrorReport errors)
    {
        foreach (var error in errors.Kept.Take(20))
        {
            AnsiConsole.MarkupLineInterpolated($"  [yellow]{error.ToString()}[/]");
        }
        if (errors.Count > 20)
        {
            AnsiConsole.MarkupLineInterpolated($"  ... and {errors.Count - 20:N0} more.");
        }
    }
}
