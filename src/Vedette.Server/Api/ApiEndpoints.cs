using Vedette.Identity;

namespace Vedette.Server.Api;

/// <summary>
/// One endpoint and who may call it: <see cref="MinRole"/> null means anyone, signed in or not. An endpoint marked
/// <see cref="DuringMfaEnrolment"/> also serves a lead or admin who signed in without the second factor their role
/// requires, so that they can enrol it (and nothing else).
/// </summary>
public sealed record ApiEndpoint(string Method, string Pattern, Role? MinRole, string Summary, bool DuringMfaEnrolment = false)
{
    public override string ToString() => $"{Method} {Pattern}";
}

/// <summary>
/// Every endpoint the server maps, with the least role that may call it: the one place access is decided. Mapping an
/// endpoint that is not listed here fails at start-up, and the authorization test enumerates this table against the
/// endpoints actually mapped, every role and anonymous callers.
/// </summary>
public static class ApiEndpoints
{
    private const string V1 = "/api/v1";

    public static IReadOnlyList<ApiEndpoint> All { get; } =
    [
        new("GET", "/health", null, "Readiness: 200 when the pipeline runs"),

        // Signing in and out.
        new("POST", $"{V1}/auth/signin", null, "Sign in with name and password (and a TOTP or recovery code when the user has MFA)"),
        new("POST", $"{V1}/auth/passkeys/signin/begin", null, "Start a passkey sign-in: assertion options"),
        new("POST", $"{V1}/auth/passkeys/signin/complete", null, "Finish a passkey sign-in (passwordless, or as second factor)"),
        new("GET", $"{V1}/auth/me", Role.Viewer, "Who is calling, with role and enrolled factors", DuringMfaEnrolment: true),
        new("POST", $"{V1}/auth/signout", Role.Viewer, "End this session", DuringMfaEnrolment: true),
        new("POST", $"{V1}/auth/signout-everywhere", Role.Viewer, "End every session of the caller", DuringMfaEnrolment: true),
        new("POST", $"{V1}/auth/password", Role.Viewer, "Change the caller's password", DuringMfaEnrolment: true),
        new("POST", $"{V1}/auth/totp/begin", Role.Viewer, "Start TOTP enrolment: secret and otpauth URI", DuringMfaEnrolment: true),
        new("POST", $"{V1}/auth/totp/confirm", Role.Viewer, "Confirm TOTP enrolment with a code; returns recovery codes once", DuringMfaEnrolment: true),
        new("POST", $"{V1}/auth/recovery-codes", Role.Viewer, "New recovery codes, given a current TOTP code; the old ones stop working; shown once"),
        new("POST", $"{V1}/auth/passkeys/register/begin", Role.Viewer, "Start registering a passkey: creation options", DuringMfaEnrolment: true),
        new("POST", $"{V1}/auth/passkeys/register/complete", Role.Viewer, "Finish registering a passkey", DuringMfaEnrolment: true),

        // API documentation.
        new("GET", "/openapi/{documentName}.json", Role.Viewer, "The OpenAPI document"),
        new("GET", "/api/docs/{documentName?}", Role.Viewer, "Browsable API reference"),
        new("GET", "/api/docs/scalar.js", Role.Viewer, "Browsable API reference script"),
        new("GET", "/api/docs/scalar.aspnetcore.js", Role.Viewer, "Browsable API reference script"),
        new("GET", "/api/docs/favicon.svg", Role.Viewer, "Browsable API reference icon"),

        // Intake.
        new("POST", $"{V1}/events", Role.Analyst, "Ingest NDJSON events (gzip accepted); 202 once durable"),
        new("POST", $"{V1}/alerts", Role.Analyst, "Ingest alerts from other tools in Vedette's alert shape"),
        new("POST", $"{V1}/alerts/elastic", Role.Analyst, "Ingest Elastic Security alerts (webhook)"),
        new("POST", $"{V1}/alerts/wazuh", Role.Analyst, "Ingest Wazuh alerts (integration webhook)"),

        // Alerts.
        new("GET", $"{V1}/alerts", Role.Viewer, "List alerts, newest first, with filters and paging"),
        new("GET", $"{V1}/alerts/{{id}}", Role.Viewer, "One alert with its evidence"),
        new("GET", $"{V1}/alerts/{{id}}/comments", Role.Viewer, "Comments on an alert"),
        new("POST", $"{V1}/alerts/{{id}}/acknowledge", Role.Analyst, "Acknowledge an alert"),
        new("POST", $"{V1}/alerts/{{id}}/assign", Role.Analyst, "Assign an alert (or unassign it)"),
        new("POST", $"{V1}/alerts/{{id}}/status", Role.Analyst, "Move an alert to a status; closing takes a verdict"),
        new("POST", $"{V1}/alerts/{{id}}/comments", Role.Analyst, "Comment on an alert"),

        // Incidents.
        new("GET", $"{V1}/incidents", Role.Viewer, "List incidents in queue order, with filters and paging"),
        new("GET", $"{V1}/incidents/{{id}}", Role.Viewer, "One incident"),
        new("GET", $"{V1}/incidents/{{id}}/alerts", Role.Viewer, "An incident's alerts"),
        new("GET", $"{V1}/incidents/{{id}}/comments", Role.Viewer, "Comments on an incident"),
        new("POST", $"{V1}/incidents/{{id}}/acknowledge", Role.Analyst, "Acknowledge an incident"),
        new("POST", $"{V1}/incidents/{{id}}/assign", Role.Analyst, "Assign an incident (or unassign it)"),
        new("POST", $"{V1}/incidents/{{id}}/status", Role.Analyst, "Move an incident to a status; closing takes a verdict"),
        new("POST", $"{V1}/incidents/{{id}}/comments", Role.Analyst, "Comment on an incident"),
        new("POST", $"{V1}/incidents/{{id}}/merge", Role.SeniorAnalyst, "Merge other incidents into this one"),
        new("POST", $"{V1}/incidents/{{id}}/split", Role.SeniorAnalyst, "Move some alerts of this incident into a new one"),

        // Rules, suppressions, intel, metrics, audit.
        new("GET", $"{V1}/rules", Role.Viewer, "Loaded rules with their status"),
        new("GET", $"{V1}/rules/{{id}}", Role.Viewer, "One rule"),
        new("PUT", $"{V1}/rules/{{id}}/status", Role.Lead, "Enable or disable a rule"),
        new("GET", $"{V1}/suppressions", Role.Viewer, "Suppressions with their hits"),
        new("POST", $"{V1}/suppressions", Role.SeniorAnalyst, "Add a suppression"),
        new("DELETE", $"{V1}/suppressions/{{id}}", Role.SeniorAnalyst, "Lift a suppression"),
        new("GET", $"{V1}/intel/lookup", Role.Viewer, "What the threat-intel feeds know about values"),
        new("GET", $"{V1}/metrics", Role.Viewer, "Counts by status and severity, pipeline and intake counters"),
        new("GET", $"{V1}/audit", Role.Lead, "The audit log, oldest first, with paging"),

        // Telemetry (Prometheus scrape).
        new("GET", "/metrics", Role.Viewer, "Prometheus scrape: pipeline, intake and HTTP metrics (with metricsUrls set, served there without credentials instead)"),

        // Retention and legal hold.
        new("POST", $"{V1}/incidents/{{id}}/hold", Role.Lead, "Place a legal hold on an incident: retention keeps it and its alerts"),
        new("DELETE", $"{V1}/incidents/{{id}}/hold", Role.Lead, "Release an incident's legal hold"),

        // API tokens: one's own from viewer up; another user's from lead up (checked per request).
        new("GET", $"{V1}/tokens", Role.Viewer, "API tokens (one's own; a lead or admin may name another user)"),
        new("POST", $"{V1}/tokens", Role.Viewer, "Create an API token, shown once (a lead or admin may create one for another user)"),
        new("DELETE", $"{V1}/tokens/{{id}}", Role.Viewer, "Revoke an API token (one's own; a lead or admin any)"),

        // Users.
        new("GET", $"{V1}/users", Role.Admin, "Users with role and enrolled factors"),
        new("POST", $"{V1}/users", Role.Admin, "Create a user"),
        new("PUT", $"{V1}/users/{{name}}/role", Role.Admin, "Change a user's role"),
        new("POST", $"{V1}/users/{{name}}/disable", Role.Admin, "Disable a user and end their sessions and tokens"),
        new("POST", $"{V1}/users/{{name}}/enable", Role.Admin, "Enable a disabled user"),
        new("POST", $"{V1}/users/{{name}}/reset-mfa", Role.Admin, "Remove a user's TOTP, recovery codes and passkeys"),

        // The console (server-rendered pages; anonymous callers of the others are sent to the sign-in form).
        new("GET", "/", null, "Redirect to the console's queue"),
        new("GET", "/favicon.ico", null, "The console's icon, for browsers that ask for it there"),
        new("GET", "/console/assets/{name}", null, "The console's style sheet, scripts and icon"),
        new("GET", "/console/signin", null, "Console sign-in form"),
        new("POST", "/console/signin", null, "Console sign-in with name and password (form)"),
        new("GET", "/console/signin/totp", null, "Console second-factor form, after the password"),
        new("POST", "/console/signin/totp", null, "Console sign-in with a TOTP or recovery code (form)"),
        new("POST", "/console/signout", Role.Viewer, "Console sign-out (form)", DuringMfaEnrolment: true),
        new("GET", "/console/queue", Role.Viewer, "Console queue: incidents in priority order, filtered and paged"),
        new("GET", "/console/incidents/{id}", Role.Viewer, "Console incident page: score breakdown, grouping, alerts"),
        new("POST", "/console/queue/bulk", Role.Analyst, "Console: acknowledge or assign the incidents selected in the queue (form)"),
        new("POST", "/console/incidents/{id}/acknowledge", Role.Analyst, "Console: acknowledge an incident (form)"),
        new("POST", "/console/incidents/{id}/assign", Role.Analyst, "Console: assign an incident (form)"),
        new("POST", "/console/incidents/{id}/status", Role.Analyst, "Console: move an incident to a status (form)"),
        new("POST", "/console/incidents/{id}/close", Role.Analyst, "Console: close an incident with a verdict (form)"),
        new("POST", "/console/incidents/{id}/comment", Role.Analyst, "Console: comment on an incident (form)"),
        new("POST", "/console/incidents/{id}/merge", Role.SeniorAnalyst, "Console: merge other incidents into this one (form)"),
        new("POST", "/console/incidents/{id}/split", Role.SeniorAnalyst, "Console: move selected alerts into a new incident (form)"),
        new("POST", "/console/incidents/{id}/hold", Role.Lead, "Console: place a legal hold on an incident, with a reason (form)"),
        new("POST", "/console/incidents/{id}/release", Role.Lead, "Console: release an incident's legal hold (form)"),
        new("GET", "/console/alerts/{id}", Role.Viewer, "Console alert page: fields, score, intel hits, every event behind it"),
        new("POST", "/console/alerts/{id}/acknowledge", Role.Analyst, "Console: acknowledge an alert (form)"),
        new("POST", "/console/alerts/{id}/assign", Role.Analyst, "Console: assign an alert (form)"),
        new("POST", "/console/alerts/{id}/status", Role.Analyst, "Console: move an alert to a status (form)"),
        new("POST", "/console/alerts/{id}/close", Role.Analyst, "Console: close an alert with a verdict (form)"),
        new("POST", "/console/alerts/{id}/comment", Role.Analyst, "Console: comment on an alert (form)"),
        new("GET", "/console/audit", Role.Lead, "Console audit log: newest first, filtered by actor, action, target"),

        // Console: account (MFA enrolment, passkeys, recovery codes, sign out everywhere).
        new("GET", "/console/account", Role.Viewer, "Console account page: role, second factors, passkeys, sessions", DuringMfaEnrolment: true),
        new("POST", "/console/account/totp", Role.Viewer, "Console: start TOTP enrolment, QR code and key (form)", DuringMfaEnrolment: true),
        new("POST", "/console/account/totp/confirm", Role.Viewer, "Console: confirm TOTP enrolment with a code; recovery codes shown once (form)", DuringMfaEnrolment: true),
        new("POST", "/console/account/recovery-codes", Role.Viewer, "Console: new recovery codes, given a current TOTP code; shown once (form)"),
        new("POST", "/console/account/passkeys/remove", Role.Viewer, "Console: remove one of the caller's passkeys (form)", DuringMfaEnrolment: true),
        new("POST", "/console/account/signout-everywhere", Role.Viewer, "Console: end every session of the caller (form)", DuringMfaEnrolment: true),
        new("POST", "/console/signin/passkey/begin", null, "Console passkey second factor, after the password: assertion options (form token)"),
        new("POST", "/console/signin/passkey", null, "Console sign-in with a passkey as second factor, after the password (form token)"),

        // Console: dashboard.
        new("GET", "/console/dashboard", Role.Viewer, "Console dashboard: MTTD, MTTA, MTTR, false-positive rate and charts over a time range"),

        // Console: administration.
        new("GET", "/console/admin", Role.Viewer, "Console administration: the sections the caller's role may use"),
        new("GET", "/console/admin/users", Role.Admin, "Console: users with role, second factors and state"),
        new("POST", "/console/admin/users", Role.Admin, "Console: create a user (form)"),
        new("POST", "/console/admin/users/{name}/role", Role.Admin, "Console: change a user's role (form)"),
        new("POST", "/console/admin/users/{name}/disable", Role.Admin, "Console: disable a user and end their sessions and tokens (form)"),
        new("POST", "/console/admin/users/{name}/enable", Role.Admin, "Console: enable a disabled user (form)"),
        new("POST", "/console/admin/users/{name}/reset-mfa", Role.Admin, "Console: remove a user's second factors (form)"),
        new("GET", "/console/admin/tokens", Role.Admin, "Console: every user's API tokens"),
        new("POST", "/console/admin/tokens", Role.Admin, "Console: create an API token, shown once (form)"),
        new("POST", "/console/admin/tokens/{id}/revoke", Role.Admin, "Console: revoke an API token (form)"),
        new("GET", "/console/admin/suppressions", Role.Viewer, "Console: suppressions with their hits"),
        new("POST", "/console/admin/suppressions", Role.SeniorAnalyst, "Console: add a suppression (form)"),
        new("POST", "/console/admin/suppressions/{id}/lift", Role.SeniorAnalyst, "Console: lift a suppression (form)"),
        new("GET", "/console/admin/feeds", Role.Viewer, "Console: threat-intel feeds with indicators, last refresh and errors"),
        new("GET", "/console/admin/rules", Role.Viewer, "Console: loaded rules with their status, and the rules that failed to load"),
        new("POST", "/console/admin/rules/{id}/status", Role.Lead, "Console: enable or disable a rule (form)"),
    ];

    /// <summary>True for the console's pages: anonymous callers are redirected to its sign-in form rather than answered 401.</summary>
    public static bool IsConsole(ApiEndpoint endpoint) => endpoint.Pattern == "/" || endpoint.Pattern.StartsWith("/console/", StringComparison.Ordinal);

    /// <summary>The entry for a mapped endpoint, or null when it is not in the table.</summary>
    public static ApiEndpoint? Find(string method, string pattern)
    {
        foreach (var endpoint in All)
        {
            if (endpoint.Method.Equals(method, StringComparison.OrdinalIgnoreCase) && endpoint.Pattern.Equals(pattern, StringComparison.OrdinalIgnoreCase))
            {
                return endpoint;
            }
        }
        return null;
    }
}
