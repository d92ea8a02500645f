using Microsoft.Extensions.Time.Testing;
using Vedette.Identity;

namespace Vedette.Tests.Identity;

public sealed class SignInThrottleTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    private static void Fail(SignInThrottle throttle, int times, string account = "ana", string source = "198.51.100.7")
    {
        for (var i = 0; i < times; i++)
        {
            throttle.RecordFailure(account, source);
        }
    }

    [Fact]
    public void Five_failures_are_free_then_the_delay_doubles_from_one_second_up_to_fifteen_minutes()
    {
        var throttle = new SignInThrottle(_time);

        Fail(throttle, 4);
        Assert.True(throttle.Check("ana", "198.51.100.7").Allowed);

        var expected = new[] { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900 };
        foreach (var seconds in expected)
        {
            Fail(throttle, 1);
            var decision = throttle.Check("ana", "198.51.100.7");
            Assert.Equal(new ThrottleDecision(false, TimeSpan.FromSeconds(seconds), ThrottleScope.Account), decision);
            _time.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
            Assert.False(throttle.Check("ana", "198.51.100.7").Allowed);
            _time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.True(throttle.Check("ana", "198.51.100.7").Allowed);
        }
    }

    [Fact]
    public void Account_names_are_throttled_case_insensitively_from_any_source()
    {
        var throttle = new SignInThrottle(_time);

        for (var i = 0; i < 6; i++)
        {
            throttle.RecordFailure(i % 2 == 0 ? "Ana" : "ANA", $"203.0.113.{i}");
        }

        var decision = throttle.Check("ana", "192.0.2.99");
        Assert.Equal((false, ThrottleScope.Account), (decision.Allowed, decision.Scope));
        Assert.True(throttle.Check("bob", "192.0.2.99").Allowed);
    }

    [Fact]
    public void A_source_spraying_many_accounts_is_throttled_after_its_own_allowance()
    {
        var throttle = new SignInThrottle(_time);

        for (var i = 0; i < 21; i++)
        {
            throttle.RecordFailure($"user{i}", "198.51.100.7");
        }

        var decision = throttle.Check("somebody-new", "198.51.100.7");
        Assert.Equal(new ThrottleDecision(false, TimeSpan.FromSeconds(2), ThrottleScope.Source), decision);
        Assert.True(throttle.Check("somebody-new", "198.51.100.8").Allowed);
    }

    [Fact]
    public void Success_clears_the_accounts_failures_but_not_the_sources()
    {
        var throttle = new SignInThrottle(_time, new ThrottleOptions { SourceFreeFailures = 6 });
        Fail(throttle, 6);
        Assert.False(throttle.Check("ana", "198.51.100.7").Allowed);
        _time.Advance(TimeSpan.FromSeconds(2));

        throttle.RecordSuccess("ana", "198.51.100.7");
        throttle.RecordFailure("ana", "203.0.113.1");

        Assert.True(throttle.Check("ana", "203.0.113.1").Allowed);
        throttle.RecordFailure("bob", "198.51.100.7");
        Assert.Equal(ThrottleScope.Source, throttle.Check("carol", "198.51.100.7").Scope);
    }

    [Fact]
    public void Failures_are_forgotten_a_day_after_the_last_one()
    {
        var throttle = new SignInThrottle(_time);
        Fail(throttle, 10);

        _time.Advance(TimeSpan.FromHours(24));

        Assert.True(throttle.Check("ana", "198.51.100.7").Allowed);
        throttle.RecordFailure("ana", "198.51.100.7");
        Assert.True(throttle.Check("ana", "198.51.100.7").Allowed);
    }

    [Fact]
    public void Memory_stays_bounded_and_the_least_recently_failed_are_forgotten_first()
    {
        var throttle = new SignInThrottle(_time, new ThrottleOptions { MaxEntries = 100 });
        Fail(throttle, 6, "target", "198.51.100.7");

        for (var i = 0; i < 99; i++)
        {
            throttle.RecordFailure($"filler{i}", $"203.0.113.{i % 250}");
        }
        Assert.False(throttle.Check("target", "192.0.2.1").Allowed);

        for (var i = 0; i < 10_000; i++)
        {
            throttle.RecordFailure($"flood{i}", $"10.{i / 65536}.{i / 256 % 256}.{i % 256}");
        }

        Assert.Equal((100, 100), throttle.Size);
        Assert.True(throttle.Check("target", "192.0.2.1").Allowed);
    }

    [Fact]
    public void Forgotten_entries_leave_memory_as_soon_as_newer_failures_arrive()
    {
        var throttle = new SignInThrottle(_time);
        for (var i = 0; i < 50; i++)
        {
            throttle.RecordFailure($"user{i}", $"203.0.113.{i}");
        }
        _time.Advance(TimeSpan.FromHours(25));

        throttle.RecordFailure("late", "192.0.2.1");

        Assert.Equal((1, 1), throttle.Size);
    }
}
