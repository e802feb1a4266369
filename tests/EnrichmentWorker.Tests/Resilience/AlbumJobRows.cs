namespace EnrichmentWorker.Tests.Resilience;

/// <summary>
/// How the resilience tests read the per-album jobs: Hangfire's own rows (schema hangfire) for what ran, and the
/// project's album_jobs / album_job_history for the album's side. An album job's first argument is its album id;
/// Hangfire stores arguments as a JSON array of serialized values, and RetryCount as a serialized number.
/// </summary>
internal static class AlbumJobRows
{
    /// <summary>Every Hangfire album job: id, album, current state, and its attempt (1 + retries spent).</summary>
    public const string Jobs = """
        SELECT j.id AS Id, (j.arguments ->> 0)::bigint AS AlbumId, j.statename AS State,
               1 + coalesce((SELECT trim(both '"' FROM p.value)::int FROM hangfire.jobparameter p WHERE p.jobid = j.id AND p.name = 'RetryCount'), 0) AS Attempt
        FROM hangfire.job j
        WHERE j.invocationdata::text LIKE '%EnrichmentWorker.Enrichment.AlbumEnrichmentJob%'
        ORDER BY j.id
        """;

    /// <summary>Album jobs Hangfire would still run or is running (Enqueued, Processing, Scheduled, Awaiting).</summary>
    public const string NonFinalJobs = """
        SELECT count(*) FROM hangfire.job
        WHERE invocationdata::text LIKE '%EnrichmentWorker.Enrichment.AlbumEnrichmentJob%'
          AND statename IN ('Enqueued', 'Processing', 'Scheduled', 'Awaiting')
        """;

    /// <summary>Album jobs Hangfire would still run (Enqueued, Processing, Scheduled, Awaiting), per album.</summary>
    public const string MostNonFinalJobsOfOneAlbum = """
        SELECT coalesce(max(n), 0) FROM (
            SELECT count(*) AS n FROM hangfire.job
            WHERE invocationdata::text LIKE '%EnrichmentWorker.Enrichment.AlbumEnrichmentJob%'
              AND statename IN ('Enqueued', 'Processing', 'Scheduled', 'Awaiting')
            GROUP BY arguments ->> 0) per_album
        """;

    /// <summary>Runs of a job that Hangfire failed (each retried or final), from its state history.</summary>
    public const string FailedRuns = "SELECT count(*) FROM hangfire.state WHERE name = 'Failed'";

    /// <summary>Every 'Processing' state (one per run started), with the server that ran it, oldest first.</summary>
    public const string ProcessingStates = """
        SELECT jobid AS JobId, data::jsonb ->> 'ServerId' AS ServerId FROM hangfire.state WHERE name = 'Processing' ORDER BY id
        """;

    /// <summary>The album's side: history rows, oldest first.</summary>
    public const string History = """
        SELECT album_id AS AlbumId, hangfire_job_id AS JobId, state AS State, reason AS Reason, attempt AS Attempt, exception_type AS ExceptionType
        FROM album_job_history ORDER BY id
        """;

    /// <summary>What failed runs threw, as Hangfire recorded it, for an assertion's message.</summary>
    public const string Failures = """
        SELECT format('%s x %s: %s', count(*), data::jsonb ->> 'ExceptionType', left(data::jsonb ->> 'ExceptionMessage', 300))
        FROM hangfire.state WHERE name = 'Failed' GROUP BY data::jsonb ->> 'ExceptionType', left(data::jsonb ->> 'ExceptionMessage', 300)
        """;
}

internal sealed record ProcessingState(long JobId, string ServerId);
