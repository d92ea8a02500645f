using Vedette.Domain;
using Vedette.Serialization;

namespace Vedette.Storage;

/// <summary>The first entry that breaks the chain, and what is wrong with it.</summary>
public sealed record AuditBreak(long Sequence, string Problem);

/// <summary>The outcome of a chain check: how many entries were read, the last good hash, and the first break if any.</summary>
public sealed record AuditVerification(long Entries, long LastSequence, string HeadHash, AuditBreak? FirstBreak)
{
    public bool Intact => FirstBreak is null;
}

/// <summary>
/// Recomputes the audit log's hash chain (<see cref="AuditHash"/>) from the first entry: sequence numbers must run
/// 1, 2, 3 … without gaps, each entry's previous hash must be the hash of the entry before it, and each hash must be
/// the hash of its own content. An edit, a deletion or a reordering breaks one of those at the first entry it touches.
/// Removing entries from the end leaves a valid shorter chain: only a head (count and hash) recorded elsewhere shows
/// that, which is why the result reports it.
/// </summary>
public static class AuditChain
{
    private const int PageSize = 1000;

    public static async Task<AuditVerification> VerifyAsync(IStore store, CancellationToken cancellationToken)
    {
        long count = 0;
        long expectedSequence = 1;
        var previousHash = AuditHash.Genesis;
        AuditBreak? found = null;
        AuditEntry? broken = null;
        // Once broken, the rest is only read to tell a reordering (the entry's predecessor is elsewhere) from a deletion.
        var laterHashes = new Dictionary<string, long>(StringComparer.Ordinal);
        for (long after = 0; ;)
        {
            var page = await store.ReadAuditAsync(after, PageSize, cancellationToken);
            foreach (var entry in page)
            {
                if (broken is not null)
                {
                    laterHashes.TryAdd(entry.Hash, entry.Sequence);
                    continue;
                }
                var problem = Check(entry, expectedSequence, previousHash);
                if (problem is not null)
                {
                    broken = entry;
                    found = new AuditBreak(Math.Min(entry.Sequence, expectedSequence), problem);
                    continue;
                }
                count++;
                expectedSequence = entry.Sequence + 1;
                previousHash = entry.Hash;
            }
            if (page.Count < PageSize)
            {
                break;
            }
            after = page[^1].Sequence;
        }
        if (broken is not null && found is not null && broken.Sequence == expectedSequence && broken.PreviousHash != previousHash
            && laterHashes.TryGetValue(broken.PreviousHash, out var predecessor))
        {
            found = found with { Problem = $"{found.Problem}; it names as its predecessor the entry now at sequence {predecessor}: entries were reordered" };
        }
        return new AuditVerification(count, expectedSequence - 1, previousHash, found);
    }

    private static string? Check(AuditEntry entry, long expectedSequence, string previousHash)
    {
        if (entry.Sequence != expectedSequence)
        {
            return entry.Sequence > expectedSequence
                ? expectedSequence == entry.Sequence - 1
                    ? $"entry {expectedSequence} is missing (deleted): the next entry is {entry.Sequence}"
                    : $"entries {expectedSequence} to {entry.Sequence - 1} are missing (deleted): the next entry is {entry.Sequence}"
                : $"entry {entry.Sequence} appears after entry {expectedSequence - 1}: sequence numbers are out of order";
        }
        if (!string.Equals(entry.PreviousHash, previousHash, StringComparison.Ordinal))
        {
            return expectedSequence == 1
                ? $"entry 1 does not start the chain (its previous hash is {Short(entry.PreviousHash)}, not the genesis hash): entries before it were removed"
                : $"entry {entry.Sequence} does not follow entry {entry.Sequence - 1}: it records previous hash {Short(entry.PreviousHash)}, but entry {entry.Sequence - 1} hashes to {Short(previousHash)} (an entry was removed, inserted or moved here)";
        }
        var computed = AuditHash.Compute(entry.PreviousHash, entry.Sequence, entry.At, entry.Actor, entry.Action, entry.Target, entry.Details);
        return string.Equals(computed, entry.Hash, StringComparison.Ordinal)
            ? null
            : $"entry {entry.Sequence} was edited: its content ({entry.Action} by {entry.Actor} on {entry.Target} at {AuditHash.FormatTime(entry.At)}) hashes to {Short(computed)}, not to the recorded {Short(entry.Hash)}";
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;
}
