using EnrichmentWorker.DiscogsSimulator;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Resilience;

/// <summary>
/// The real service against the simulator's injected faults. Whatever Discogs does, nothing is lost: every album ends
/// with a result, and each fault costs what it should (a transient fault a retry, a 429 a wait but no attempt, a
/// rejected token a pause but no attempt), as Hangfire's job and state rows, the album's job history and the
/// simulator's request log show.
/// </summary>
[NonParallelizable]
public sealed class DiscogsFaultTests
{
    private const string Search = "/database/search";

    [Test]
    public async Task Bursts_of_5xx_are_retried_and_every_album_finishes_with_each_failed_run_counted_as_one_attempt()
    {
        await using var run = await FaultRun.CreateAsync(albumCount: 12);
        // Twelve in a row on search: more than three workers can absorb with in-call retries (3 each), so some runs
        // fail as a whole and go back to the queue with backoff.
        run.Faults.Add(FaultKind.ServerError, 6, Search);
        run.Faults.Add(FaultKind.BadGateway, 3, Search);
        run.Faults.Add(FaultKind.ServiceUnavailable, 3, Search);

        await run.StartServiceAsync(workers: 3);
        await run.WaitUntilEveryAlbumIsFinishedAsync();

        var jobs = await run.JobsAsync();
        var events = await run.EventsAsync();
        var failedRuns = await run.ScalarAsync<long>(TransientFailedRuns);
        var requests = run.JobRequests();
        TestContext.Out.WriteLine($"{run.Summary()}; {failedRuns} failed runs; attempts {string.Join(",", jobs.Select(j => j.Attempt))}");
        Assert.Multiple(() =>
        {
            Assert.That(run.Faults.Pending, Is.Zero, "every planned fault was served");
            Assert.That(requests.Count(r => r.Status >= 500), Is.EqualTo(12));
            Assert.That(jobs.Select(j => j.State), Is.All.EqualTo("Succeeded"));
            Assert.That(failedRuns, Is.GreaterThanOrEqualTo(1), "a burst longer than the in-call retries fails a run, which Hangfire retries");
            Assert.That(failedRuns, Is.LessThanOrEqualTo(12), "a run fails on its own failed requests, never only because the circuit is open");
            Assert.That(events.Count(e => e.State == "retrying"), Is.EqualTo(failedRuns), "each failed run waits its backoff, as the album's history says");
            Assert.That(events.Where(e => e.State == "failed"), Is.Empty, "no album failed for good");
            Assert.That(jobs.Sum(j => j.Attempt), Is.EqualTo(jobs.Count + failedRuns), "one attempt per run, however many HTTP retries it made");
        });
        await AssertEveryAlbumHasOneResultAsync(run);
    }

    [Test]
    public async Task Connection_resets_and_malformed_or_truncated_bodies_are_retried_until_every_album_finishes()
    {
        await using var run = await FaultRun.CreateAsync(albumCount: 12);
        run.Faults.Add(FaultKind.ConnectionReset, 3, Search);
        run.Faults.Add(FaultKind.MalformedJson, 3, Search);
        run.Faults.Add(FaultKind.TruncatedJson, 3, "/releases");
        run.Faults.Add(FaultKind.ConnectionReset, 2, "/releases");

        await run.StartServiceAsync(workers: 3);
        await run.WaitUntilEveryAlbumIsFinishedAsync();

        var jobs = await run.JobsAsync();
        var failedRuns = await run.ScalarAsync<long>(TransientFailedRuns);
        var requests = run.JobRequests();
        var results = await run.ResultsAsync();
        TestContext.Out.WriteLine($"{run.Summary()}; {failedRuns} failed runs; attempts {string.Join(",", jobs.Select(j => j.Attempt))}");
        Assert.Multiple(() =>
        {
            Assert.That(run.Faults.Pending, Is.Zero, "every planned fault was served");
            Assert.That(requests.Count(r => r.Status == 0), Is.EqualTo(5), "each reset is one request the simulator saw");
            Assert.That(jobs.Select(j => j.State), Is.All.EqualTo("Succeeded"));
            Assert.That(jobs.Sum(j => j.Attempt), Is.EqualTo(jobs.Count + failedRuns), "one attempt per run, however many HTTP retries it made");
            Assert.That(failedRuns, Is.LessThanOrEqualTo(11), "a run fails on its own failed requests, never only because the circuit is open");
            // The fetched release is what full mode stores: a body cut in half must not have been taken as a release.
            Assert.That(results.Values.Count(r => r.Status == "matched"), Is.EqualTo(run.Albums.Count), "catalogue albums with exact tags all match");
        });
        await AssertEveryAlbumHasOneResultAsync(run);
        Assert.That(await run.ScalarAsync<long>("SELECT count(*) FROM album_releases"), Is.EqualTo(run.Albums.Count),
            "every matched album has its release despite truncated bodies");
    }

