using Vedette.Identity;

namespace Vedette.Storage.Tests;

/// <summary>Users, credentials, tokens, sessions and passkeys: what every store must do with identities.</summary>
public abstract partial class StoreContract
{
    protected IIdentityStore Identity => Store as IIdentityStore ?? throw new InvalidOperationException($"{Store.GetType().Name} does not implement IIdentityStore");

    private async Task<UserSummary> AddUserAsync(string name = "ana", Role role = Role.Analyst, string? passwordHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaA")
    {
        Assert.True(await Identity.AddUserAsync(new NewUser(Guid.CreateVersion7(Time.GetUtcNow()), name, role, passwordHash, Time.GetUtcNow()), Ct));
        return (await Identity.FindUserAsync(name, Ct))!;
    }

    private async Task<string> StampAsync(Guid userId) => (await Identity.GetCredentialsAsync(userId, Ct))!.SecurityStamp;

    private async Task<Session> AddSessionAsync(UserSummary user)
    {
        var credentials = (await Identity.GetCredentialsAsync(user.Id, Ct))!;
        var issued = Sessions.Issue(credentials, Guid.CreateVersion7(Time.GetUtcNow()), Time.GetUtcNow(), SessionOptions.Default);
        await Identity.AddSessionAsync(issued.Record, Ct);
        return issued.Record.Session;
    }

    private PasskeyCredential Passkey(UserSummary user, byte id) => new(
        [id, 1, 2, 3], user.Id, [0xa5, 0x01, 0x02, id], 0, [9, 9, id], Guid.Parse("08987058-cadc-4b81-b6e1-30de50dcbe96"), $"key {id}", ["usb", "nfc"], true, false, Time.GetUtcNow(), null);

    [Fact]
    public async Task A_user_is_stored_found_by_name_in_any_case_and_names_are_unique()
    {
        var ana = await AddUserAsync("Ana.Lopez", Role.Lead);

        Assert.Equal(("Ana.Lopez", Role.Lead, false, false, 0, 0), (ana.Name, ana.Role, ana.Disabled, ana.TotpEnabled, ana.RecoveryCodesLeft, ana.PasskeyCount));
        Assert.Equal(ana, await Identity.FindUserAsync("ana.lopez", Ct));
        Assert.Equal(ana, await Identity.GetUserAsync(ana.Id, Ct));
        Assert.True(ana.MustEnrolMfa);
        Assert.False(await Identity.AddUserAsync(new NewUser(Guid.NewGuid(), "ANA.LOPEZ", Role.Viewer, null, Time.GetUtcNow()), Ct));
        Assert.Null(await Identity.FindUserAsync("bob", Ct));
        Assert.Null(await Identity.GetUserAsync(Guid.NewGuid(), Ct));

        await AddUserAsync("bob");
        await AddUserAsync("Carl");
        Assert.Equal(["Ana.Lopez", "bob", "Carl"], (await Identity.ListUsersAsync(Ct)).Select(u => u.Name));
    }

    [Fact]
    public async Task Credentials_carry_the_secrets_and_summaries_none()
    {
        var ana = await AddUserAsync(passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaA");
        var secret = Totp.GenerateSecret();
        await Identity.EnableTotpAsync(ana.Id, secret, ["code-hash-1"], Time.GetUtcNow(), Ct);

        var credentials = (await Identity.GetCredentialsAsync(ana.Id, Ct))!;

        Assert.Equal("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaA", credentials.PasswordHash);
        Assert.Equal(secret, credentials.TotpSecret);
        Assert.Null(credentials.TotpLastStep);
        Assert.False(string.IsNullOrEmpty(credentials.SecurityStamp));
        Assert.DoesNotContain("argon2id", credentials.ToString(), StringComparison.Ordinal);
        // The read model lists and APIs use has no member that could carry a secret.
        Assert.DoesNotContain(typeof(UserSummary).GetProperties(), p => p.PropertyType == typeof(byte[]) ||
            p.Name.Contains("Hash", StringComparison.Ordinal) || p.Name.Contains("Secret", StringComparison.Ordinal) || p.Name.Contains("Stamp", StringComparison.Ordinal));
        Assert.DoesNotContain(typeof(ApiToken).GetProperties(), p => p.Name.Contains("Hash", StringComparison.Ordinal));
        Assert.DoesNotContain(typeof(Session).GetProperties(), p => p.Name.Contains("Hash", StringComparison.Ordinal) || p.Name.Contains("Token", StringComparison.Ordinal));
        Assert.Equal((true, 1), ((await Identity.FindUserAsync("ana", Ct))!.TotpEnabled, (await Identity.FindUserAsync("ana", Ct))!.RecoveryCodesLeft));
    }

    [Fact]
    public async Task Every_security_change_gives_a_new_stamp_and_ends_the_users_sessions_but_not_others()
    {
        var ana = await AddUserAsync("ana");
        var bob = await AddUserAsync("bob");
        var bobSession = await AddSessionAsync(bob);
        var changes = new (string What, Func<Task<bool>> Change)[]
        {
            ("password", () => Identity.SetPasswordAsync(ana.Id, "$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdG5ld3NhbHQ$bmV3", Time.GetUtcNow(), Ct)),
            ("role", () => Identity.SetRoleAsync(ana.Id, Role.Lead, Time.GetUtcNow(), Ct)),
            ("disable", () => Identity.SetDisabledAsync(ana.Id, true, Time.GetUtcNow(), Ct)),
            ("enable", () => Identity.SetDisabledAsync(ana.Id, false, Time.GetUtcNow(), Ct)),
            ("totp", () => Identity.EnableTotpAsync(ana.Id, Totp.GenerateSecret(), ["h1", "h2"], Time.GetUtcNow(), Ct)),
            ("passkey added", () => Identity.AddPasskeyAsync(Passkey(ana, 1), Ct)),
            ("passkey removed", () => Identity.RemovePasskeyAsync(ana.Id, [1, 1, 2, 3], Time.GetUtcNow(), Ct)),
            ("mfa reset", () => Identity.ResetMfaAsync(ana.Id, Time.GetUtcNow(), Ct)),
        };
        foreach (var (what, change) in changes)
        {
            var session = await AddSessionAsync(ana);
            var before = await StampAsync(ana.Id);
            Time.Advance(TimeSpan.FromMinutes(1));

            Assert.True(await change(), what);

            Assert.NotEqual(before, await StampAsync(ana.Id));
            Assert.Empty(await Identity.ListSessionsAsync(ana.Id, Ct));
            Assert.NotEqual(SessionState.Valid, Sessions.Check(session, await Identity.GetCredentialsAsync(ana.Id, Ct), Time.GetUtcNow()));
            Assert.Equal(Time.GetUtcNow(), (await Identity.GetUserAsync(ana.Id, Ct))!.UpdatedAt);
        }
        Assert.Equal([bobSession], await Identity.ListSessionsAsync(bob.Id, Ct));
        var final = (await Identity.GetUserAsync(ana.Id, Ct))!;
        Assert.Equal((Role.Lead, false, false, 0, 0), (final.Role, final.Disabled, final.TotpEnabled, final.RecoveryCodesLeft, final.PasskeyCount));
    }

    [Fact]
    public async Task Changes_to_a_user_that_does_not_exist_report_false()
    {
        var nobody = Guid.NewGuid();
        var at = Time.GetUtcNow();

        Assert.False(await Identity.SetPasswordAsync(nobody, "x", at, Ct));
        Assert.False(await Identity.SetRoleAsync(nobody, Role.Admin, at, Ct));
        Assert.False(await Identity.SetDisabledAsync(nobody, true, at, Ct));
        Assert.False(await Identity.EnableTotpAsync(nobody, [1], [], at, Ct));
        Assert.False(await Identity.ReplaceRecoveryCodesAsync(nobody, [], at, Ct));
        Assert.False(await Identity.ResetMfaAsync(nobody, at, Ct));
        Assert.False(await Identity.TryAcceptTotpStepAsync(nobody, 1, Ct));
        Assert.False(await Identity.TryUseRecoveryCodeAsync(nobody, "h", at, Ct));
        Assert.False(await Identity.RehashPasswordAsync(nobody, "a", "b", Ct));
        Assert.Null(await Identity.GetCredentialsAsync(nobody, Ct));
    }

    [Fact]
    public async Task A_rehash_keeps_the_stamp_and_sessions_and_applies_only_over_the_hash_it_replaces()
    {
        var ana = await AddUserAsync(passwordHash: "old-hash");
        var session = await AddSessionAsync(ana);
        var stamp = await StampAsync(ana.Id);

        Assert.False(await Identity.RehashPasswordAsync(ana.Id, "some-other-hash", "new-hash", Ct));
        Assert.True(await Identity.RehashPasswordAsync(ana.Id, "old-hash", "new-hash", Ct));

        var credentials = (await Identity.GetCredentialsAsync(ana.Id, Ct))!;
        Assert.Equal(("new-hash", stamp), (credentials.PasswordHash, credentials.SecurityStamp));
        Assert.Equal([session], await Identity.ListSessionsAsync(ana.Id, Ct));
    }

    [Fact]
    public async Task A_totp_step_is_accepted_once_and_never_an_earlier_one_after_it()
    {
        var ana = await AddUserAsync();
        Assert.False(await Identity.TryAcceptTotpStepAsync(ana.Id, 100, Ct)); // no TOTP enrolled
        await Identity.EnableTotpAsync(ana.Id, Totp.GenerateSecret(), [], Time.GetUtcNow(), Ct);

        Assert.True(await Identity.TryAcceptTotpStepAsync(ana.Id, 100, Ct));
        Assert.False(await Identity.TryAcceptTotpStepAsync(ana.Id, 100, Ct));
        Assert.False(await Identity.TryAcceptTotpStepAsync(ana.Id, 99, Ct));
        Assert.True(await Identity.TryAcceptTotpStepAsync(ana.Id, 101, Ct));
        Assert.Equal(101, (await Identity.GetCredentialsAsync(ana.Id, Ct))!.TotpLastStep);

        // A new enrolment is a new secret: its steps start afresh.
        await Identity.EnableTotpAsync(ana.Id, Totp.GenerateSecret(), [], Time.GetUtcNow(), Ct);
        Assert.Null((await Identity.GetCredentialsAsync(ana.Id, Ct))!.TotpLastStep);
    }

    [Fact]
    public async Task Of_concurrent_sign_ins_with_the_same_code_exactly_one_wins()
    {
        var ana = await AddUserAsync();
        await Identity.EnableTotpAsync(ana.Id, Totp.GenerateSecret(), [], Time.GetUtcNow(), Ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Identity.TryAcceptTotpStepAsync(ana.Id, 555, Ct))));

        Assert.Single(results, accepted => accepted);
    }

