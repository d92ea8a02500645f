using Vedette.Domain;

namespace Vedette.Ingest;

/// <summary>
/// Turns sshd's free-text messages into fields (user, src_ip, src_port, outcome), as a Wazuh decoder would, so that
/// rules can group by source address instead of searching text.
/// </summary>
public static class SshdMessage
{
    public static void AddFields(string message, Dictionary<string, FieldValue> fields)
    {
        var span = message.AsSpan();
        if (TryAfter(span, "Failed password for ", out var rest) || TryAfter(span, "Failed publickey for ", out rest)
            || TryAfter(span, "Failed keyboard-interactive/pam for ", out rest))
        {
            var invalid = TryAfter(rest, "invalid user ", out var afterInvalid);
            AddUserFrom(invalid ? afterInvalid : rest, fields);
            fields["outcome"] = FieldValue.String("failure");
            fields["reason"] = FieldValue.String(invalid ? "invalid_user" : "bad_password");
        }
        else if (TryAfter(span, "Accepted ", out rest))
        {
            var space = rest.IndexOf(' ');
            if (space > 0)
            {
                fields["auth_method"] = FieldValue.String(rest[..space].ToString());
                if (TryAfter(rest[(space + 1)..], "for ", out var afterFor))
                {
                    AddUserFrom(afterFor, fields);
                }
            }
            fields["outcome"] = FieldValue.String("success");
        }
        else if (TryAfter(span, "Invalid user ", out rest))
        {
            AddUserFrom(rest, fields);
            fields["outcome"] = FieldValue.String("failure");
            fields["reason"] = FieldValue.String("invalid_user");
        }
        else if (TryAfter(span, "Connection closed by ", out rest) || TryAfter(span, "Disconnected from ", out rest))
        {
            if (TryAfter(rest, "authenticating user ", out var afterAuth) || TryAfter(rest, "invalid user ", out afterAuth) || TryAfter(rest, "user ", out afterAuth))
            {
                var space = afterAuth.IndexOf(' ');
                if (space > 0)
                {
                    fields["user"] = FieldValue.String(afterAuth[..space].ToString());
                    rest = afterAuth[(space + 1)..];
                }
            }
            AddAddress(rest, fields);
        }
    }

    private static void AddUserFrom(ReadOnlySpan<char> span, Dictionary<string, FieldValue> fields)
    {
        var from = span.IndexOf(" from ", StringComparison.Ordinal);
        if (from < 0)
        {
            return;
        }
        fields["user"] = FieldValue.String(span[..from].ToString());
        AddAddress(span[(from + 6)..], fields);
    }

    private static void AddAddress(ReadOnlySpan<char> span, Dictionary<string, FieldValue> fields)
    {
        var space = span.IndexOf(' ');
        var address = space < 0 ? span : span[..space];
        if (address.IsEmpty)
        {
            return;
        }
        fields["src_ip"] = FieldValue.String(address.ToString());
        if (space > 0 && TryAfter(span[(space + 1)..], "port ", out var afterPort))
        {
            var end = afterPort.IndexOfAnyExceptInRange('0', '9');
            var port = end < 0 ? afterPort : afterPort[..end];
            if (!port.IsEmpty)
            {
                fields["src_port"] = FieldValue.String(port.ToString());
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
