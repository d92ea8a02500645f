using System.Globalization;
using Vedette.Simulation;

namespace Vedette.Tests.Simulation;

public sealed class AttackMixTests
{
    [Fact]
    public void The_default_options_embed_every_kind_once_in_the_original_order_for_the_original_organisation()
    {
        var options = new SimulationOptions(SimulationOptions.MinimumEvents, 1);

        Assert.Same(AttackMix.Default, options.Attacks);
        Assert.Equal(ScenarioKinds.All, options.Attacks.Counts.Select(c => c.Kind));
        Assert.All(options.Attacks.Counts, c => Assert.Equal(1, c.Count));
        Assert.Equal(220, options.Users);
        Assert.Equal(SimulationOptions.MinimumEvents, options.RequiredEvents);
        Assert.Null(options.Problem());
    }

    [Theory]
    [InlineData("ssh-bruteforce:2,phishing-execution-beaconing:1,new-local-admin:3", "ssh-bruteforce:2,phishing-execution-beaconing:1,new-local-admin:3")]
    [InlineData(" windows-bruteforce : 2 , password-spraying ", "windows-bruteforce:2,password-spraying:1")]
    [InlineData("all:2", "ssh-bruteforce:2,password-spraying:2,windows-bruteforce:2,phishing-execution-beaconing:2,lateral-movement-service-install:2,new-local-admin:2")]
    [InlineData("all", "ssh-bruteforce:1,password-spraying:1,windows-bruteforce:1,phishing-execution-beaconing:1,lateral-movement-service-install:1,new-local-admin:1")]
    public void A_spec_names_kinds_with_counts_in_planning_order(string spec, string expected)
    {
        Assert.True(AttackMix.TryParse(spec, out var mix, out var error), error);

        Assert.Equal(expected, mix.ToString());
        Assert.True(AttackMix.TryParse(mix.ToString(), out var again, out _));
        Assert.Equal(mix.Counts, again.Counts);
    }

    [Theory]
    [InlineData("", "name at least one attack kind")]
    [InlineData("ssh", "unknown attack kind 'ssh'; the kinds are ssh-bruteforce, password-spraying")]
    [InlineData("ssh-bruteforce:0", "'ssh-bruteforce:0': the count after ':' must be a whole number from 1 to 8")]
    [InlineData("ssh-bruteforce:9", "from 1 to 8")]
    [InlineData("ssh-bruteforce:-1", "from 1 to 8")]
    [InlineData("ssh-bruteforce:two", "'ssh-bruteforce:two'")]
    [InlineData("ssh-bruteforce:1,ssh-bruteforce:2", "'ssh-bruteforce' is named twice")]
    [InlineData("all:2,new-local-admin:1", "'all' stands for every kind and cannot be combined")]
    [InlineData("ssh-bruteforce,,new-local-admin", "unknown attack kind ''")]
    public void A_bad_spec_is_refused_saying_which_part_is_wrong(string spec, string expected)
    {
        Assert.False(AttackMix.TryParse(spec, out var mix, out var error));

        Assert.Null(mix);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Building_a_mix_in_code_refuses_what_a_spec_would()
    {
        Assert.Throws<ArgumentException>(() => AttackMix.Of(new AttackCount("phishing", 1)));
        Assert.Throws<ArgumentException>(() => AttackMix.Of(new AttackCount(ScenarioKinds.NewLocalAdmin, 0)));
        Assert.Throws<ArgumentException>(() => AttackMix.Of());
        Assert.Throws<ArgumentException>(() => AttackMix.Every(AttackMix.MaximumInstances + 1));
        Assert.Equal(3, AttackMix.Of(new AttackCount(ScenarioKinds.NewLocalAdmin, 3)).Total);
    }

    [Fact]
    public void More_instances_of_a_kind_than_the_day_holds_two_hours_apart_are_refused_with_how_many_fit()
    {
        var options = new SimulationOptions(50_000, 1) { Attacks = AttackMix.Of(new AttackCount(ScenarioKinds.PhishingExecutionBeaconing, 4)) };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AttackSimulator().Run(options, Stream.Null));

        Assert.Equal("Attacks", error.ParamName);
        Assert.Contains("a day of 10 hours holds at most 3 phishing-execution-beaconing attacks", error.Message, StringComparison.Ordinal);
        Assert.Null((options with { Span = TimeSpan.FromHours(14) }).Problem());
    }

    [Fact]
    public void More_instances_than_the_organisation_has_victims_for_are_refused_naming_what_is_short()
    {
        var linux = new SimulationOptions(50_000, 1) { Attacks = AttackMix.Of(new AttackCount(ScenarioKinds.SshBruteForce, 5)), Span = TimeSpan.FromHours(16) };
        var admins = new SimulationOptions(50_000, 1) { Users = 40, Attacks = AttackMix.Of(new AttackCount(ScenarioKinds.NewLocalAdmin, 5)) };

        Assert.Equal("an organisation of 220 users has 4 Linux servers, and the ssh-bruteforce attacks need 5, one each", linux.Problem()?.Reason);
        Assert.Contains("has 4 admin accounts", admins.Problem()?.Reason, StringComparison.Ordinal);
        Assert.Null((linux with { Users = 500 }).Problem());
    }

    [Fact]
    public void More_attacks_need_more_events_so_that_they_stay_a_fifth_of_the_traffic_at_most()
    {
        var options = new SimulationOptions(SimulationOptions.MinimumEvents, 1) { Attacks = AttackMix.Every(3) };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AttackSimulator().Run(options, Stream.Null));

        Assert.Equal("Events", error.ParamName);
        Assert.InRange(options.RequiredEvents, 3 * SimulationOptions.MinimumEvents * 4 / 5, 3 * SimulationOptions.MinimumEvents);
        Assert.Contains($"at least {options.RequiredEvents.ToString("N0", CultureInfo.InvariantCulture)} events", error.Message, StringComparison.Ordinal);
        Assert.Null((options with { Events = options.RequiredEvents }).Problem());
        var subset = new SimulationOptions(SimulationOptions.MinimumEvents, 1) { Attacks = AttackMix.Of(new AttackCount(ScenarioKinds.NewLocalAdmin, 2)) };
        Assert.Null(subset.Problem());
    }
}
