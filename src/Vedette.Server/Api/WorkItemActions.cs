using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vedette.Domain;
using Vedette.Identity;
using Vedette.Serialization;
using Vedette.Server.Auth;
using Vedette.Storage;
using Vedette.Triage;

namespace Vedette.Server.Api;

/// <summary>How the API reads, saves and shows one kind of work item (alert or incident).</summary>
internal sealed record WorkKind(
    string Name,
    Func<IStore, Guid, CancellationToken, Task<WorkItem?>> GetAsync,
    Func<IStore, WorkItem, CancellationToken, Task<UpdateResult>> UpdateAsync,
    Action<Utf8JsonWriter, WorkItem> Write)
{
    public static WorkKind Alerts { get; } = new("alert",
        async (store, id, ct) => await store.GetAlertAsync(id, ct),
        (store, item, ct) => store.UpdateAlertAsync((Alert)item, ct),
        (writer, item) => DomainJson.WriteAlert(writer, (Alert)item, includeEvidence: true));

    public static WorkKind Incidents { get; } = new("incident",
        async (store, id, ct) => await store.GetIncidentAsync(id, ct),
        (store, item, ct) => store.UpdateIncidentAsync((Incident)item, ct),
        (writer, item) => DomainJson.WriteIncident(writer, (Incident)item));

    public string Target(Guid id) => $"{Name}/{id}";
}

/// <summary>A comment on an alert or incident (kept as an audit entry).</summary>
internal sealed record Comment(long Sequence, DateTimeOffset At, string Author, string Text);

/// <summary>What an analyst action came to: the item as saved, or why nothing was saved (as an HTTP status).</summary>
internal abstract record ActionOutcome
{
    public sealed record Done(WorkItem Item) : ActionOutcome;

    public sealed record Refused(int Status, string Detail, int? CurrentVersion = null) : ActionOutcome;

    public sealed record Commented(Comment Comment) : ActionOutcome;

    /// <summary>A merge or split saved: the incidents it changed and the one it created.</summary>
    public sealed record Regrouped(Regrouping Regrouping, string Action) : ActionOutcome;

    public static ActionOutcome BadRequest(string detail) => new Refused(StatusCodes.Status400BadRequest, detail);

    public static ActionOutcome NotFound(string detail) => new Refused(StatusCodes.Status404NotFound, detail);

    public static ActionOutcome Conflict(string detail, int? currentVersion = null) => new Refused(StatusCodes.Status409Conflict, detail, currentVersion);
}

/// <summary>
/// Read, check the version the caller read, change, save only if nobody changed it meanwhile, audit: the same steps
/// for every analyst action on alerts and incidents. Refused transitions and lost races are 409.
/// </summary>
internal static class WorkItemActions
{
    public const int MaxNoteLength = 4000;

    /// <summary>Comments listed per item: the newest ones, a page's worth.</summary>
    private const int MaxComments = 500;

    public static async Task<IResult> AcknowledgeAsync(WorkKind kind, Guid id, ActionRequest? request, HttpContext context, IStore store, TimeProvider time) =>
        Answer(kind, await TryAcknowledgeAsync(kind, id, request, context, store, time));

    public static async Task<IResult> AssignAsync(WorkKind kind, Guid id, AssignRequest request, HttpContext context, IStore store, IIdentityStore identity, TimeProvider time) =>
        Answer(kind, await TryAssignAsync(kind, id, request, context, store, identity, time));

    public static async Task<IResult> ChangeStatusAsync(WorkKind kind, Guid id, StatusRequest request, HttpContext context, IStore store, TimeProvider time) =>
        Answer(kind, await TryChangeStatusAsync(kind, id, request, context, store, time));

    /// <summary>The API's answer to an action: the item as it is now, or the refusal as problem details.</summary>
    public static IResult Answer(WorkKind kind, ActionOutcome outcome) => outcome switch
    {
        ActionOutcome.Done done => ApiResults.Json(writer => kind.Write(writer, done.Item)),
        ActionOutcome.Commented commented => ApiResults.Json(writer => WriteComment(writer, commented.Comment), StatusCodes.Status201Created),
        ActionOutcome.Refused { Status: StatusCodes.Status404NotFound } refused => ApiResults.NotFound(refused.Detail),
        ActionOutcome.Refused { Status: StatusCodes.Status409Conflict } refused => ApiResults.Conflict(refused.Detail, refused.CurrentVersion),
        ActionOutcome.Refused refused => ApiResults.BadRequest(refused.Detail),
        _ => throw new InvalidOperationException($"unknown action outcome {outcome}"),
    };

