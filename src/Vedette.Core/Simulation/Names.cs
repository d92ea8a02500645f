namespace Vedette.Simulation;

/// <summary>Invented names for the simulated staff, servers and documents.</summary>
internal static class Names
{
    public static IReadOnlyList<string> FirstNames { get; } =
    [
        "Aisha", "Alex", "Amelia", "Andrea", "Arjun", "Ben", "Bianca", "Carlos", "Chen", "Chloe", "Daniel", "Diana",
        "Elena", "Emil", "Fatima", "Felix", "Grace", "Hannah", "Hiro", "Ines", "Isaac", "Jana", "Jonas", "Julia",
        "Kai", "Karin", "Leila", "Liam", "Lucia", "Malik", "Maria", "Marta", "Mateo", "Mia", "Nadia", "Noah",
        "Nora", "Olga", "Omar", "Paula", "Pedro", "Priya", "Rafael", "Rosa", "Sam", "Sara", "Sofia", "Tariq",
        "Theo", "Tomas", "Uma", "Victor", "Wei", "Yara", "Yusuf", "Zoe", "Greta", "Ivan", "Lena", "Ravi",
    ];

    public static IReadOnlyList<string> LastNames { get; } =
    [
        "Abbott", "Alvarez", "Andersen", "Baker", "Banerjee", "Becker", "Bianchi", "Brooks", "Castro", "Chen",
        "Costa", "Dahl", "Dubois", "Eriksen", "Ferreira", "Fischer", "Garcia", "Gruber", "Haddad", "Hansen",
        "Hoffmann", "Ivanova", "Jansen", "Kaur", "Keller", "Kowalski", "Larsen", "Lopez", "Marino", "Meyer",
        "Moreau", "Nakamura", "Novak", "Okafor", "Olsen", "Park", "Patel", "Petrov", "Quinn", "Rossi",
        "Santos", "Schmidt", "Silva", "Singh", "Sousa", "Tanaka", "Torres", "Varga", "Vogel", "Wagner",
        "Walsh", "Weber", "Wilson", "Yilmaz", "Young", "Zielinski", "Murphy", "Nilsson", "Horvat", "Lindqvist",
    ];

    /// <summary>Departments of ordinary staff; IT and executives are assigned separately.</summary>
    public static IReadOnlyList<string> Departments { get; } =
        ["finance", "sales", "marketing", "engineering", "hr", "legal", "operations", "support"];

    public static IReadOnlyList<string> Documents { get; } =
    [
        "Q4 forecast.xlsx", "meeting-notes.docx", "invoice_2026-10.pdf", "travel policy.pdf", "roadmap.pptx",
        "timesheet.xlsx", "contract draft v3.docx", "customer list.csv", "onboarding.pdf", "budget 2027.xlsx",
        "release-notes.pdf", "org chart.pdf", "expenses october.xlsx", "proposal.docx", "sla-report.pdf",
    ];

    /// <summary>Names attackers give a local backdoor account, chosen to pass a glance.</summary>
    public static IReadOnlyList<string> BackdoorAccounts { get; } = ["support_tmp", "helpdesk2", "svc_update", "backup_adm", "itsupport"];

    /// <summary>The backdoor names and more, for runs with several backdoors; none is an account of the organisation.</summary>
    public static IReadOnlyList<string> AllBackdoorAccounts { get; } = [.. BackdoorAccounts, "admin_tmp", "sysadmin2", "helpdesk_svc", "it_temp"];

    /// <summary>Usernames a botnet tries against SSH, most invalid on our servers.</summary>
    public static IReadOnlyList<string> SshGuesses { get; } =
    [
        "root", "admin", "oracle", "test", "ubuntu", "postgres", "git", "user", "pi", "ftpuser", "guest", "support",
        "deploy", "jenkins", "hadoop", "mysql", "www", "backup",
    ];

    /// <summary>Accounts that exist on the simulated Linux servers.</summary>
    public static bool IsLinuxAccount(string user) => user is "root" or "deploy" or "ubuntu" or "postgres";
}
