using Vedette.Domain;

namespace Vedette.Enrich;

/// <summary>Adds what Vedette knows about an alert's observables: threat-intel hits, asset and identity context.</summary>
public interface IEnricher
{
    void Enrich(Alert alert);
}

public sealed class CompositeEnricher(IReadOnlyList<IEnricher> enrichers) : IEnricher
{
    public void Enrich(Alert alert)
    {
        foreach (var enricher in enrichers)
        {
            enricher.Enrich(alert);
        }
    }
}
