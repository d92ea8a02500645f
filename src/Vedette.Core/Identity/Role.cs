namespace Vedette.Identity;

/// <summary>What a user may do, ordered: each role may do everything the roles below it may.</summary>
public enum Role
{
    Viewer = 0,
    Analyst = 1,
    SeniorAnalyst = 2,
    Lead = 3,
    Admin = 4,
}

public static class Roles
{
    /// <summary>Every role, lowest first.</summary>
    public static IReadOnlyList<Role> All { get; } = [Role.Viewer, Role.Analyst, Role.SeniorAnalyst, Role.Lead, Role.Admin];

    /// <summary>Leads and admins can change other users and close incidents for the team: a stolen password alone must not be enough.</summary>
    public static bool RequiresMfa(this Role role) => role >= Role.Lead;

    public static bool IsAtLeast(this Role role, Role minimum) => role >= minimum;

    public static string ToName(this Role role) => role switch
    {
        Role.Viewer => "viewer",
        Role.Analyst => "analyst",
        Role.SeniorAnalyst => "senior-analyst",
        Role.Lead => "lead",
        Role.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>Parses a role name (case-insensitive; "senior-analyst", "senior_analyst" and "senioranalyst" alike).</summary>
    public static bool TryParse(string? text, out Role role)
    {
        var key = text?.Trim().Replace("_", "-", StringComparison.Ordinal).ToLowerInvariant();
        foreach (var candidate in All)
        {
            if (key == candidate.ToName() || key == candidate.ToName().Replace("-", "", StringComparison.Ordinal))
            {
                role = candidate;
                return true;
            }
        }
        role = default;
        return false;
    }

    public static Role Parse(string text) =>
        TryParse(text, out var role)
            ? role
            : throw new FormatException($"unknown role '{text}': expected {string.Join(", ", All.Select(r => r.ToName()))}");
}