    [Fact]
    public async Task A_recovery_code_works_once_for_its_own_user_only()
    {
        var ana = await AddUserAsync("ana");
        var bob = await AddUserAsync("bob");
        var codes = RecoveryCodes.Generate();
        await Identity.EnableTotpAsync(ana.Id, Totp.GenerateSecret(), [.. codes.Select(RecoveryCodes.Hash)], Time.GetUtcNow(), Ct);

        Assert.False(await Identity.TryUseRecoveryCodeAsync(bob.Id, RecoveryCodes.Hash(codes[0]), Time.GetUtcNow(), Ct));
        Assert.True(await Identity.TryUseRecoveryCodeAsync(ana.Id, RecoveryCodes.Hash(codes[0]), Time.GetUtcNow(), Ct));
        Assert.False(await Identity.TryUseRecoveryCodeAsync(ana.Id, RecoveryCodes.Hash(codes[0]), Time.GetUtcNow(), Ct));
        Assert.Equal(9, (await Identity.GetUserAsync(ana.Id, Ct))!.RecoveryCodesLeft);

        var fresh = RecoveryCodes.Generate();
        var stamp = await StampAsync(ana.Id);
        Assert.True(await Identity.ReplaceRecoveryCodesAsync(ana.Id, [.. fresh.Select(RecoveryCodes.Hash)], Time.GetUtcNow(), Ct));
        Assert.Equal(stamp, await StampAsync(ana.Id));
        Assert.False(await Identity.TryUseRecoveryCodeAsync(ana.Id, RecoveryCodes.Hash(codes[1]), Time.GetUtcNow(), Ct));
        Assert.True(await Identity.TryUseRecoveryCodeAsync(ana.Id, RecoveryCodes.Hash(fresh[1]), Time.GetUtcNow(), Ct));
        Assert.Equal(9, (await Identity.GetUserAsync(ana.Id, Ct))!.RecoveryCodesLeft);
    }

