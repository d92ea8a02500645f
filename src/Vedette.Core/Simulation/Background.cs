namespace Vedette.Simulation;

/// <summary>
/// Plans the ordinary working day around the attacks, until the run holds exactly the requested number of events.
/// </summary>
internal static class Background
{
    // The largest episode the random mix plans (a user mistyping three times). Below this budget only single-event
    // episodes are planned, so the total lands exactly on the requested count.
    private const int LargestEpisode = 7;

    private delegate void Episode(World world, long start);

    private static readonly Weighted<Episode> Mix = new(
        E(EndpointEpisodes.Browse, 22),
        E(EndpointEpisodes.ProcessLaunch, 25),
        E(EndpointEpisodes.FileCreate, 8),
        E(IdentityEpisodes.DomainLogon, 5),
        E(IdentityEpisodes.ShareAccess, 10),
        E(IdentityEpisodes.ServiceLogon, 3),
        E(IdentityEpisodes.AdminRemoteDesktop, 1),
        E(IdentityEpisodes.ExplicitCredentials, 1),
        E(NetworkEpisodes.InternalDns, 6),
        E(NetworkEpisodes.SshSession, 2),
        E(NetworkEpisodes.BenignIdsAlert, 1),
        E(EndpointEpisodes.SoftwareUpdate, 1),
        E(EndpointEpisodes.AdminPowerShell, 1),
        E(EndpointEpisodes.AgentPowerShell, 2));

    private static readonly Weighted<Episode> Single = new(
        E(EndpointEpisodes.FileCreate, 1),
        E(NetworkEpisodes.InternalDns, 1),
        E(IdentityEpisodes.ServiceLogon, 1));

    // Episodes a person causes by hand happen per person, not per logged event: a busy estate's machines log more,
    // its people do not mistype their passwords more often. Rates per person per working day.
    private const double MistypesPerPerson = 1.5;
    private const double StaleAccountFailuresPerPerson = 0.25;

    /// <summary>
    /// Fills the day up to <paramref name="budget"/> more events for an organisation of <paramref name="users"/> staff:
    /// the suspicious-looking benign noise every run has, by-hand episodes at a rate per person, and machine episodes
    /// for the rest.
    /// </summary>
    public static void Plan(World world, int budget, int users, TimeSpan span)
    {
        var timeline = world.Timeline;
        var dice = world.Dice;
        var target = timeline.Count + budget;
        var days = span / TimeSpan.FromHours(10);

        NetworkEpisodes.ScannerWindow(world, Math.Clamp(budget / 250, 20, 600));
        // Benign noise that looks suspicious: every run has it, whatever the mix happens to draw, so that the
        // false-positive story of a demo is real at any size.
        Repeat(world, EndpointEpisodes.AdminPowerShell, 3 + (budget / 20_000));
        Repeat(world, EndpointEpisodes.AgentPowerShell, 3 + (budget / 10_000));
        // At most a tenth of the budget each, so that a large staff still fits a small run.
        Repeat(world, IdentityEpisodes.MistypedPassword, PerPerson(users * MistypesPerPerson * days, 4, budget / 50));
        Repeat(world, IdentityEpisodes.DisabledAccount, PerPerson(users * StaleAccountFailuresPerPerson * days, 2, budget / 10));
        Repeat(world, EndpointEpisodes.SoftwareUpdate, 3 + (budget / 10_000));
        Repeat(world, EndpointEpisodes.AgentServiceInstall, 1 + (budget / 100_000));
        if (timeline.Count > target)
        {
            throw new InvalidOperationException($"the fixed background needs {timeline.Count} events, more than the {target} requested");
        }

        while (target - timeline.Count >= LargestEpisode)
        {
            Mix.Pick(dice)(world, timeline.Busy(dice));
        }
        while (timeline.Count < target)
        {
            Single.Pick(dice)(world, timeline.Busy(dice));
        }
    }

    private static int PerPerson(double expected, int least, int most) => Math.Max(least, Math.Min(most, (int)Math.Round(expected)));

    private static void Repeat(World world, Episode episode, int times)
    {
        for (var i = 0; i < times; i++)
        {
            episode(world, world.Timeline.Busy(world.Dice));
        }
    }

    private static (Episode, int) E(Episode episode, int weight) => (episode, weight);
}
