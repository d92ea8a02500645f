using System.Text.Json;

namespace Vedette.Enrich.Intel.Sources;

/// <summary>A TAXII server's discovery resource: the API roots it offers.</summary>
public sealed record TaxiiDiscovery(string? Title, Uri? Default, IReadOnlyList<Uri> ApiRoots);

/// <summary>One collection of an API root, as listed by it.</summary>
public sealed record TaxiiCollection(string Id, string? Title, string? Description, bool CanRead, bool CanWrite, IReadOnlyList<string> MediaTypes);

/// <summary>
/// One page of a collection's objects: the envelope as the server sent it (<c>{"more":…,"next":…,"objects":[…]}</c>,
/// readable by the STIX reader as is) and what it says about paging.
/// </summary>
public sealed record TaxiiPage(ReadOnlyMemory<byte> Envelope, int ObjectCount, bool More, string? Next, string? DateAddedFirst, string? DateAddedLast);

/// <summary>A page with its parsed objects (valid until the next page is asked for), so that the bundle is built without parsing twice.</summary>
internal sealed record TaxiiParsedPage(TaxiiPage Page, JsonElement Objects);
