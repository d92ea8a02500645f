using Vedette.Serialization;

namespace Vedette.Storage.Tests.Serialization;

public sealed class AuditHashTests
{
    [Fact]
    public void The_first_entry_chains_to_sixty_four_zeros()
    {
        Assert.Equal(new string('0', 64), AuditHash.Genesis);
    }

    [Fact]
    public void Moving_text_from_one_field_to_the_next_changes_the_hash()
    {
        var a = AuditHash.Compute(AuditHash.Genesis, 1, Some.Start, "ana", "ab", "c", "");
        var b = AuditHash.Compute(AuditHash.Genesis, 1, Some.Start, "ana", "a", "bc", "");

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void The_same_instant_in_another_offset_hashes_the_same()
    {
        var utc = AuditHash.Compute(AuditHash.Genesis, 1, Some.Start, "ana", "login", "session", "");
        var paris = AuditHash.Compute(AuditHash.Genesis, 1, Some.Start.ToOffset(TimeSpan.FromHours(1)), "ana", "login", "session", "");

        Assert.Equal(utc, paris);
        Assert.Matches("^[0-9a-f]{64}$", utc);
    }

    [Fact]
    public void Every_field_is_covered_by_the_hash()
    {
        var hashes = new[]
        {
            AuditHash.Compute(AuditHash.Genesis, 1, Some.Start, "ana", "login", "session", ""),
            AuditHash.Compute(new string('1', 64), 1, Some.Start, "ana", "login", "session", ""),
            AuditHash.Compute(AuditHash.Genesis, 2, Some.Start, "ana", "login", "session", ""),
            AuditHash.Compute(AuditHash.Genesis, 1, Some.Start.AddTicks(1), "ana", "login", "session", ""),
            AuditHash.Compute(AuditHash.Genesis, 1, Some.Start, "bob", "login", "session", ""),
            AuditHash.Compute(AuditHash.Genesis, 1, Some.Start, "ana", "logout", "session", ""),
            AuditHash.Compute(AuditHash.Genesis, 1, Some.Start, "ana", "login", "console", ""),
            AuditHash.Compute(AuditHash.Genesis, 1, Some.Start, "ana", "login", "session", "x"),
        };

        Assert.Equal(hashes.Length, hashes.Distinct().Count());
    }
}