    public static Task<ActionOutcome> TryAcknowledgeAsync(WorkKind kind, Guid id, ActionRequest? request, HttpContext context, IStore store, TimeProvider time) =>
        ApplyAsync(kind, id, request?.Version, context, store, time, (item, caller, at) =>
        {
            var from = item.Status;
            item.Acknowledge(Actor.Analyst(caller.Name), at);
            return ($"{kind.Name}.acknowledge", Details(("from", LifecycleNames.ToName(from)), ("to", LifecycleNames.ToName(item.Status)), ("note", request?.Note)));
        }, request?.Note);

    public static async Task<ActionOutcome> TryAssignAsync(WorkKind kind, Guid id, AssignRequest request, HttpContext context, IStore store, IIdentityStore identity, TimeProvider time)
    {
        var assignee = string.IsNullOrWhiteSpace(request.Assignee) ? null : request.Assignee.Trim();
        if (assignee is not null)
        {
            var user = await identity.FindUserAsync(assignee, context.RequestAborted);
            if (user is null || user.Disabled)
            {
                return ActionOutcome.BadRequest($"no active user named '{assignee}' to assign to");
            }
            assignee = user.Name;
        }
        return await ApplyAsync(kind, id, request.Version, context, store, time, (item, _, _) =>
        {
            var from = item.Assignee;
            item.Assign(assignee);
            return ($"{kind.Name}.assign", Details(("from", from), ("to", assignee), ("note", request.Note)));
        }, request.Note);
    }

    public static Task<ActionOutcome> TryChangeStatusAsync(WorkKind kind, Guid id, StatusRequest request, HttpContext context, IStore store, TimeProvider time)
    {
        if (!LifecycleNames.TryParseStatus(request.Status ?? "", out var status))
        {
            return Task.FromResult(ActionOutcome.BadRequest($"status must be new, acknowledged, investigating, escalated or closed, not '{request.Status}'"));
        }
        Verdict? verdict = null;
        if (request.Verdict is not null)
        {
            if (!LifecycleNames.TryParseVerdict(request.Verdict, out var parsed))
            {
                return Task.FromResult(ActionOutcome.BadRequest($"verdict must be true-positive, benign-positive or false-positive, not '{request.Verdict}'"));
            }
            verdict = parsed;
        }
        return ApplyAsync(kind, id, request.Version, context, store, time, (item, caller, at) =>
        {
            var from = item.Status;
            item.MoveTo(status, Actor.Analyst(caller.Name), at, verdict, request.Note);
            var action = status == CaseStatus.Closed ? "close" : from == CaseStatus.Closed ? "reopen" : "status";
            return ($"{kind.Name}.{action}", Details(
                ("from", LifecycleNames.ToName(from)), ("to", LifecycleNames.ToName(status)),
                ("verdict", verdict is { } v ? LifecycleNames.ToName(v) : null), ("note", request.Note)));
        }, request.Note);
    }

    /// <summary>Comments are kept in the audit log (append-only, chained) with the item as target.</summary>
    public static async Task<IResult> CommentAsync(WorkKind kind, Guid id, CommentRequest request, HttpContext context, IStore store, TimeProvider time) =>
        Answer(kind, await TryCommentAsync(kind, id, request.Text, context, store, time));