    [Test]
    public async Task A_429_storm_is_waited_out_in_place_without_spending_attempts_or_asking_again_for_what_a_job_already_had()
    {
        await using var run = await FaultRun.CreateAsync(albumCount: 16);
        run.Faults.Add(FaultKind.RateLimited, 5, Search);
        // Two processes, two workers each: the wait after a 429 must hold the other process's workers too.
        await run.StartServiceAsync(workers: 2);
        await run.StartServiceAsync(workers: 2);
        await run.WaitUntilEveryAlbumIsFinishedAsync();

        var jobs = await run.JobsAsync();
        var events = await run.EventsAsync();
        var runs = await run.RunsAsync();
        var requests = run.Simulator.Requests.Snapshot();
        var limited = requests.Where(r => r.Status == 429).ToList();
        var retryAfter = TimeSpan.FromSeconds(run.Simulator.Options.RetryAfterSeconds);
        // Requests that reached the simulator while a 429's Retry-After ran: only ones granted before that 429 was
        // seen (at most one per other worker) may still arrive.
        var sentWhileBlocked = limited.Select(l => requests.Count(r => r.At > l.At && r.At < l.At + retryAfter)).ToList();
        // A job restarted after a 429 would send its first search again: every answered request is asked for once.
        var answeredTwice = run.JobRequests().Where(r => r.Status == 200).GroupBy(r => r.PathAndQuery).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        // Each refused request is sent once more after the wait, and answered.
        var refusedNotAnswered = limited.Where(l => !requests.Any(r => r.PathAndQuery == l.PathAndQuery && r.At > l.At && r.Status == 200)).ToList();
        var rateLimitedHistory = events.Where(e => e.State == "rate_limited").ToList();
        TestContext.Out.WriteLine($"{run.Summary()}; sent during each Retry-After: {string.Join(",", sentWhileBlocked)}; attempts {string.Join(",", jobs.Select(j => j.Attempt))}; "
            + $"history: {string.Join(" | ", rateLimitedHistory.Select(e => e.Reason))}");
        Assert.Multiple(() =>
        {
            Assert.That(run.Faults.Pending, Is.Zero, "every planned 429 was served");
            Assert.That(limited, Has.Count.EqualTo(5));
            Assert.That(jobs.Select(j => j.Attempt), Is.All.EqualTo(1), "a 429 spends no Hangfire attempt");
            Assert.That(runs.GroupBy(r => r.JobId).Select(g => g.Count()), Is.All.EqualTo(1), "a rate-limited job is neither rescheduled nor restarted: one run per job");
            Assert.That(answeredTwice, Is.Empty, "no album asked Discogs again for an answer it already had");
            Assert.That(refusedNotAnswered, Is.Empty, "each refused request was asked again after the wait, and answered");
            Assert.That(rateLimitedHistory, Has.Count.EqualTo(5), "each 429 is in its album's history");
            Assert.That(rateLimitedHistory.Select(e => e.Reason), Is.All.StartsWith("rate limited by Discogs until "));
            Assert.That(rateLimitedHistory.Select(e => e.Attempt), Is.All.EqualTo(1), "recorded with the job's first and only attempt");
            Assert.That(events.Where(e => e.ExceptionType is not null || e.State is "retrying" or "failed"), Is.Empty, "a 429 is not an error");
            Assert.That(sentWhileBlocked, Is.All.LessThanOrEqualTo(3), "every worker of both processes waits out Retry-After");
        });
        Assert.That(await run.ScalarAsync<long>(AlbumJobRows.FailedRuns), Is.Zero, "Hangfire saw no failed run");
        Assert.That(await run.ScalarAsync<DateTime?>("SELECT last_429_at FROM discogs_budget"), Is.Not.Null, "the shared budget recorded the 429");
        await AssertEveryAlbumHasOneResultAsync(run);
    }

