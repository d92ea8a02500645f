using Vedette.Enrich.Intel;
using Vedette.Enrich.Intel.Readers;

namespace Vedette.Tests.Enrich.Readers;

public sealed class FeedReadersTests
{
    [Fact]
    public void Every_feed_kind_has_a_reader_of_its_kind_and_TAXII_is_read_as_STIX()
    {
        foreach (var kind in Enum.GetValues<FeedKind>())
        {
            Assert.Equal(kind == FeedKind.Taxii ? FeedKind.Stix : kind, FeedReaders.For(kind).Kind);
        }
    }
}
