namespace Vedette.Pipeline;

/// <summary>
/// What the pipeline tells whoever handed it a line batch: the batch went through to the store (every alert it raised
/// is durable), or its store write failed. The store stage calls exactly one of the two per batch, in batch order.
/// </summary>
public interface IBatchReceipt
{
    void Stored();

    void Failed(Exception cause);
}
