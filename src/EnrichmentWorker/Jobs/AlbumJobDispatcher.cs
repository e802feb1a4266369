using System.Transactions;
using Dapper;
using EnrichmentWorker.Enrichment;
using EnrichmentWorker.Storage;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.States;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Jobs;

/// <summary>
/// Turns albums waiting in album_jobs into Hangfire jobs: at start (so nothing inserted while the service was down is
/// forgotten), whenever the database NOTIFYs 'album_jobs' (an insert's trigger, a request), and every
/// <see cref="JobQueueOptions.DispatchInterval"/> as a backstop. Each batch is one transaction on ONE connection: the
/// album rows are locked (SKIP LOCKED, so several processes share the work and never hand one album over twice), the
/// Hangfire jobs are created through a storage bound to that same connection, and the rows record their job ids —
/// all committed together, so an album never has two live jobs and never none.
/// </summary>
public sealed class AlbumJobDispatcher(
    NpgsqlDataSource dataSource,
    IOptions<JobQueueOptions> options,
    TimeProvider time,
    ILogger<AlbumJobDispatcher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listener = ListenAsync(stoppingToken);
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int handed;
                do
                {
                    handed = await Task.Run(() => DispatchBatch(options.Value.DispatchBatchSize), stoppingToken);
                    if (handed > 0)
                    {
                        logger.LogDebug("Handed {Count} albums to Hangfire", handed);
                    }
                }
                while (handed > 0 && !stoppingToken.IsCancellationRequested);

                delay = TimeSpan.FromMilliseconds(250);
                await _wake.WaitAsync(options.Value.DispatchInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (DatabaseOutage.InterruptedDatabaseWork(ex) || ex is TransactionException)
            {
                logger.LogWarning("Cannot hand albums to Hangfire, database unavailable ({Reason}); retrying in {Delay}", ex.Message, delay);
                await Task.Delay(delay, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5_000));
            }
        }

        await listener;
    }

    /// <summary>One batch, synchronous: Hangfire's client API is, and the ambient transaction then needs no async flow.</summary>
    internal int DispatchBatch(int batchSize)
    {
        using var scope = new TransactionScope(TransactionScopeOption.RequiresNew,
            new TransactionOptions { IsolationLevel = IsolationLevel.ReadCommitted, Timeout = TimeSpan.FromMinutes(5) });
        using var connection = dataSource.OpenConnection(); // enlists in the scope: Hangfire's writes below share it
        var albums = connection.Query<PendingAlbum>(AlbumJobSql.ClaimForDispatch, new { batch = batchSize }).AsList();
        if (albums.Count == 0)
        {
            return 0;
        }

        var storageOptions = Transactional(options.Value);
        var client = new BackgroundJobClient(new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.ExistingNpgsqlConnectionFactory(connection, storageOptions), storageOptions));
        var albumIds = new List<long>(albums.Count);
        var jobIds = new List<long>(albums.Count);
        foreach (var album in albums)
        {
            if (album.JobId is { } existing && IsWaiting(album.HangfireState))
            {
                // Asked for again while its job waits (it reads the new request when it starts), or after it failed or
                // while a retry waits: that job runs now, as itself. An enqueued job is not enqueued twice.
                if (album.HangfireState != EnqueuedState.StateName)
                {
                    client.ChangeState(existing.ToString(System.Globalization.CultureInfo.InvariantCulture), new EnqueuedState { Reason = "asked for again" }, album.HangfireState);
                }

                albumIds.Add(album.AlbumId);
                jobIds.Add(existing);
                continue;
            }

            var created = client.Create<AlbumEnrichmentJob>(
                job => job.RunAsync(album.AlbumId, AlbumEnrichmentJob.Label(album.Artist, album.Title), null, CancellationToken.None),
                new EnqueuedState());
            albumIds.Add(album.AlbumId);
            jobIds.Add(long.Parse(created, System.Globalization.CultureInfo.InvariantCulture));
        }

        connection.Execute(AlbumJobSql.RecordDispatched, new { albumIds = albumIds.ToArray(), jobIds = jobIds.ToArray() });
        scope.Complete();
        return albums.Count;
    }

    private static bool IsWaiting(string? state) =>
        state == FailedState.StateName || state == ScheduledState.StateName || state == EnqueuedState.StateName;

    /// <summary>The main storage's settings, joining the dispatcher's transaction instead of starting one of its own.</summary>
    private static PostgreSqlStorageOptions Transactional(JobQueueOptions options)
    {
        var storageOptions = HangfireStorageSetup.StorageOptions(options);
        storageOptions.PrepareSchemaIfNecessary = false;
        storageOptions.EnableTransactionScopeEnlistment = true;
        return storageOptions;
    }

    /// <summary>LISTENs on 'album_jobs' and wakes the loop; reconnects after a database restart (the interval covers the gap).</summary>
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => Wake();
                await connection.ExecuteAsync(new CommandDefinition("LISTEN " + AlbumJobSql.NotifyChannel, cancellationToken: stoppingToken));
                delay = TimeSpan.FromMilliseconds(250);
                Wake(); // anything requested while we were not listening
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (DatabaseOutage.InterruptedDatabaseWork(ex) || ex is InvalidOperationException)
            {
                logger.LogWarning("Lost the album notification connection ({Reason}); reconnecting in {Delay}", ex.Message, delay);
                await Task.Delay(delay, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 10_000));
            }
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private sealed record PendingAlbum(long AlbumId, string Artist, string Title, long? JobId, string? HangfireState);
}
