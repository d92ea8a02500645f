using Microsoft.Extensions.Logging;

namespace Vedette.Server;

/// <summary>
/// Every message the server logs, in one place. Parameters name users, addresses and counts; never a password, token,
/// session id, cookie or TOTP code.
/// </summary>
internal static partial class LogMessages
{
    [LoggerMessage(1, LogLevel.Information, "Pipeline started; intake bound {CapacityBytes} bytes")]
    public static partial void PipelineStarted(ILogger logger, long capacityBytes);

    [LoggerMessage(2, LogLevel.Information, "Stopping: intake closed, draining {QueuedBytes} bytes through the pipeline")]
    public static partial void PipelineDraining(ILogger logger, long queuedBytes);

    [LoggerMessage(3, LogLevel.Information, "Pipeline drained: {Lines} lines, {Events} events, {Alerts} alerts, {Errors} record errors since start")]
    public static partial void PipelineStopped(ILogger logger, long lines, long events, long alerts, long errors);

    [LoggerMessage(4, LogLevel.Warning, "Shutdown timed out with {QueuedBytes} bytes still in the pipeline")]
    public static partial void PipelineDrainTimedOut(ILogger logger, long queuedBytes);

    [LoggerMessage(5, LogLevel.Warning, "Record error {Reference} in {Stage}: {Message}")]
    public static partial void RecordFailed(ILogger logger, string reference, string stage, string message);

    [LoggerMessage(10, LogLevel.Information, "Signed in {User} from {Source} ({Method})")]
    public static partial void SignedIn(ILogger logger, string user, string source, string method);

    [LoggerMessage(11, LogLevel.Warning, "Sign-in failed for {User} from {Source}: {Reason}")]
    public static partial void SignInFailed(ILogger logger, string user, string source, string reason);

    [LoggerMessage(12, LogLevel.Warning, "Sign-in throttled for {User} from {Source} ({Scope}, {RetryAfterSeconds} s)")]
    public static partial void SignInThrottled(ILogger logger, string user, string source, string scope, double retryAfterSeconds);

    [LoggerMessage(13, LogLevel.Information, "Password hash of {User} upgraded to the current Argon2id parameters")]
    public static partial void PasswordRehashed(ILogger logger, string user);

    [LoggerMessage(14, LogLevel.Warning, "Sign-in failure event ({Reason}) not queued: the pipeline is full or closed")]
    public static partial void SignInEventDropped(ILogger logger, string reason);

    [LoggerMessage(20, LogLevel.Information, "{Feeds} feed(s) scheduled from {Path}")]
    public static partial void FeedsScheduled(ILogger logger, int feeds, string path);

    [LoggerMessage(21, LogLevel.Information, "Feed {Feed}: updated={Updated} notModified={NotModified} indicators={Indicators} failure={Failure}")]
    public static partial void FeedUpdated(ILogger logger, string feed, bool updated, bool notModified, int indicators, string? failure);

    [LoggerMessage(22, LogLevel.Warning, "Feed {Feed} failed: {Message}")]
    public static partial void FeedFailed(ILogger logger, string feed, string message);

    [LoggerMessage(30, LogLevel.Information, "Vedette listening on {Urls}")]
    public static partial void Listening(ILogger logger, string urls);
}
