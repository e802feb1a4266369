using System.Diagnostics;
using Dapper;
using EnrichmentWorker.Benchmarks.Support;
using Npgsql;
using static EnrichmentWorker.Benchmarks.Support.Stats;

namespace EnrichmentWorker.Benchmarks.Scenarios;

/// <summary>
/// How soon a new album starts on an idle service: another application INSERTs a row, the insert trigger writes its
/// album_jobs row and NOTIFYs, the dispatcher hands it to Hangfire (Enqueued; its commit wakes an idle worker of the
/// same process), a worker starts it. Measured from just before COMMIT (harness clock) to the createdat of the job's
/// Hangfire 'Processing' state (database clock, same machine), one album at a time, spaced irregularly so samples do
/// not line up with polling.
/// </summary>
public sealed class PickupLatencyScenario : IScenario
{
    public string Name => "pickup";

    public IReadOnlyList<string> Rows(BenchSettings settings) => [FigureNames.Pickup];

    public async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        const string database = "bench_pickup";
        var connectionString = await context.Postgres.CreateDatabaseAsync(database, cancellationToken);
        try
        {
            await using var simulator = await SimulatedDiscogs.StartAsync(
                new SimulatorSetup(BenchSettings.RequestsPerWindow, settings.Window, context.ScaledRetryAfterSeconds, RateLimitEnabled: true), cancellationToken);
            await using var service = ServiceChild.Start(
                simulator.ServiceEnvironment(connectionString, BenchSettings.RequestsPerWindow, settings.Window, "genres"), "run");
            await service.WaitUntilServingAsync(TimeSpan.FromSeconds(90), cancellationToken);

            var random = new Random(settings.Seed);
            var albums = context.Library((settings.PickupSamples * 2) + 2).Where(a => a.Truth is not null).ToList();
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            var samples = new List<double>();
            // The first insert warms the service (JIT, pools), as any long-running service is warm; it is not a sample.
            for (var i = 0; i < albums.Count && samples.Count < settings.PickupSamples; i++)
            {
                var latency = await OneAsync(connection, albums[i], service, first: i == 0, cancellationToken);
                if (i > 0)
                {
                    samples.Add(latency.TotalMilliseconds);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(150, 700)), cancellationToken);
            }

            context.Table.Measured(FigureNames.Pickup,
                $"{F(Stats.Percentile(samples, 50), 0)} ms / {F(Stats.Percentile(samples, 95), 0)} ms", "p95 < 1 s",
                $"{samples.Count} samples, max {F(samples.Max(), 0)} ms; commit to the Hangfire job's 'Processing' state (hangfire.state.createdat)");
        }
        finally
        {
            await context.Postgres.DropDatabaseAsync(database);
        }
    }

    private static async Task<TimeSpan> OneAsync(NpgsqlConnection connection, Library.LibraryAlbum album, ServiceChild service, bool first, CancellationToken cancellationToken)
    {
        long albumId;
        DateTime committing;
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            albumId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO albums (artist, title, year) VALUES (@Artist, @Title, @Year) RETURNING id",
                new { album.Artist, album.Title, album.Year }, transaction, cancellationToken: cancellationToken));
            committing = DateTime.UtcNow;
            await transaction.CommitAsync(cancellationToken);
        }

        var clock = Stopwatch.StartNew();
        DateTime? started = null;
        while (started is null)
        {
            // The album's first Hangfire job (from its history: album_jobs loses the row when the job succeeds).
            started = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition("""
                SELECT s.createdat FROM hangfire.state s
                WHERE s.name = 'Processing'
                  AND s.jobid = (SELECT hangfire_job_id FROM album_job_history WHERE album_id = @albumId AND state = 'enqueued' ORDER BY id LIMIT 1)
                ORDER BY s.id LIMIT 1
                """, new { albumId }, cancellationToken: cancellationToken));
            if (started is null)
            {
                if (service.HasExited)
                {
                    throw new InvalidOperationException($"The service exited with code {service.ExitCode}:\n{service.OutputTail}");
                }

                if (clock.Elapsed > TimeSpan.FromSeconds(20))
                {
                    throw first
                        ? new PendingException(QueueWatch.NotWired)
                        : new TimeoutException($"album {albumId}'s job did not start within 20 s");
                }

                await Task.Delay(5, cancellationToken);
            }
        }

        // Wait for the job to finish so the next sample meets an idle service again.
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM album_jobs WHERE album_id = @albumId)",
            new { albumId }, cancellationToken: cancellationToken)))
        {
            await Task.Delay(20, cancellationToken);
        }

        return started.Value.ToUniversalTime() - committing;
    }
}
