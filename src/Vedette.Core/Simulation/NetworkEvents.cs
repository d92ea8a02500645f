namespace Vedette.Simulation;

/// <summary>An sshd line as syslog-in-JSON: the host, the program, its pid and the message exactly as OpenSSH words it.</summary>
internal sealed class SshdLog(long ticks, OrganisationHost host, int pid, string message) : SimEvent(ticks)
{
    public override void Write(EventWriter writer)
    {
        writer.Start(Ticks);
        writer.Field("host"u8, host.Name);
        writer.Field("program"u8, "sshd"u8);
        writer.Number("pid"u8, pid);
        writer.Field("message"u8, message);
        writer.End();
    }
}

/// <summary>A query as the DNS server logs it.</summary>
internal sealed class DnsServerLog(long ticks, OrganisationHost server, string clientIp, string query, string answer, string rcode) : SimEvent(ticks)
{
    public override void Write(EventWriter writer)
    {
        writer.Start(Ticks);
        writer.Field("source"u8, "dns"u8);
        writer.Field("host"u8, server.Name);
        writer.Field("src_ip"u8, clientIp);
        writer.Field("query"u8, query);
        writer.Field("record_type"u8, "A"u8);
        writer.Field("answer"u8, answer);
        writer.Field("rcode"u8, rcode);
        writer.End();
    }
}

/// <summary>One request through the web proxy, in the W3C field names of Sigma's proxy taxonomy.</summary>
internal sealed record ProxyRequest(
    string ClientIp,
    string User,
    string Method,
    string Uri,
    string Host,
    string Extension,
    string UserAgent,
    int Status,
    int Bytes,
    string DestinationIp);

internal sealed class ProxyLog(long ticks, OrganisationHost proxy, ProxyRequest request) : SimEvent(ticks)
{
    public override void Write(EventWriter writer)
    {
        writer.Start(Ticks);
        writer.Field("source"u8, "proxy"u8);
        writer.Field("host"u8, proxy.Name);
        writer.Field("c-ip"u8, request.ClientIp);
        writer.Field("cs-username"u8, request.User);
        writer.Field("cs-method"u8, request.Method);
        writer.Field("c-uri"u8, request.Uri);
        writer.Field("cs-host"u8, request.Host);
        writer.Field("c-uri-extension"u8, request.Extension);
        writer.Field("c-useragent"u8, request.UserAgent);
        writer.Number("sc-status"u8, request.Status);
        writer.Number("cs-bytes"u8, request.Bytes);
        writer.Field("dst-ip"u8, request.DestinationIp);
        writer.End();
    }
}

/// <summary>An IDS signature as Suricata reports it in an alert.</summary>
internal sealed record Signature(int Id, int Revision, string Name, string Category, int Severity, int Port, string Protocol = "TCP");

/// <summary>A Suricata EVE alert in its real shape (no payload).</summary>
internal sealed class SuricataAlert(
    long ticks,
    OrganisationHost sensor,
    long flowId,
    string sourceIp,
    int sourcePort,
    string destinationIp,
    Signature signature) : SimEvent(ticks)
{
    public override bool HasMicroseconds => true;

    public override void Write(EventWriter writer)
    {
        writer.StartEve(Ticks);
        writer.Number("flow_id"u8, flowId);
        writer.Field("in_iface"u8, "ens192"u8);
        writer.Field("event_type"u8, "alert"u8);
        writer.Field("src_ip"u8, sourceIp);
        writer.Number("src_port"u8, sourcePort);
        writer.Field("dest_ip"u8, destinationIp);
        writer.Number("dest_port"u8, signature.Port);
        writer.Field("proto"u8, signature.Protocol);
        writer.Field("host"u8, sensor.Name);
        writer.StartObject("alert"u8);
        writer.Field("action"u8, "allowed"u8);
        writer.Number("gid"u8, 1);
        writer.Number("signature_id"u8, signature.Id);
        writer.Number("rev"u8, signature.Revision);
        writer.Field("signature"u8, signature.Name);
        writer.Field("category"u8, signature.Category);
        writer.Number("severity"u8, signature.Severity);
        writer.EndObject();
        writer.End();
    }
}
