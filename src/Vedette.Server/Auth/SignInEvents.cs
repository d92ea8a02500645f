using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Vedette.Server.Ingest;

namespace Vedette.Server.Auth;

/// <summary>
/// Failed sign-ins become events in Vedette's own pipeline, so that its rules watch the server itself
/// (rules/vedette: brute force and spraying against the console). The event is Vedette's own log source
/// (<c>"source": "vedette/authentication"</c>, Sigma logsource product vedette, category authentication) with the
/// fields a logon-failure record carries: user, source address, outcome, reason, method. Never the password.
/// </summary>
internal sealed class SignInEvents(EventIntake intake, ServerOptions options, TimeProvider time, ILogger<SignInEvents> logger)
{
    public const string Source = "vedette/authentication";

    public void Failure(string user, string sourceAddress, string reason, string method)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("@timestamp", time.GetUtcNow());
            writer.WriteString("source", Source);
            writer.WriteString("host", options.HostName);
            writer.WriteString("event", "signin");
            writer.WriteString("outcome", "failure");
            writer.WriteString("reason", reason);
            writer.WriteString("method", method);
            // Whatever the caller typed as a name, bounded: it is attacker-controlled.
            writer.WriteString("user", user.Length <= 128 ? user : user[..128]);
            writer.WriteString("src_ip", sourceAddress);
            writer.WriteEndObject();
        }
        if (!intake.Enqueue(buffer.WrittenSpan, "vedette:signin"))
        {
            LogMessages.SignInEventDropped(logger, reason);
        }
    }
}
