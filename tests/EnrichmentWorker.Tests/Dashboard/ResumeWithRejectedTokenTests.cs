using System.Net;
using System.Net.Http.Json;
using Dapper;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Dashboard;

/// <summary>
/// Resume while Discogs rejects the token: it once spent the window's requests on 401s and paused again. Now the
/// token is checked first (one request), and the queue stays paused with the reason until Discogs accepts it.
/// </summary>
public sealed class ResumeWithRejectedTokenTests
{
    private const string RevokedToken = "revoked-token";

    [Test]
    public async Task Resume_while_the_token_is_rejected_checks_it_once_and_stays_paused_then_resumes_once_Discogs_accepts_it()
    {
        await using var service = await DashboardService.StartAsync(settings: new Dictionary<string, string?>
        {
            ["DISCOGS_TOKEN"] = RevokedToken,
            // Only the start-up check and the ones Resume asks for: the count of checks below is exact.
            ["Discogs__IdentityRecheckInterval"] = "01:00:00",
        });
        await WaitFor.ConditionAsync(async () => await PausedByAsync(service) == "discogs-token", TimeSpan.FromSeconds(30), "the queue to pause for the token");
        using var admin = service.Client(DashboardService.AdminToken);
        var before = IdentityChecks(service);
        Assert.That(before, Is.EqualTo(1), "the start-up check only: a check Discogs answers 401 does not wake the checker again at once");

        using var refused = await admin.PostAsJsonAsync("/api/queue", new { action = "resume" });
        var problem = await refused.Content.ReadAsStringAsync();
        var checks = IdentityChecks(service) - before;
        var pausedBy = await PausedByAsync(service);

        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), problem);
            Assert.That(problem, Does.Contain("Not resumed").And.Contain("DISCOGS_TOKEN").And.Not.Contain(RevokedToken));
            Assert.That(checks, Is.EqualTo(1), "one token check, no job request");
            Assert.That(pausedBy, Is.EqualTo("discogs-token"), "still paused, with the token as the reason");
        });

        service.Simulator.Options.ValidTokens = new HashSet<string>(StringComparer.Ordinal) { RevokedToken };
        using var resumed = await admin.PostAsJsonAsync("/api/queue", new { action = "resume" });

        Assert.That(resumed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await resumed.Content.ReadAsStringAsync());
        Assert.That(await PausedByAsync(service), Is.Null, "a token Discogs accepts lets the queue run");
    }

    private static int IdentityChecks(DashboardService service) =>
        service.Simulator.Requests.Snapshot().Count(r => r.PathAndQuery.StartsWith("/oauth/identity", StringComparison.Ordinal));

    private static async Task<string?> PausedByAsync(DashboardService service)
    {
        await using var connection = await service.Database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string?>("SELECT CASE WHEN paused THEN paused_by END FROM queue_state");
    }
}
