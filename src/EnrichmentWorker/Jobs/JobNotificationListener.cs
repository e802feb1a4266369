using Npgsql;

namespace EnrichmentWorker.Jobs;

/// <summary>
/// LISTENs on 'enrichment_jobs' and wakes the workers, so an album inserted by any path starts within moments.
/// Reconnects after a database restart; the workers' polling covers the gap.
/// </summary>
public sealed class JobNotificationListener(NpgsqlDataSource dataSource, JobSignal signal, TimeProvider time, ILogger<JobNotificationListener> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => signal.Pulse();
                await using (var listen = new NpgsqlCommand("LISTEN enrichment_jobs", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                delay = TimeSpan.FromMilliseconds(250);
                signal.Pulse(); // anything enqueued while we were not listening
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or IOException or InvalidOperationException)
            {
                logger.LogWarning("Lost the job notification connection ({Reason}); reconnecting in {Delay}", ex.Message, delay);
                signal.Pulse();
                await Task.Delay(delay, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 10_000));
            }
        }
    }
}
