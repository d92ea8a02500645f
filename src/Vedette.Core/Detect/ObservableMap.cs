using Vedette.Domain;

namespace Vedette.Detect;

/// <summary>The kinds of value an event field can hold, as named in mappings/observables.yml.</summary>
public enum FieldKindOfObservable
{
    Ip,
    User,
    Host,
    Domain,
    Url,
    Process,
    File,

    /// <summary>Sysmon's "MD5=…,SHA256=…" list.</summary>
    Hashes,
}

/// <summary>
/// Which event fields hold which observables (data from mappings/observables.yml, not code), and the extraction
/// of canonical observables from an event.
/// </summary>
public sealed class ObservableMap
{
    private readonly (string Field, FieldKindOfObservable Kind)[] _fields;
    private readonly Dictionary<string, FieldKindOfObservable> _byField;
    private readonly HashSet<string> _eventHostSources;
    private readonly Dictionary<FieldKindOfObservable, HashSet<string>> _ignore;

    public ObservableMap(
        IEnumerable<(string Field, FieldKindOfObservable Kind)> fields,
        IEnumerable<string> eventHostSources,
        IReadOnlyDictionary<FieldKindOfObservable, IReadOnlyCollection<string>> ignore)
    {
        _fields = [.. fields.Select(f => (string.Intern(f.Field), f.Kind))];
        _byField = new Dictionary<string, FieldKindOfObservable>(StringComparer.Ordinal);
        foreach (var (field, kind) in _fields)
        {
            _byField.TryAdd(field, kind);
        }
        _eventHostSources = new HashSet<string>(eventHostSources, StringComparer.OrdinalIgnoreCase);
        _ignore = ignore.ToDictionary(p => p.Key, p => new HashSet<string>(p.Value, StringComparer.OrdinalIgnoreCase));
    }

    public IReadOnlyList<(string Field, FieldKindOfObservable Kind)> Fields => _fields;

    /// <summary>Adds every observable the event holds to the alert, the reporting host included where it is meaningful.</summary>
    public void AddTo(Alert alert, Event e)
    {
        if (e.Host is { } host && _eventHostSources.Contains(e.Source) && Observable.TryParse(ObservableType.Host, host, out var hostObservable))
        {
            alert.AddObservable(hostObservable);
        }
        foreach (var (field, kind) in _fields)
        {
            if (e.TryGet(field, out var value))
            {
                foreach (var item in value.Items)
                {
                    AddParsed(alert.Observables, kind, item);
                }
            }
        }
    }

    /// <summary>Collects only the observables that threat intel can match (addresses, domains, URLs, hashes).</summary>
    public void CollectIntelCandidates(Event e, List<Observable> into)
    {
        foreach (var (field, kind) in _fields)
        {
            if (kind is FieldKindOfObservable.Ip or FieldKindOfObservable.Domain or FieldKindOfObservable.Url or FieldKindOfObservable.Hashes
                && e.TryGet(field, out var value))
            {
                foreach (var item in value.Items)
                {
                    AddParsed(into, kind, item);
                }
            }
        }
    }

    /// <summary>Parses the value of a named field (a correlation's group-by value) as the observable that field holds.</summary>
    public void AddField(Alert alert, string field, string value)
    {
        if (_byField.TryGetValue(field, out var kind))
        {
            AddParsed(alert.Observables, kind, value);
        }
    }

    public bool IsHostSource(string source) => _eventHostSources.Contains(source);

    private void AddParsed(List<Observable> into, FieldKindOfObservable kind, string text)
    {
        if (text.Length == 0 || (_ignore.TryGetValue(kind, out var ignored) && ignored.Contains(text)))
        {
            return;
        }
        switch (kind)
        {
            case FieldKindOfObservable.Hashes:
                AddHashes(into, text);
                return;
            case FieldKindOfObservable.Ip:
                // Kerberos events write IPv4 as "::ffff:10.1.2.3"; the address is the IPv4 one.
                var ip = text.StartsWith("::ffff:", StringComparison.OrdinalIgnoreCase) ? text[7..] : text;
                if (Observable.TryParse(ObservableType.Ipv4, ip, out var v4) || Observable.TryParse(ObservableType.Ipv6, ip, out v4))
                {
                    AddDistinct(into, v4);
                }
                return;
        }
        var type = kind switch
        {
            FieldKindOfObservable.User => ObservableType.User,
            FieldKindOfObservable.Host => ObservableType.Host,
            FieldKindOfObservable.Domain => ObservableType.Domain,
            FieldKindOfObservable.Url => ObservableType.Url,
            FieldKindOfObservable.Process => ObservableType.Process,
            _ => ObservableType.File,
        };
        if (Observable.TryParse(type, text, out var observable)
            && !(_ignore.TryGetValue(kind, out var ignoredCanonical) && ignoredCanonical.Contains(observable.Value)))
        {
            AddDistinct(into, observable);
        }
    }

    private static void AddHashes(List<Observable> into, string text)
    {
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }
            var algorithm = part.AsSpan(0, equals);
            var type = algorithm.Equals("MD5", StringComparison.OrdinalIgnoreCase) ? ObservableType.Md5
                : algorithm.Equals("SHA1", StringComparison.OrdinalIgnoreCase) ? ObservableType.Sha1
                : algorithm.Equals("SHA256", StringComparison.OrdinalIgnoreCase) ? ObservableType.Sha256
                : (ObservableType?)null;
            if (type is { } known && Observable.TryParse(known, part[(equals + 1)..], out var hash))
            {
                AddDistinct(into, hash);
            }
        }
    }

    private static void AddDistinct(List<Observable> into, Observable observable)
    {
        if (!into.Contains(observable))
        {
            into.Add(observable);
        }
    }
}