    [Fact]
    public async Task Tokens_are_found_by_hash_listed_without_secrets_and_revoked_once()
    {
        var ana = await AddUserAsync("ana", Role.Lead);
        var bob = await AddUserAsync("bob");
        var first = ApiTokens.Issue(ana, Role.Analyst, "edr", Guid.CreateVersion7(Time.GetUtcNow()), Time.GetUtcNow(), TimeSpan.FromDays(30));
        Time.Advance(TimeSpan.FromSeconds(1));
        var second = ApiTokens.Issue(bob, Role.Viewer, "report", Guid.CreateVersion7(Time.GetUtcNow()), Time.GetUtcNow(), null);
        await Identity.AddTokenAsync(first.Record, Ct);
        await Identity.AddTokenAsync(second.Record, Ct);

        var found = await Identity.FindTokenAsync(ApiTokens.Hash(first.Token), Ct);
        Assert.Equal(new ApiToken(first.Record.Id, ana.Id, "ana", Role.Analyst, "edr", first.Record.CreatedAt, first.Record.ExpiresAt, null, null), found);
        Assert.Null(await Identity.FindTokenAsync(ApiTokens.Hash(first.Token + "x"), Ct));
        Assert.Null(await Identity.FindTokenAsync(first.Token, Ct));
        Assert.Equal([first.Record.Id, second.Record.Id], (await Identity.ListTokensAsync(null, Ct)).Select(t => t.Id));
        Assert.Equal([second.Record.Id], (await Identity.ListTokensAsync(bob.Id, Ct)).Select(t => t.Id));
        Assert.Null((await Identity.GetTokenAsync(second.Record.Id, Ct))!.ExpiresAt);

        var at = Time.GetUtcNow();
        Assert.True(await Identity.RevokeTokenAsync(first.Record.Id, "admin", at, Ct));
        Assert.False(await Identity.RevokeTokenAsync(first.Record.Id, "someone", at.AddSeconds(1), Ct));
        Assert.False(await Identity.RevokeTokenAsync(Guid.NewGuid(), "admin", at, Ct));

        var revoked = await Identity.FindTokenAsync(ApiTokens.Hash(first.Token), Ct);
        Assert.Equal((at, "admin"), (revoked!.RevokedAt, revoked.RevokedBy));
        Assert.Equal(TokenState.Revoked, ApiTokens.Check(revoked, ana, at));
    }

