using EnrichmentWorker.Discogs;
using EnrichmentWorker.Tests.Support;
using Npgsql;

namespace EnrichmentWorker.Tests.Discogs;

/// <summary>The token check needs the request budget, which lives in PostgreSQL: an unreachable database must not end it.</summary>
public sealed class DiscogsIdentityMonitorOutageTests
{
    [Test]
    public async Task The_token_check_outlives_an_unreachable_database_and_tries_again_later()
    {
        // Nothing listens on this port: every connection is refused, as while PostgreSQL restarts.
        await using var unreachable = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={ServiceProcess.FreePort()};Username=nobody;Timeout=2");
        var settings = DiscogsServices.FastSettings();
        settings["Discogs:IdentityRecheckInterval"] = "00:00:00.200";
        await using var services = DiscogsServices.Create(unreachable, settings);
        var monitor = services.Get<DiscogsIdentityMonitor>();

        await monitor.StartAsync(CancellationToken.None);
        try
        {
            await WaitFor.ConditionAsync(
                () => services.Logs.Lines.Count(l => l.Contains("Could not check the Discogs token, the database is unavailable", StringComparison.Ordinal)) >= 2
                      || monitor.ExecuteTask!.IsCompleted,
                TimeSpan.FromSeconds(30), "two failed token checks");
            Assert.That(monitor.ExecuteTask!.IsCompleted, Is.False, () => "the check loop ended: " + monitor.ExecuteTask.Exception);
        }
        finally
        {
            await monitor.StopAsync(CancellationToken.None);
        }
    }
}
