using Vedette.Domain;

namespace Vedette.Ingest;

/// <summary>An event, and the alert it carries when the record is a detection from another tool.</summary>
public readonly record struct NormalizedRecord(Event Event, Alert? ExternalAlert);
