using Vedette.Storage;

namespace Vedette.Respond;

/// <summary>
/// Acts on what was stored: notifications, tickets, playbooks. Runs after the store so that a response never
/// refers to an alert that could still be lost.
/// </summary>
public interface IResponder
{
    Task RespondAsync(StoreBatch stored, CancellationToken cancellationToken);
}
