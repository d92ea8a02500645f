using System.Runtime.CompilerServices;
using Vedette.Domain;
using Vedette.Pipeline;

namespace Vedette.Ingest.Readers;

/// <summary>
/// Records from files, folders and zip archives, whatever their format: each file's format is told by its content —
/// NDJSON, JSON objects one after another (pretty-printed), JSON arrays of objects, or syslog text (RFC 3164 and 5424,
/// turned into syslog-in-JSON). Every record is the UTF-8 of one JSON object, referenced by file and line.
/// Folders are read recursively in ordinal path order, taking the files that look like logs (see <see cref="IsLogFileName"/>).
/// A record over the caps of <see cref="InputOptions"/> is reported and skipped; a file that cannot be read is reported once;
/// a file in a folder whose content is not a log is passed over (<see cref="Skipped"/>).
/// </summary>
public sealed class InputSource : IEventSource
{
    /// <summary>The stage every reading error is reported under, as the pipeline's own reading is.</summary>
    public const string Stage = "ingest";

    private readonly IReadOnlyList<(string Path, bool Named)> _files;
    private readonly InputOptions _options;
    private readonly List<string> _skipped = [];

    public InputSource(IReadOnlyList<string> paths, InputOptions options)
    {
        _options = options;
        _files = [.. paths.SelectMany(p => Directory.Exists(p) ? FilesOf(p).Select(f => (f, false)) : [(p, true)])];
        Name = string.Join(", ", paths);
        Length = _files.Sum(f => File.Exists(f.Path) ? new FileInfo(f.Path).Length : 0);
    }

    public string Name { get; }

    /// <summary>Bytes of all the files to read (archives as stored, compressed).</summary>
    public long? Length { get; }

    /// <summary>Bytes of the files read so far: with <see cref="Length"/>, a progress bar.</summary>
    public InputProgress Progress { get; } = new();

    /// <summary>
    /// Files found in folders that are not logs by their content (binary, or text that is neither JSON nor syslog:
    /// a LICENSE, a README), with why: passed over without an error, since nobody asked for them by name.
    /// </summary>
    public IReadOnlyList<string> Skipped => _skipped;

    /// <summary>A folder's log files, recursively, in ordinal path order.</summary>
    private static IEnumerable<string> FilesOf(string folder) =>
        Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Where(f => IsLogFileName(Path.GetFileName(f)))
            .Order(StringComparer.Ordinal);

    /// <summary>
    /// In folders, the files taken: .json, .jsonl, .ndjson, .log, .txt, .eve, .zip, files without an extension (syslog,
    /// messages) and rotated logs (auth.log.1). Rule files, EVTX and documents next to the logs are left alone; a file
    /// named on the command line is read whatever its name.
    /// </summary>
    private static bool IsLogFileName(string name)
    {
        var extension = Path.GetExtension(name);
        return extension.Length == 0
            || extension.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0
            || extension.ToLowerInvariant() is ".json" or ".jsonl" or ".ndjson" or ".log" or ".txt" or ".eve" or ".zip";
    }

    public async IAsyncEnumerable<LineBatch> ReadAsync(ErrorReport errors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var (file, named) in _files)
        {
            await foreach (var batch in InputGuard.ReadAsync(ReadFileAsync(file, named, errors, cancellationToken), file, errors, cancellationToken))
            {
                yield return batch;
            }
        }
    }

    private async IAsyncEnumerable<LineBatch> ReadFileAsync(string path, bool named, ErrorReport errors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            errors.Report(new RecordError(new RecordRef(path, 0), Stage, "no such file or folder"));
            yield break;
        }
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        await using var stream = new CountingStream(file, long.MaxValue, "", Progress);
        var format = await InputFormats.DetectAsync(file, _options.MaxRecordBytes, cancellationToken);
        file.Position = 0;
        var records = format switch
        {
            InputFormat.Zip => new ZipInput(_options).ReadAsync(stream, path, errors, cancellationToken),
            _ when InputFormats.Refusal(format) is { } refusal => Refuse(path, refusal, named, errors),
            _ => InputFormats.Read(format, _options, stream, path, errors, cancellationToken),
        };
        await foreach (var batch in records)
        {
            yield return batch;
        }
    }

    private IAsyncEnumerable<LineBatch> Refuse(string path, string refusal, bool named, ErrorReport errors)
    {
        if (named)
        {
            errors.Report(new RecordError(new RecordRef(path, 0), Stage, refusal));
        }
        else
        {
            _skipped.Add($"{path}: {refusal}");
        }
        return AsyncEnumerable.Empty<LineBatch>();
    }
}