    [Test]
    public async Task A_token_rejected_mid_run_pauses_the_queue_without_spending_attempts_and_resumes_once_it_is_valid_again()
    {
        await using var run = await FaultRun.CreateAsync(albumCount: 12);
        await run.StartServiceAsync(workers: 3);
        await WaitForFirstResultsAsync(run, 3);

        var valid = run.Simulator.Options.ValidTokens;
        run.Simulator.Options.ValidTokens = new HashSet<string>(StringComparer.Ordinal);
        await WaitFor.ConditionAsync(async () => await run.ScalarAsync<string?>("SELECT coalesce(paused_by, '') FROM queue_state") == "discogs-token",
            TimeSpan.FromSeconds(30), "the queue to pause for the token");
        // Jobs that were running meet the 401 on their next request and wait at the pause gate, in place; after that,
        // while the token is rejected, the service only re-checks it: no job request is answered.
        var pausedAt = run.Simulator.Requests.Count;
        await WaitFor.ConditionAsync(() => run.Simulator.Requests.Snapshot().Skip(pausedAt).Count(r => r.PathAndQuery.StartsWith("/oauth", StringComparison.Ordinal)) >= 3,
            TimeSpan.FromSeconds(30), "three token checks while paused");
        var whilePaused = run.Simulator.Requests.Snapshot().Skip(pausedAt).ToList();
        var reason = await run.ScalarAsync<string>("SELECT reason FROM queue_state");
        var waitingAtTheGate = await run.ScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE statename = 'Processing'");
        run.Simulator.Options.ValidTokens = valid;

        await run.WaitUntilEveryAlbumIsFinishedAsync();

        var jobs = await run.JobsAsync();
        var events = await run.EventsAsync();
        var runs = await run.RunsAsync();
        var rejected = run.JobRequests().Count(r => r.Status == 401);
        TestContext.Out.WriteLine($"{run.Summary()}; {rejected} job requests refused with 401; {waitingAtTheGate} jobs held at the gate; attempts {string.Join(",", jobs.Select(j => j.Attempt))}");
        Assert.Multiple(() =>
        {
            Assert.That(reason, Does.Contain("Discogs").And.Not.Contain("test-token"), "the reason is shown, the token never");
            Assert.That(whilePaused.Where(r => !r.PathAndQuery.StartsWith("/oauth", StringComparison.Ordinal) && r.Status != 401), Is.Empty,
                "a paused queue sends no job requests (only ones already on their way meet the 401)");
            Assert.That(rejected, Is.InRange(1, 3), "at most one rejected request per worker: the one that was running");
            Assert.That(waitingAtTheGate, Is.InRange(1, 3), "the workers' jobs wait at the gate in Processing, not rescheduled");
            Assert.That(jobs.Select(j => j.Attempt), Is.All.EqualTo(1), "a rejected token spends no attempt");
            Assert.That(runs.GroupBy(r => r.JobId).Select(g => g.Count()), Is.All.EqualTo(1), "a paused job is not put back or run again: one run per job");
            Assert.That(events.Where(e => e.ExceptionType is not null || e.State is "retrying" or "failed"), Is.Empty, "a rejected token is not a job failure");
        });
        Assert.That(await run.ScalarAsync<long>(AlbumJobRows.FailedRuns), Is.Zero, "Hangfire saw no failed run");
        Assert.That(await run.ScalarAsync<bool>("SELECT paused FROM queue_state"), Is.False, "the queue resumed by itself");
        await AssertEveryAlbumHasOneResultAsync(run);
    }

