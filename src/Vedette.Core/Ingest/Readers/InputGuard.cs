using System.Runtime.CompilerServices;
using Vedette.Domain;
using Vedette.Pipeline;

namespace Vedette.Ingest.Readers;

/// <summary>
/// Where a file that cannot be read (missing, unreadable, a broken or refused archive) becomes one reported error
/// naming it, and reading goes on with the next file.
/// </summary>
internal static class InputGuard
{
    public static async IAsyncEnumerable<LineBatch> ReadAsync(IAsyncEnumerable<LineBatch> input, string origin, ErrorReport errors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var reader = input.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            LineBatch? batch = null;
            try
            {
                if (await reader.MoveNextAsync())
                {
                    batch = reader.Current;
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                errors.Report(new RecordError(new RecordRef(origin, 0), InputSource.Stage, $"reading stopped: {ex.Message}"));
            }
            if (batch is null)
            {
                yield break;
            }
            yield return batch;
        }
    }
}