    [Fact]
    public async Task Sessions_are_found_by_hash_touched_and_ended_one_or_all_at_once()
    {
        var ana = await AddUserAsync("ana");
        var bob = await AddUserAsync("bob");
        var credentials = (await Identity.GetCredentialsAsync(ana.Id, Ct))!;
        var issued = Sessions.Issue(credentials, Guid.CreateVersion7(Time.GetUtcNow()), Time.GetUtcNow(), SessionOptions.Default);
        await Identity.AddSessionAsync(issued.Record, Ct);
        var second = await AddSessionAsync(ana);
        var bobs = await AddSessionAsync(bob);

        Assert.Equal(issued.Record.Session, await Identity.FindSessionAsync(Sessions.Hash(issued.Token), Ct));
        Assert.Null(await Identity.FindSessionAsync(issued.Token, Ct));

        var seen = Time.GetUtcNow().AddMinutes(10);
        Assert.True(await Identity.TouchSessionAsync(issued.Record.Session.Id, seen, seen.AddDays(2), Ct));
        var touched = (await Identity.FindSessionAsync(Sessions.Hash(issued.Token), Ct))!;
        // Activity never moves the idle expiry past the absolute one.
        Assert.Equal((seen, issued.Record.Session.AbsoluteExpiresAt), (touched.LastSeenAt, touched.IdleExpiresAt));

        Assert.True(await Identity.RevokeSessionAsync(issued.Record.Session.Id, Ct));
        Assert.False(await Identity.RevokeSessionAsync(issued.Record.Session.Id, Ct));
        Assert.False(await Identity.TouchSessionAsync(issued.Record.Session.Id, seen, seen, Ct));
        Assert.Null(await Identity.FindSessionAsync(Sessions.Hash(issued.Token), Ct));
        Assert.Equal([second], await Identity.ListSessionsAsync(ana.Id, Ct));

        await AddSessionAsync(ana);
        Assert.Equal(2, await Identity.RevokeSessionsAsync(ana.Id, Ct));
        Assert.Empty(await Identity.ListSessionsAsync(ana.Id, Ct));
        Assert.Equal([bobs], await Identity.ListSessionsAsync(bob.Id, Ct));
    }