    public static async Task<ActionOutcome> TryCommentAsync(WorkKind kind, Guid id, string? text, HttpContext context, IStore store, TimeProvider time)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > MaxNoteLength)
        {
            return ActionOutcome.BadRequest($"a comment needs text of 1 to {MaxNoteLength} characters");
        }
        if (await kind.GetAsync(store, id, context.RequestAborted) is null)
        {
            return ActionOutcome.NotFound($"no {kind.Name} {id}");
        }
        var caller = Caller.From(context);
        var entry = await store.AppendAuditAsync(caller.Name, $"{kind.Name}.comment", kind.Target(id), Details(("text", text)), time.GetUtcNow(), context.RequestAborted);
        return new ActionOutcome.Commented(new Comment(entry.Sequence, entry.At, entry.Actor, text));
    }

    public static async Task<IResult> CommentsAsync(WorkKind kind, Guid id, HttpContext context, IStore store)
    {
        if (await kind.GetAsync(store, id, context.RequestAborted) is null)
        {
            return ApiResults.NotFound($"no {kind.Name} {id}");
        }
        var comments = await ReadCommentsAsync(kind, id, store, context.RequestAborted);
        return ApiResults.Page(comments, null, WriteComment);
    }

    /// <summary>An item's comments, oldest first (the newest <see cref="MaxComments"/>).</summary>
    public static async Task<IReadOnlyList<Comment>> ReadCommentsAsync(WorkKind kind, Guid id, IStore store, CancellationToken cancellationToken)
    {
        var entries = await store.SearchAuditAsync(new AuditQuery { Target = kind.Target(id), Action = $"{kind.Name}.comment", Limit = MaxComments }, cancellationToken);
        var comments = new List<Comment>(entries.Count);
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            var entry = entries[i];
            using var details = JsonDocument.Parse(entry.Details);
            comments.Add(new Comment(entry.Sequence, entry.At, entry.Actor, details.RootElement.GetProperty("text").GetString() ?? ""));
        }
        return comments;
    }

    public static async Task<IResult> ShowAsync(WorkKind kind, Guid id, HttpContext context, IStore store) =>
        await kind.GetAsync(store, id, context.RequestAborted) is { } item
            ? ApiResults.Json(writer => kind.Write(writer, item))
            : ApiResults.NotFound($"no {kind.Name} {id}");

    /// <summary>Applies one change to one item; <paramref name="change"/> throws <see cref="InvalidTransitionException"/> to refuse.</summary>
    private static async Task<ActionOutcome> ApplyAsync(
        WorkKind kind, Guid id, int? version, HttpContext context, IStore store, TimeProvider time,
        Func<WorkItem, Caller, DateTimeOffset, (string Action, string Details)> change, string? note)
    {
        if (note is { Length: > MaxNoteLength })
        {
            return ActionOutcome.BadRequest($"a note may have at most {MaxNoteLength} characters");
        }
        var cancellationToken = context.RequestAborted;
        var item = await kind.GetAsync(store, id, cancellationToken);
        if (item is null)
        {
            return ActionOutcome.NotFound($"no {kind.Name} {id}");
        }
        if (item is Incident { MergedInto: { } target })
        {
            return ActionOutcome.Conflict($"incident {id} was merged into incident {target}: act on that one");
        }
        if (version is { } read && read != item.Version)
        {
            return ActionOutcome.Conflict($"{kind.Name} {id} changed since version {read} was read: read it again", item.Version);
        }
        var caller = Caller.From(context);
        var at = time.GetUtcNow();
        (string Action, string Details) audit;
        try
        {
            audit = change(item, caller, at);
        }
        catch (InvalidTransitionException ex)
        {
            return ActionOutcome.Conflict(ex.Message, item.Version);
        }
        switch (await kind.UpdateAsync(store, item, cancellationToken))
        {
            case UpdateResult.Conflict:
                return ActionOutcome.Conflict($"someone else changed {kind.Name} {id} meanwhile; nothing was saved: read it again and retry");
            case UpdateResult.NotFound:
                return ActionOutcome.NotFound($"no {kind.Name} {id}");
        }
        if (item is Incident { Status: CaseStatus.Closed })
        {
            // The running grouper must not add new alerts to an incident an analyst has closed.
            context.RequestServices.GetRequiredService<IncidentFeedback>().Retire(id);
        }
        await store.AppendAuditAsync(caller.Name, audit.Action, kind.Target(id), audit.Details, at, cancellationToken);
        return new ActionOutcome.Done(item);
    }

    /// <summary>Audit details as one compact JSON object; null values are left out.</summary>
    public static string Details(params (string Name, object? Value)[] fields)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                map[name] = value;
            }
        }
        return JsonSerializer.Serialize(map);
    }

    private static void WriteComment(Utf8JsonWriter writer, Comment comment)
    {
        writer.WriteStartObject();
        writer.WriteNumber("sequence", comment.Sequence);
        writer.WriteString("at", comment.At);
        writer.WriteString("author", comment.Author);
        writer.WriteString("text", comment.Text);
        writer.WriteEndObject();
    }
}
