using System.Globalization;
using Dapper;
using EnrichmentWorker.Discogs;
using EnrichmentWorker.Jobs;
using EnrichmentWorker.Telemetry;
using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Enrichment;

/// <summary>
/// The Hangfire job for one album: wait while the queue is paused, read the album, match and fetch, and write its
/// results with the album's job completion in one transaction. Discogs' answers map to what Hangfire should do here:
/// a 429 is waited out in place by the client (no attempt spent, nothing fetched lost); a rejected token pauses the
/// whole queue and this job waits at the gate with everyone else (no attempt spent); a query Discogs refuses fails
/// the job for a person (no retry, see <see cref="HangfireJobsSetup"/>); anything transient throws, and Hangfire
/// retries it with backoff. No match, needs review and a release that 404s are results: the job succeeds.
/// </summary>
public sealed class AlbumEnrichmentJob(
    NpgsqlDataSource dataSource,
    AlbumReader albums,
    AlbumEnricher enricher,
    EnrichmentWriter writer,
    EnrichmentProgress progress,
    EnrichmentTelemetry telemetry,
    QueueControl queue,
    QueuePauseGate gate,
    RateLimitWaits rateLimits,
    IOptions<EnrichmentOptions> enrichmentOptions,
    IOptions<JobQueueOptions> jobOptions,
    ILogger<AlbumEnrichmentJob> logger)
{
    /// <summary>
    /// The album id of one of these jobs: its first argument. False for any other job, or one whose type no longer
    /// loads — what the filters and the dashboard's album card all ask of a Hangfire job.
    /// </summary>
    public static bool TryGetAlbumId(Job? job, out long albumId)
    {
        albumId = job is { Method.Name: nameof(RunAsync) } && job.Type == typeof(AlbumEnrichmentJob) && job.Args is [long id, ..] ? id : 0;
        return albumId != 0;
    }

    /// <summary>The album as the job's display name shows it: "Björk – Homogenic".</summary>
    public static string Label(string artist, string title) => $"{artist} – {title}";

    [JobDisplayName("Enrich {0}: {1}")]
    public async Task RunAsync(long albumId, string album, PerformContext? context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var jobId = long.Parse(context.BackgroundJob.Id, CultureInfo.InvariantCulture);
        var attempt = context.GetJobParameter<int>("RetryCount") + 1;

        // Hangfire cancels the token as soon as the server is asked to stop; the album gets the grace period to finish
        // before it is put back for another run.
        using var grace = new CancellationTokenSource();
        await using var onStop = cancellationToken.Register(() => grace.CancelAfter(jobOptions.Value.ShutdownGrace));
        var token = grace.Token;

        var claim = await ReadClaimAsync(albumId, jobId, token);
        if (claim is null)
        {
            logger.LogInformation("Job {JobId} is no longer album {AlbumId}'s live job (deleted or superseded); nothing to do", jobId, albumId);
            return;
        }

        using var waits = rateLimits.Begin();
        while (true)
        {
            await gate.WaitUntilRunningAsync(token);
            var toEnrich = await albums.GetAsync(albumId, token);
            if (toEnrich is null)
            {
                logger.LogInformation("Album {AlbumId} no longer exists; nothing to do", albumId);
                return;
            }

            try
            {
                var mode = claim.Mode is { } chosen ? EnrichmentModeColumn.FromColumn(chosen) : enrichmentOptions.Value.Mode;
                var result = claim.DumpOnly
                    ? await enricher.RecheckWithDumpAsync(toEnrich, mode, token)
                    : await enricher.EnrichAsync(toEnrich, mode, claim.OverwriteManual, token);
                if (result is null)
                {
                    await CompleteAsync(albumId, jobId, attempt, JobResults.None, "dump re-check: the dump in service does not match it; its result is kept", waits.Until, token);
                    return;
                }

                RecordMatch(result);
                await CompleteAsync(albumId, jobId, attempt, writer.Results(result, () => progress.Record(result)), result.Summary, waits.Until, token);
                return;
            }
            catch (DiscogsUnauthorizedException ex)
            {
                await queue.PauseAsync("Discogs token invalid: " + ex.Message, QueueControl.PausedByDiscogsToken, token);
                logger.LogError("Queue paused: Discogs rejected the token ({Reason}); album {AlbumId} waits for a valid one", ex.Message, albumId);
            }
        }
    }

    private async Task<Claim?> ReadClaimAsync(long albumId, long jobId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Claim>(new CommandDefinition(AlbumJobSql.ReadClaim, new { albumId, jobId }, cancellationToken: cancellationToken));
    }

    /// <summary>Results, the album's job completion and its history in one transaction, one round trip.</summary>
    private async Task CompleteAsync(long albumId, long jobId, int attempt, JobResults results, string summary,
        IReadOnlyList<DateTimeOffset> rateLimitedUntil, CancellationToken cancellationToken)
    {
        var history = rateLimitedUntil
            .Select(until => ("rate_limited", $"rate limited by Discogs until {until.ToString("u", CultureInfo.InvariantCulture)}; waited in place, no attempt spent"))
            .Append(("succeeded", summary))
            .ToList();
        var parameters = new DynamicParameters(results.Parameters);
        parameters.AddDynamicParams(new
        {
            albumId,
            jobId,
            attempt,
            historyStates = history.Select(h => h.Item1).ToArray(),
            historyReasons = history.Select(h => h.Item2).ToArray(),
        });
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(results.Sql + ";\n" + AlbumJobSql.Complete, parameters, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        results.Committed?.Invoke();
    }

    /// <summary>The matcher's decisions only: a person's manual decision kept by the run is not one.</summary>
    private void RecordMatch(EnrichmentResult result)
    {
        if (result.Manual)
        {
            return;
        }

        telemetry.RecordMatch(result.Status, result.Best?.Total);
    }

    private sealed record Claim(string? Mode, bool OverwriteManual, bool DumpOnly);
}