    [Test]
    public async Task A_matched_release_that_is_hidden_falls_back_to_another_release_of_the_album_and_is_not_a_failure()
    {
        await using var run = await FaultRun.CreateAsync(albumCount: 6, pick: a => a.Kind == CatalogAlbumKind.Master && a.ReleaseIds.Count is 2 or 3);
        // All but the last release of each album answer 404 while search still lists them.
        var hidden = run.Albums.SelectMany(a => a.ReleaseIds.Take(a.ReleaseIds.Count - 1)).ToHashSet();
        foreach (var id in hidden)
        {
            run.Faults.HideRelease(id);
        }

        await run.StartServiceAsync(workers: 2);
        await run.WaitUntilEveryAlbumIsFinishedAsync();

        var jobs = await run.JobsAsync();
        var results = await run.ResultsAsync();
        var requests = run.JobRequests();
        var notFound = requests.Where(r => r.Status == 404).Select(r => r.PathAndQuery).ToList();
        TestContext.Out.WriteLine($"{run.Summary()}; 404s: {string.Join(" ", notFound)}");
        Assert.Multiple(() =>
        {
            Assert.That(notFound, Is.Not.Empty, "some hidden release was asked for");
            Assert.That(notFound, Is.All.Matches<string>(p => p.StartsWith("/releases/", StringComparison.Ordinal) && hidden.Contains(long.Parse(p["/releases/".Length..], System.Globalization.CultureInfo.InvariantCulture))));
            Assert.That(jobs.Select(j => j.Attempt), Is.All.EqualTo(1), "a hidden release is an answer, not a failure to retry");
            foreach (var (album, i) in run.Albums.Select((a, i) => (a, i)))
            {
                var result = results[$"a{i}"];
                Assert.That(result.Status, Is.EqualTo("matched"), album.Title);
                Assert.That(result.ReleaseId, Is.EqualTo(album.ReleaseIds[^1]), $"{album.Title}: the release that is still served");
            }
        });
        await AssertEveryAlbumHasOneResultAsync(run);
    }

    private const string TransientFailedRuns =
        "SELECT count(*) FROM hangfire.state WHERE name = 'Failed' AND data::jsonb ->> 'ExceptionType' = 'EnrichmentWorker.Discogs.DiscogsTransientException'";

    private static Task WaitForFirstResultsAsync(FaultRun run, int count) =>
        WaitFor.ConditionAsync(async () => await run.ScalarAsync<long>("SELECT count(*) FROM album_matches") >= count,
            FaultRun.Patience, $"the first {count} results");

    /// <summary>
    /// Nothing lost, nothing doubled: one result per album, each a decision, one Hangfire job per album that succeeded
    /// once, and no album left with a live job.
    /// </summary>
    private static async Task AssertEveryAlbumHasOneResultAsync(FaultRun run)
    {
        var results = await run.ResultsAsync();
        var jobs = await run.JobsAsync();
        var events = await run.EventsAsync();
        var live = await run.ScalarAsync<long>("SELECT count(*) FROM album_jobs");
        Assert.Multiple(() =>
        {
            Assert.That(results, Has.Count.EqualTo(run.Albums.Count));
            Assert.That(results.Values.Select(r => r.Status), Is.All.AnyOf("matched", "needs_review", "no_match"));
            Assert.That(jobs, Has.Count.EqualTo(run.Albums.Count), "one Hangfire job per album");
            Assert.That(jobs.Select(j => j.AlbumId).Distinct().Count(), Is.EqualTo(run.Albums.Count), "each album its own job");
            Assert.That(jobs.Select(j => j.State), Is.All.EqualTo("Succeeded"));
            var succeeded = events.Where(e => e.State == "succeeded").GroupBy(e => e.AlbumId).Select(g => g.Count()).ToList();
            Assert.That(succeeded, Has.Count.EqualTo(run.Albums.Count), "each album's job completed");
            Assert.That(succeeded, Is.All.EqualTo(1), "each album's results were written once");
            Assert.That(live, Is.Zero, "no album keeps a live job");
        });
    }
}
