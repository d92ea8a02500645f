using Vedette.Domain;

namespace Vedette.Triage;

/// <summary>Scores alerts and groups them into incidents. Stateful: one instance, fed in order.</summary>
public interface ITriage
{
    /// <summary>Scores a new alert and puts it into an incident; returns the incident it joined or opened.</summary>
    Incident Triage(Alert alert);

    /// <summary>Folds a later change to an alert (more events) into its incident; null when the alert is unknown.</summary>
    Incident? Update(AlertUpdate update);
}
