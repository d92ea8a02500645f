using Vedette.Detection.Mappings;
using Vedette.Detection.Matching;
using Vedette.Domain;

namespace Vedette.Detection.Plan;

/// <summary>
/// The compiled rule set, indexed so that an event meets only the rules that can match it: Windows rules by
/// event-log channel and event id (from the logsource, or from an EventID the detection requires), other rules
/// by the event's source kind. What the index guarantees is not tested again per rule.
/// </summary>
internal sealed class EvaluationPlan
{
    private readonly FieldRef _channel;
    private readonly FieldRef _eventId;
    private readonly Dictionary<string, ChannelBucket> _byChannel;
    private readonly Dictionary<string, CandidateGroup> _bySource;
    private readonly CandidateGroup _unindexed;

    private EvaluationPlan(FieldRef channel, FieldRef eventId, Dictionary<string, ChannelBucket> byChannel, Dictionary<string, CandidateGroup> bySource, CandidateGroup unindexed, int variants)
    {
        _channel = channel;
        _eventId = eventId;
        _byChannel = byChannel;
        _bySource = bySource;
        _unindexed = unindexed;
        VariantCount = variants;
    }

    public int VariantCount { get; }

    public static EvaluationPlan Build(IReadOnlyList<RuleVariant> variants, FieldResolver fields)
    {
        var byChannel = new Dictionary<string, (Dictionary<string, List<Candidate>> ByEventId, List<Candidate> Any)>(StringComparer.OrdinalIgnoreCase);
        var bySource = new Dictionary<string, List<Candidate>>(StringComparer.OrdinalIgnoreCase);
        var unindexed = new List<Candidate>();
        foreach (var variant in variants)
        {
            if (variant.Conditions.TryGetValue("Channel", out var channel))
            {
                if (!byChannel.TryGetValue(channel, out var bucket))
                {
                    byChannel[channel] = bucket = (new Dictionary<string, List<Candidate>>(StringComparer.Ordinal), []);
                }
                var residual = Residual(variant, fields, "Channel", "EventID");
                var eventIds = variant.Conditions.TryGetValue("EventID", out var id) ? [id] : RequiredValues.Of(variant.Detection, "EventID");
                if (eventIds is null)
                {
                    bucket.Any.Add(new Candidate(variant.Rule, Residual(variant, fields, "Channel"), variant.Detection));
                    continue;
                }
                foreach (var eventId in eventIds)
                {
                    if (!bucket.ByEventId.TryGetValue(eventId, out var list))
                    {
                        bucket.ByEventId[eventId] = list = [];
                    }
                    // An EventID the detection requires is still checked by the detection; the logsource's is not.
                    list.Add(new Candidate(variant.Rule, variant.Conditions.ContainsKey("EventID") ? residual : Residual(variant, fields, "Channel"), variant.Detection));
                }
            }
            else if (variant.Conditions.TryGetValue("$source", out var source))
            {
                if (!bySource.TryGetValue(source, out var list))
                {
                    bySource[source] = list = [];
                }
                list.Add(new Candidate(variant.Rule, Residual(variant, fields, "$source"), variant.Detection));
            }
            else
            {
                unindexed.Add(new Candidate(variant.Rule, variant.LogSource, variant.Detection));
            }
        }
        return new EvaluationPlan(
            fields.Resolve("Channel"),
            fields.Resolve("EventID"),
            byChannel.ToDictionary(p => p.Key, p => new ChannelBucket(p.Value.ByEventId.ToDictionary(e => e.Key, e => new CandidateGroup(e.Value), StringComparer.Ordinal), new CandidateGroup(p.Value.Any)), StringComparer.OrdinalIgnoreCase),
            bySource.ToDictionary(p => p.Key, p => new CandidateGroup(p.Value), StringComparer.OrdinalIgnoreCase),
            new CandidateGroup(unindexed),
            variants.Count);
    }

