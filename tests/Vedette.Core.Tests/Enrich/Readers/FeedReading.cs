using System.Text;
using Vedette.Domain;
using Vedette.Enrich.Intel;
using Vedette.Pipeline;

namespace Vedette.Tests.Enrich.Readers;

/// <summary>Runs a reader over a real file or over test text, the way the intel service does.</summary>
internal static class FeedReading
{
    public static FeedDefinition Feed(FeedKind kind, string name = "test-feed") => new() { Name = name, Kind = kind, Location = "test" };

    public static Task<FeedReadResult> FileAsync(IFeedReader reader, string path, ErrorReport errors, FeedDefinition? feed = null) =>
        reader.ReadAsync(new FileFeedLocation(path), feed ?? Feed(reader.Kind), errors, CancellationToken.None);

    public static Task<FeedReadResult> TextAsync(IFeedReader reader, string text, ErrorReport errors, FeedDefinition? feed = null) =>
        BytesAsync(reader, Encoding.UTF8.GetBytes(text), errors, feed);

    public static Task<FeedReadResult> BytesAsync(IFeedReader reader, byte[] bytes, ErrorReport errors, FeedDefinition? feed = null) =>
        reader.ReadAsync(new MemoryFeedLocation("memory", bytes), feed ?? Feed(reader.Kind), errors, CancellationToken.None);

    /// <summary>How many indicators of each observable type, by type name.</summary>
    public static SortedDictionary<string, int> CountByType(IEnumerable<FeedIndicator> indicators)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var indicator in indicators)
        {
            var name = ObservableTypes.ToName(indicator.Value.Type);
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }
        return counts;
    }

    public static IEnumerable<string> Messages(ErrorReport errors) => errors.Kept.Select(error => error.ToString());
}

/// <summary>A feed held in memory (our own test data), with optional documents next to it.</summary>
internal sealed class MemoryFeedLocation(string name, byte[] main, IReadOnlyDictionary<string, string>? relatives = null) : IFeedLocation
{
    public string Name => name;

    public Task<Stream> OpenAsync(CancellationToken cancellationToken) => Task.FromResult<Stream>(new MemoryStream(main, writable: false));

    public Task<Stream> OpenRelativeAsync(string relative, CancellationToken cancellationToken) =>
        relatives is not null && relatives.TryGetValue(relative, out var text)
            ? Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(text), writable: false))
            : throw new FileNotFoundException($"{name}: no document '{relative}'");
}
