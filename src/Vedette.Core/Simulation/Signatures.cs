namespace Vedette.Simulation;

/// <summary>The IDS signatures the simulated sensor fires. Names follow Emerging Threats' style; ids and wording are our own.</summary>
internal static class Signatures
{
    public static IReadOnlyList<Signature> Benign { get; } =
    [
        new(2013028, 7, "ET POLICY curl User-Agent Outbound", "Attempted Information Leak", 3, 80),
        new(2013504, 6, "ET POLICY GNU/Linux APT User-Agent Outbound likely related to package management", "Not Suspicious Traffic", 3, 80),
        new(2016149, 3, "ET INFO Session Traversal Utilities for NAT (STUN Binding Request)", "Attempted User Privilege Gain", 3, 3478, "UDP"),
        new(2027865, 4, "ET INFO Observed TLS SNI to .cloud TLD", "Potentially Bad Traffic", 3, 443),
        new(2014726, 5, "ET POLICY Outdated Windows Flash Version IE", "Potential Corporate Privacy Violation", 3, 80),
        new(2033966, 2, "ET INFO Dropbox.com Offsite File Backup in Use", "Potential Corporate Privacy Violation", 3, 443),
    ];

    /// <summary>What the vulnerability scanner trips during its window.</summary>
    public static IReadOnlyList<Signature> Scan { get; } =
    [
        new(2009358, 6, "ET SCAN Nmap Scripting Engine User-Agent Detected (Nmap Scripting Engine)", "Web Application Attack", 2, 80),
        new(2024364, 5, "ET SCAN Possible Nmap User-Agent Observed", "Web Application Attack", 2, 443),
        new(2001219, 20, "ET SCAN Potential SSH Scan", "Attempted Information Leak", 2, 22),
        new(2010935, 3, "ET SCAN Suspicious inbound to MSSQL port 1433", "Potentially Bad Traffic", 2, 1433),
        new(2010937, 3, "ET SCAN Suspicious inbound to mySQL port 3306", "Potentially Bad Traffic", 2, 3306),
        new(2001569, 15, "ET SCAN Behavioral Unusual Port 445 traffic Potential Scan or Infection", "Misc activity", 2, 445),
    ];

    public static Signature Beacon { get; } = new(2049871, 1, "ET MALWARE Win32/Nightjar Loader CnC Beacon", "A Network Trojan was detected", 1, 443);
}