    /// <summary>Adds every rule that matches the event to <paramref name="matches"/>.</summary>
    public void Match(Event e, List<CompiledRule> matches, PlanScratch scratch)
    {
        if (ChannelOf(e, scratch) is { } bucket)
        {
            if (bucket.ByEventId(e, _eventId) is { } byId)
            {
                byId.Evaluate(e, matches, scratch);
            }
            bucket.Any.Evaluate(e, matches, scratch);
        }
        if (_bySource.TryGetValue(e.Source, out var bySource))
        {
            bySource.Evaluate(e, matches, scratch);
        }
        _unindexed.Evaluate(e, matches, scratch);
    }

    /// <summary>
    /// The event's channel bucket. Records interleave a few channels: a channel as written that this scratch has
    /// met is found by its bytes, without decoding the name and hashing it case-insensitively.
    /// </summary>
    private ChannelBucket? ChannelOf(Event e, PlanScratch scratch)
    {
        if (!_channel.TryGetAsWritten(e, minWritten: 1, out var channel, out var written))
        {
            return null;
        }
        if (written.IsEmpty)
        {
            return Bucket(channel);
        }
        if (scratch.Channels.TryGet(this, written, out var known))
        {
            return known;
        }
        _channel.TryGet(e, out channel);
        var bucket = Bucket(channel);
        scratch.Channels.Add(this, written, bucket);
        return bucket;
    }

    private ChannelBucket? Bucket(FieldValue channel) => channel.Text is { } name ? _byChannel.GetValueOrDefault(name) : null;

    /// <summary>How many rule variants are indexed, and how many of them a prefilter gate guards (for `vedette rules` and the docs).</summary>
    public (int Variants, int Gated) Coverage()
    {
        var groups = _byChannel.Values.SelectMany(b => b.ByEventIdText.Values.Append(b.Any)).Concat(_bySource.Values).Append(_unindexed).ToList();
        return (groups.Sum(g => g.Count), groups.Sum(g => g.Gated));
    }

    private static IEventPredicate? Residual(RuleVariant variant, FieldResolver fields, params string[] guaranteed)
    {
        var rest = variant.Conditions.Where(c => !guaranteed.Contains(c.Key)).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        return rest.Count == 0 ? null : LogSourceMap.Compile(rest, fields);
    }

    internal sealed class ChannelBucket(Dictionary<string, CandidateGroup> byEventId, CandidateGroup any)
    {
        /// <summary>The same groups by number, when every event id is a plain number (as Windows' are).</summary>
        private readonly Dictionary<int, CandidateGroup>? _byNumber = byEventId.Keys.All(id => IsPlainNumber(System.Text.Encoding.UTF8.GetBytes(id)))
            ? byEventId.ToDictionary(p => int.Parse(p.Key, System.Globalization.CultureInfo.InvariantCulture), p => p.Value)
            : null;

        public Dictionary<string, CandidateGroup> ByEventIdText { get; } = byEventId;

        public CandidateGroup Any { get; } = any;

        /// <summary>The group for the event's id: read from the record as a number where it can be, without making a string.</summary>
        public CandidateGroup? ByEventId(Event e, FieldRef eventId)
        {
            if (!eventId.TryGetAsWritten(e, minWritten: 1, out var value, out var written))
            {
                return null;
            }
            if (!written.IsEmpty && _byNumber is not null && IsPlainNumber(written) && System.Buffers.Text.Utf8Parser.TryParse(written, out int number, out _))
            {
                return _byNumber.GetValueOrDefault(number);
            }
            if (!written.IsEmpty)
            {
                eventId.TryGet(e, out value);
            }
            return value.Text is { } id ? ByEventIdText.GetValueOrDefault(id) : null;
        }

        /// <summary>Up to nine digits without a leading zero (or "0"): the spelling whose number and text match one to one.</summary>
        private static bool IsPlainNumber(ReadOnlySpan<byte> text) =>
            text.Length is > 0 and <= 9 && !text.ContainsAnyExceptInRange((byte)'0', (byte)'9') && (text[0] != '0' || text.Length == 1);
    }
}
