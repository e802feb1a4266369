using Dapper;
using EnrichmentWorker.Jobs;
using EnrichmentWorker.Library;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Dashboard;

/// <summary>The dashboard's read side: one method per page or panel, each a few indexed statements.</summary>
public sealed class DashboardQueries(NpgsqlDataSource dataSource, QueueReadings queue, IDashboardDiscogsStatus discogs, IOptions<DashboardOptions> options, TimeProvider time)
{
    private readonly SemaphoreSlim _historyLock = new(1, 1);
    private (DateTimeOffset At, History Value)? _history;

    /// <summary>
    /// Albums by where their job is: waiting (not yet in Hangfire, or enqueued), scheduled (a retry waits), processing,
    /// failed (waits for a person) — from the project's album_jobs joined to Hangfire's job states — and succeeded in
    /// the last day. The job lists themselves are Hangfire's.
    /// </summary>
    public async Task<IReadOnlyList<StateCount>> CountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await CountsAsync(connection, cancellationToken);
    }

    private async Task<IReadOnlyList<StateCount>> CountsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var reading = await queue.ReadAsync(connection, cancellationToken);
        var succeeded = await connection.ExecuteScalarAsync<long>(new CommandDefinition(DashboardSql.SucceededLastDay, cancellationToken: cancellationToken));
        return
        [
            new StateCount("enqueued", reading.Ready, false),
            new StateCount("scheduled", Math.Max(0, reading.Waiting - reading.Ready), false),
            new StateCount("processing", reading.Running, false),
            new StateCount("failed", reading.Failed, false),
            new StateCount("succeeded", succeeded, false),
        ];
    }

    public async Task<Overview> OverviewAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var counts = await CountsAsync(connection, cancellationToken);
        var queue = await connection.QuerySingleAsync<QueueView>(new CommandDefinition(AlbumJobSql.QueueStateGet, cancellationToken: cancellationToken));
        var throughput = (await connection.QueryAsync<ThroughputPoint>(new CommandDefinition(DashboardSql.ThroughputByMinute,
            new { minutes = 60 }, cancellationToken: cancellationToken))).AsList();
        var run = await connection.QuerySingleAsync<CurrentRun>(new CommandDefinition(DashboardSql.CurrentRun, new { minutes = 15 }, cancellationToken: cancellationToken));
        var requestsPerAlbum = await connection.ExecuteScalarAsync<double?>(new CommandDefinition(DashboardSql.RequestsPerAlbum, cancellationToken: cancellationToken));
        var servers = await connection.ExecuteScalarAsync<int>(new CommandDefinition(DashboardSql.Servers, cancellationToken: cancellationToken));
        var budget = await discogs.GetBudgetAsync(cancellationToken);
        var status = await discogs.GetStatusAsync(cancellationToken);
        var backlog = Backlog(counts, run, requestsPerAlbum, budget);
        return new Overview(counts, queue, backlog, throughput, budget, status, servers, time.GetUtcNow().UtcDateTime);
    }

    private static BacklogView Backlog(IReadOnlyList<StateCount> counts, CurrentRun run, double? requestsPerAlbum, BudgetView? budget)
    {
        var ready = counts.Where(c => c.State is "enqueued" or "processing").Sum(c => c.Count);
        var scheduled = counts.Where(c => c.State == "scheduled").Sum(c => c.Count);
        var budgetPerMinute = budget is { Limit: > 0 } && budget.Window > TimeSpan.Zero ? budget.Limit / budget.Window.TotalMinutes : (double?)null;
        var estimate = BacklogEstimate.For(ready + scheduled, run, requestsPerAlbum, budgetPerMinute);
        return new BacklogView(ready, scheduled, estimate.MeasuredPerMinute, estimate.BudgetPerMinute, estimate.RequestsPerAlbum, estimate.Eta, estimate.Basis);
    }

    /// <summary>Hourly (48 h) and daily (30 days) finished jobs; cached for Dashboard:HistoryCacheDuration.</summary>
    public async Task<History> HistoryAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_history is { } cached && now - cached.At < options.Value.HistoryCacheDuration)
        {
            return cached.Value;
        }

        await _historyLock.WaitAsync(cancellationToken);
        try
        {
            if (_history is { } again && now - again.At < options.Value.HistoryCacheDuration)
            {
                return again.Value;
            }

            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var hourly = (await connection.QueryAsync<HistoryPoint>(new CommandDefinition(DashboardSql.HistoryByBucket,
                new { unit = "hour", hours = 48 }, cancellationToken: cancellationToken))).AsList();
            var daily = (await connection.QueryAsync<HistoryPoint>(new CommandDefinition(DashboardSql.HistoryByBucket,
                new { unit = "day", hours = 30 * 24 }, cancellationToken: cancellationToken))).AsList();
            var history = new History(hourly, daily);
            _history = (now, history);
            return history;
        }
        finally
        {
            _historyLock.Release();
        }
    }

    public async Task<AlbumEnrichment?> AlbumAsync(long albumId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var album = await AlbumLookup.FindAsync(connection, albumId, cancellationToken);
        if (album is null)
        {
            return null;
        }

        var args = new { albumId };
        var match = await connection.QuerySingleOrDefaultAsync<MatchRow>(new CommandDefinition(DashboardSql.MatchForAlbum, args, cancellationToken: cancellationToken));
        var release = await connection.QuerySingleOrDefaultAsync<ReleaseRow>(new CommandDefinition(DashboardSql.ReleaseForAlbum, args, cancellationToken: cancellationToken));
        var masterId = match?.MasterId ?? release?.MasterId;
        var master = masterId is null ? null
            : await connection.QuerySingleOrDefaultAsync<MasterRow>(new CommandDefinition(DashboardSql.MasterById, new { masterId }, cancellationToken: cancellationToken));
        var labels = await connection.QueryAsync<LabelRow>(new CommandDefinition(DashboardSql.LabelsForAlbum, args, cancellationToken: cancellationToken));
        var credits = await connection.QueryAsync<CreditRow>(new CommandDefinition(DashboardSql.CreditsForAlbum, args, cancellationToken: cancellationToken));
        var genres = await connection.QueryAsync<GenreRow>(new CommandDefinition(DashboardSql.GenresForAlbum, args, cancellationToken: cancellationToken));
        var job = await connection.QuerySingleOrDefaultAsync<AlbumJobRow>(new CommandDefinition(DashboardSql.JobForAlbum, args, cancellationToken: cancellationToken));
        var history = (await connection.QueryAsync<HistoryRow>(new CommandDefinition(DashboardSql.HistoryForAlbum, args, cancellationToken: cancellationToken))).AsList();
        return new AlbumEnrichment(album, match, release, master, labels.AsList(), credits.AsList(), genres.AsList(), job, history);
    }

    public async Task<ReviewList> NeedsReviewAsync(ReviewCursor? after, CancellationToken cancellationToken)
    {
        var limit = options.Value.PageSize;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<ReviewRow>(new CommandDefinition(DashboardSql.NeedsReview,
            new { score = after?.Score ?? float.PositiveInfinity, after = after?.AlbumId ?? long.MaxValue, limit = limit + 1 },
            cancellationToken: cancellationToken))).AsList();
        var next = rows.Count > limit ? new ReviewCursor(rows[limit - 1].Score ?? ReviewCursor.NoScore, rows[limit - 1].AlbumId).ToString() : null;
        return new ReviewList(rows.Count > limit ? rows[..limit] : rows, next);
    }

    public async Task<QueueView> QueueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<QueueView>(new CommandDefinition(AlbumJobSql.QueueStateGet, cancellationToken: cancellationToken));
    }
}
