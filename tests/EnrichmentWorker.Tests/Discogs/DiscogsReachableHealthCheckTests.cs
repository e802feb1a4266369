using EnrichmentWorker.Discogs;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EnrichmentWorker.Tests.Discogs;

/// <summary>The reachability check says only what it knows: a service without a token has not asked Discogs anything.</summary>
public sealed class DiscogsReachableHealthCheckTests
{
    [Test]
    public async Task Before_any_answer_it_is_healthy_without_claiming_that_discogs_answers()
    {
        var result = await Check(new DiscogsConnectionStatus());

        Assert.That((result.Status, result.Description), Is.EqualTo((HealthStatus.Healthy, "No outage seen; Discogs has not been asked yet.")));
    }

    [Test]
    public async Task A_missing_token_is_not_taken_for_an_answer()
    {
        var status = new DiscogsConnectionStatus();
        status.Set(new DiscogsConnection(DiscogsConnectionState.MissingToken, null, "Discogs token required.", DateTimeOffset.UnixEpoch));

        Assert.That((await Check(status)).Description, Does.Contain("has not been asked"));
    }

    [TestCase(DiscogsConnectionState.Connected)]
    [TestCase(DiscogsConnectionState.Invalid)]
    public async Task Once_discogs_has_answered_the_token_check_it_says_so(DiscogsConnectionState state)
    {
        var status = new DiscogsConnectionStatus();
        status.Set(new DiscogsConnection(state, null, null, DateTimeOffset.UnixEpoch));

        Assert.That((await Check(status)).Description, Is.EqualTo("Discogs answers."));
    }

    [Test]
    public async Task An_unreachable_token_check_is_named_until_the_circuit_calls_it_an_outage()
    {
        var status = new DiscogsConnectionStatus();
        status.Set(new DiscogsConnection(DiscogsConnectionState.Unreachable, null, "connection refused", DateTimeOffset.UnixEpoch));
        var before = await Check(status);
        status.ReportUnreachable(DateTimeOffset.UnixEpoch, "connection refused");
        var during = await Check(status);

        Assert.Multiple(() =>
        {
            Assert.That((before.Status, before.Description), Is.EqualTo((HealthStatus.Healthy, "No outage yet; the last token check did not reach Discogs: connection refused")));
            Assert.That(during.Status, Is.EqualTo(HealthStatus.Degraded));
        });
    }

    private static Task<HealthCheckResult> Check(DiscogsConnectionStatus status) =>
        new DiscogsReachableHealthCheck(status).CheckHealthAsync(new HealthCheckContext());
}
