using System.Text;
using Vedette.Ingest;
using Vedette.Server.Ingest;

namespace Vedette.Server.Tests;

public sealed class IngestQueueTests
{
    private static LineBatch Batch(int bytes)
    {
        var batch = new LineBatch("api:test", bytes);
        Assert.True(batch.TryAdd(Encoding.UTF8.GetBytes(new string('x', bytes)), 1));
        return batch;
    }

    [Fact]
    public void A_request_whose_declared_length_cannot_fit_is_refused_before_its_body_is_read()
    {
        var queue = new IngestQueue(capacityBytes: 1000);
        using var queued = Batch(600);
        Assert.Equal(Admission.Admitted, queue.TryAdmit([queued], new IngestReceipt("api:first")));

        Assert.True(queue.RefuseIfFull(declaredBytes: 500));
        Assert.False(queue.RefuseIfFull(declaredBytes: 400));
        Assert.False(queue.RefuseIfFull(declaredBytes: 0)); // length unknown (chunked): read it, admission decides
        Assert.Equal(1, queue.RefusedRequests);
    }

    [Fact]
    public void A_request_larger_than_the_whole_bound_is_not_refused_up_front_while_nothing_is_queued()
    {
        var queue = new IngestQueue(capacityBytes: 1000);

        Assert.False(queue.RefuseIfFull(declaredBytes: 5000));
        Assert.Equal(0, queue.RefusedRequests);
    }
}
