using Vedette.Identity;

namespace Vedette.Tests.Identity;

public sealed class SessionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static UserCredentials User(string stamp = "stamp-1") =>
        new(new UserSummary(Guid.CreateVersion7(Now), "ana", Role.Analyst, false, false, 0, 0, Now, Now), null, null, null, stamp);

    [Fact]
    public void A_session_id_is_256_random_bits_stored_as_its_hash_with_idle_and_absolute_expiry()
    {
        var user = User();

        var issued = Sessions.Issue(user, Guid.NewGuid(), Now, SessionOptions.Default);
        var other = Sessions.Issue(user, Guid.NewGuid(), Now, SessionOptions.Default);

        Assert.Equal(43, issued.Token.Length);
        Assert.NotEqual(issued.Token, other.Token);
        Assert.Equal(Sessions.Hash(issued.Token), issued.Record.TokenHash);
        Assert.NotEqual(issued.Token, issued.Record.TokenHash);
        Assert.Equal((Now.AddMinutes(30), Now.AddHours(12)), (issued.Record.Session.IdleExpiresAt, issued.Record.Session.AbsoluteExpiresAt));
        Assert.Equal("stamp-1", issued.Record.Session.SecurityStamp);
        Assert.DoesNotContain(issued.Token, issued.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_session_ends_when_idle_too_long_or_too_old_whatever_the_activity()
    {
        var user = User();
        var session = Sessions.Issue(user, Guid.NewGuid(), Now, SessionOptions.Default).Record.Session;

        Assert.Equal(SessionState.Valid, Sessions.Check(session, user, Now.AddMinutes(29)));
        Assert.Equal(SessionState.IdleExpired, Sessions.Check(session, user, Now.AddMinutes(30)));

        // Activity every 20 minutes keeps it alive, but never past 12 hours.
        var at = Now;
        while (true)
        {
            at = at.AddMinutes(20);
            Assert.NotEqual(SessionState.IdleExpired, Sessions.Check(session, user, at));
            if (Sessions.Check(session, user, at) == SessionState.Expired)
            {
                break;
            }
            var idle = Sessions.Touch(session, at, SessionOptions.Default);
            Assert.NotNull(idle);
            session = session with { LastSeenAt = at, IdleExpiresAt = idle.Value };
        }
        Assert.Equal(Now.AddHours(12), at);
        Assert.Equal(Now.AddHours(12), session.IdleExpiresAt);
    }

    [Fact]
    public void Activity_is_recorded_at_most_once_per_interval()
    {
        var session = Sessions.Issue(User(), Guid.NewGuid(), Now, SessionOptions.Default).Record.Session;

        Assert.Null(Sessions.Touch(session, Now.AddSeconds(59), SessionOptions.Default));
        Assert.Equal(Now.AddMinutes(31), Sessions.Touch(session, Now.AddMinutes(1), SessionOptions.Default));
    }

    [Fact]
    public void A_change_of_the_users_security_stamp_or_a_disabled_user_ends_the_session()
    {
        var user = User("stamp-1");
        var session = Sessions.Issue(user, Guid.NewGuid(), Now, SessionOptions.Default).Record.Session;

        Assert.Equal(SessionState.StampChanged, Sessions.Check(session, user with { SecurityStamp = "stamp-2" }, Now));
        Assert.Equal(SessionState.UserDisabled, Sessions.Check(session, user with { User = user.User with { Disabled = true } }, Now));
        Assert.Equal(SessionState.Unknown, Sessions.Check(session, User("stamp-1"), Now));
        Assert.Equal(SessionState.Unknown, Sessions.Check(null, user, Now));
    }
}
