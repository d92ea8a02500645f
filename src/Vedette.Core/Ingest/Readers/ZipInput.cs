using System.IO.Compression;
using System.Runtime.CompilerServices;
using Vedette.Domain;
using Vedette.Pipeline;

namespace Vedette.Ingest.Readers;

/// <summary>
/// The files inside a zip archive, in name order, each read as a file of its own (format told by content) and named
/// archive.zip/inner/name. Entries are capped in decompressed size and in compression ratio, and an entry that
/// decompresses to more than its header declares is cut off: a zip bomb is refused with an error, not followed.
/// </summary>
internal sealed class ZipInput(InputOptions options)
{
    private const long RatioCheckedFrom = 1 << 20;

    public async IAsyncEnumerable<LineBatch> ReadAsync(Stream archiveStream, string path, ErrorReport errors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var archive = await ZipArchive.CreateAsync(archiveStream, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        foreach (var entry in archive.Entries.Where(IsContent).OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            var origin = $"{path}/{entry.FullName}";
            if (Refusal(entry) is { } refusal)
            {
                errors.Report(new RecordError(new RecordRef(origin, 0), InputSource.Stage, refusal));
                continue;
            }
            await foreach (var batch in InputGuard.ReadAsync(ReadEntryAsync(entry, origin, errors, cancellationToken), origin, errors, cancellationToken))
            {
                yield return batch;
            }
        }
    }

    private async IAsyncEnumerable<LineBatch> ReadEntryAsync(ZipArchiveEntry entry, string origin, ErrorReport errors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        InputFormat format;
        await using (var probe = await OpenAsync(entry, cancellationToken))
        {
            format = await InputFormats.DetectAsync(probe, options.MaxRecordBytes, cancellationToken);
        }
        var refusal = format == InputFormat.Zip ? "an archive inside an archive is not read; skipped" : InputFormats.Refusal(format);
        if (refusal is not null)
        {
            errors.Report(new RecordError(new RecordRef(origin, 0), InputSource.Stage, refusal));
            yield break;
        }
        await using var stream = await OpenAsync(entry, cancellationToken);
        await foreach (var batch in InputFormats.Read(format, options, stream, origin, errors, cancellationToken))
        {
            yield return batch;
        }
    }

    private static async Task<Stream> OpenAsync(ZipArchiveEntry entry, CancellationToken cancellationToken) =>
        new CountingStream(await entry.OpenAsync(cancellationToken), entry.Length, $"the entry decompresses to more than the {entry.Length} bytes its header declares; refused", null);

    private string? Refusal(ZipArchiveEntry entry)
    {
        if (entry.Length > options.MaxEntryBytes)
        {
            return $"the entry is {entry.Length} bytes decompressed, over the maximum of {options.MaxEntryBytes}; refused";
        }
        if (entry.Length > RatioCheckedFrom && entry.Length > options.MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
        {
            return $"the entry decompresses {entry.Length / Math.Max(1, entry.CompressedLength)}:1, over the maximum ratio of {options.MaxCompressionRatio}:1 (a zip bomb?); refused";
        }
        return null;
    }

    /// <summary>Files, not folders, and not the AppleDouble metadata macOS adds (__MACOSX/, ._name).</summary>
    private static bool IsContent(ZipArchiveEntry entry) =>
        !entry.FullName.EndsWith('/')
        && !entry.FullName.StartsWith("__MACOSX/", StringComparison.Ordinal)
        && !entry.Name.StartsWith("._", StringComparison.Ordinal);
}