    [Fact]
    public async Task Expired_sessions_are_deleted_by_idle_or_absolute_expiry()
    {
        var ana = await AddUserAsync();
        var idle = await AddSessionAsync(ana);
        Time.Advance(TimeSpan.FromMinutes(20));
        var fresh = await AddSessionAsync(ana);

        Assert.Equal(0, await Identity.DeleteExpiredSessionsAsync(idle.IdleExpiresAt.AddTicks(-1), Ct));
        Assert.Equal(1, await Identity.DeleteExpiredSessionsAsync(idle.IdleExpiresAt, Ct));
        Assert.Equal([fresh], await Identity.ListSessionsAsync(ana.Id, Ct));
        Assert.Equal(1, await Identity.DeleteExpiredSessionsAsync(fresh.AbsoluteExpiresAt.AddDays(1), Ct));
    }

    [Fact]
    public async Task Passkeys_are_stored_as_registered_found_by_credential_or_user_handle_and_their_use_recorded()
    {
        var ana = await AddUserAsync("ana");
        var key = Passkey(ana, 7);

        Assert.True(await Identity.AddPasskeyAsync(key, Ct));
        Assert.False(await Identity.AddPasskeyAsync(key with { Name = "again" }, Ct));

        var found = (await Identity.FindPasskeyAsync([7, 1, 2, 3], Ct))!;
        Assert.Equal(key.PublicKey, found.PublicKey);
        Assert.Equal(key.UserHandle, found.UserHandle);
        Assert.Equal(key.Transports, found.Transports);
        Assert.Equal((key.Aaguid, key.Name, key.BackupEligible, key.BackedUp, key.CreatedAt, key.LastUsedAt, key.SignCount),
            (found.Aaguid, found.Name, found.BackupEligible, found.BackedUp, found.CreatedAt, found.LastUsedAt, found.SignCount));
        Assert.Equal(ana.Id, found.UserId);
        Assert.Single(await Identity.ListPasskeysAsync(ana.Id, Ct));
        Assert.Single(await Identity.ListPasskeysByUserHandleAsync([9, 9, 7], Ct));
        Assert.Empty(await Identity.ListPasskeysByUserHandleAsync([9, 9, 8], Ct));
        Assert.Equal(1, (await Identity.GetUserAsync(ana.Id, Ct))!.PasskeyCount);
        Assert.True((await Identity.GetUserAsync(ana.Id, Ct))!.HasMfa);

        var used = Time.GetUtcNow().AddHours(1);
        Assert.True(await Identity.RecordPasskeyUseAsync([7, 1, 2, 3], 42, backedUp: true, used, Ct));
        Assert.False(await Identity.RecordPasskeyUseAsync([0], 1, false, used, Ct));
        var after = (await Identity.FindPasskeyAsync([7, 1, 2, 3], Ct))!;
        Assert.Equal((42L, true, (DateTimeOffset?)used), (after.SignCount, after.BackedUp, after.LastUsedAt));

        Assert.False(await Identity.RemovePasskeyAsync(Guid.NewGuid(), [7, 1, 2, 3], used, Ct));
        Assert.True(await Identity.RemovePasskeyAsync(ana.Id, [7, 1, 2, 3], used, Ct));
        Assert.Null(await Identity.FindPasskeyAsync([7, 1, 2, 3], Ct));
    }

    [Fact]
    public async Task Identity_data_survives_closing_and_reopening_the_store()
    {
        var ana = await AddUserAsync("ana", Role.Admin);
        var secret = Totp.GenerateSecret();
        await Identity.EnableTotpAsync(ana.Id, secret, ["h"], Time.GetUtcNow(), Ct);
        var token = ApiTokens.Issue(ana, Role.Viewer, "t", Guid.CreateVersion7(Time.GetUtcNow()), Time.GetUtcNow(), TimeSpan.FromDays(1));
        await Identity.AddTokenAsync(token.Record, Ct);
        var session = await AddSessionAsync(ana);
        var credentials = await Identity.GetCredentialsAsync(ana.Id, Ct);

        await ReopenAsync();

        Assert.Equal(credentials!.User, (await Identity.GetCredentialsAsync(ana.Id, Ct))!.User);
        Assert.Equal(secret, (await Identity.GetCredentialsAsync(ana.Id, Ct))!.TotpSecret);
        Assert.NotNull(await Identity.FindTokenAsync(token.Record.TokenHash, Ct));
        Assert.Equal([session], await Identity.ListSessionsAsync(ana.Id, Ct));
    }
}
