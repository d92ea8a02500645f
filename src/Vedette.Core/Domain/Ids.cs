namespace Vedette.Domain;

/// <summary>Time-ordered ids (UUIDv7): inserts append to the index instead of splitting random pages.</summary>
public static class Ids
{
    public static Guid New(TimeProvider time) => Guid.CreateVersion7(time.GetUtcNow());
}
