using System.Globalization;

namespace Vedette.Simulation;

/// <summary>OpenSSH's own wording for the lines the simulation writes, and the shape of a failed connection.</summary>
internal static class Sshd
{
    public static string InvalidUser(string user, string ip, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"Invalid user {user} from {ip} port {port}");

    public static string FailedPassword(string user, bool validUser, string ip, int port) =>
        validUser
            ? string.Create(CultureInfo.InvariantCulture, $"Failed password for {user} from {ip} port {port} ssh2")
            : string.Create(CultureInfo.InvariantCulture, $"Failed password for invalid user {user} from {ip} port {port} ssh2");

    public static string ConnectionClosed(string ip, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"Connection closed by {ip} port {port} [preauth]");

    public static string AcceptedPublicKey(string user, string ip, int port, string fingerprint) =>
        string.Create(CultureInfo.InvariantCulture, $"Accepted publickey for {user} from {ip} port {port} ssh2: ED25519 SHA256:{fingerprint}");

    public static string AcceptedPassword(string user, string ip, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"Accepted password for {user} from {ip} port {port} ssh2");

    public static string Disconnected(string user, string ip, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"Disconnected from user {user} {ip} port {port}");

    /// <summary>
    /// One connection that guesses a password <paramref name="failures"/> times and gives up: "Invalid user" first for an
    /// unknown name, then each "Failed password", then "Connection closed". Returns the time after the last line.
    /// </summary>
    public static long FailedConnection(World world, OrganisationHost server, string ip, string user, int failures, long ticks, long gap)
    {
        var dice = world.Dice;
        var pid = dice.Between(2000, 60000);
        var port = dice.Port();
        var valid = Names.IsLinuxAccount(user);
        if (!valid)
        {
            world.Add(new SshdLog(ticks, server, pid, InvalidUser(user, ip, port)));
        }
        for (var i = 0; i < failures; i++)
        {
            ticks += gap;
            world.Add(new SshdLog(ticks, server, pid, FailedPassword(user, valid, ip, port)));
        }
        ticks += Durations.Ms(dice.Between(100, 900));
        world.Add(new SshdLog(ticks, server, pid, ConnectionClosed(ip, port)));
        return ticks;
    }
}
