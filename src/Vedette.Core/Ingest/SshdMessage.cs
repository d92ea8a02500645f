using Vedette.Domain;

namespace Vedette.Ingest;

/// <summary>
/// Turns sshd's free-text messages into fields (user, src_ip, src_port, outcome), as a Wazuh decoder would, so that
/// rules can group by source address instead of searching text.
/// </summary>
public static class SshdMessage
{
    public static void AddFields(string message, Dictionary<string, FieldValue> fields) =>
        AddFields(message, (name, value) => fields[name] = value);

    public static void AddFields(string message, Action<string, FieldValue> add)
    {
        var span = message.AsSpan();
        if (TryAfter(span, "Failed password for ", out var rest) || TryAfter(span, "Failed publickey for ", out rest)
            || TryAfter(span, "Failed keyboard-interactive/pam for ", out rest))
        {
            var invalid = TryAfter(rest, "invalid user ", out var afterInvalid);
            AddUserFrom(invalid ? afterInvalid : rest, add);
            add("outcome", FieldValue.String("failure"));
            add("reason", FieldValue.String(invalid ? "invalid_user" : "bad_password"));
        }
        else if (TryAfter(span, "Accepted ", out rest))
        {
            var space = rest.IndexOf(' ');
            if (space > 0)
            {
                add("auth_method", FieldValue.String(rest[..space].ToString()));
                if (TryAfter(rest[(space + 1)..], "for ", out var afterFor))
                {
                    AddUserFrom(afterFor, add);
                }
            }
            add("outcome", FieldValue.String("success"));
        }
        else if (TryAfter(span, "Invalid user ", out rest))
        {
            AddUserFrom(rest, add);
            add("outcome", FieldValue.String("failure"));
            add("reason", FieldValue.String("invalid_user"));
        }
        else if (TryAfter(span, "Connection closed by ", out rest) || TryAfter(span, "Disconnected from ", out rest))
        {
            if (TryAfter(rest, "authenticating user ", out var afterAuth) || TryAfter(rest, "invalid user ", out afterAuth) || TryAfter(rest, "user ", out afterAuth))
            {
                var space = afterAuth.IndexOf(' ');
                if (space > 0)
                {
                    add("user", FieldValue.String(afterAuth[..space].ToString()));
                    rest = afterAuth[(space + 1)..];
                }
            }
            AddAddress(rest, add);
        }
    }

    private static void AddUserFrom(ReadOnlySpan<char> span, Action<string, FieldValue> add)
    {
        var from = span.IndexOf(" from ", StringComparison.Ordinal);
        if (from < 0)
        {
            return;
        }
        add("user", FieldValue.String(span[..from].ToString()));
        AddAddress(span[(from + 6)..], add);
    }

    private static void AddAddress(ReadOnlySpan<char> span, Action<string, FieldValue> add)
    {
        var space = span.IndexOf(' ');
        var address = space < 0 ? span : span[..space];
        if (address.IsEmpty)
        {
            return;
        }
        add("src_ip", FieldValue.String(address.ToString()));
        if (space > 0 && TryAfter(span[(space + 1)..], "port ", out var afterPort))
        {
            var end = afterPort.IndexOfAnyExceptInRange('0', '9');
            var port = end < 0 ? afterPort : afterPort[..end];
            if (!port.IsEmpty)
            {
                add("src_port", FieldValue.String(port.ToString()));
            }
        }
    }

    private static bool TryAfter(ReadOnlySpan<char> span, string prefix, out ReadOnlySpan<char> rest)
    {
        if (span.StartsWith(prefix, StringComparison.Ordinal))
        {
            rest = span[prefix.Length..];
            return true;
        }
        rest = default;
        return false;
    }
}
