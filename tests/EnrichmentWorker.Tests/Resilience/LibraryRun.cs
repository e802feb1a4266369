using Dapper;
using EnrichmentWorker.DiscogsSimulator;
using EnrichmentWorker.Storage;
using EnrichmentWorker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EnrichmentWorker.Tests.Resilience;

/// <summary>
/// A library of albums from the real catalogue in a database, the Discogs simulator, and the real service binary
/// enriching the one from the other, for tests that kill, stop and restart the service or its database mid-run.
/// Windows are scaled to 1 s and the budget held low, so a run lasts long enough to be interrupted; leases, heartbeats
/// and maintenance are short, so rescues come within seconds.
/// </summary>
internal sealed class LibraryRun : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly List<ServiceProcess> _services = [];
    private readonly string _connectionString;

    private LibraryRun(DiscogsSimulatorServer simulator, string connectionString, NpgsqlDataSource dataSource, int albums)
    {
        Simulator = simulator;
        _connectionString = connectionString;
        DataSource = dataSource;
        Albums = albums;
    }

    public DiscogsSimulatorServer Simulator { get; }

    /// <summary>The test's own view of the database; unpooled, so a database restart leaves no broken connection in it.</summary>
    public NpgsqlDataSource DataSource { get; }

    public int Albums { get; }

    /// <summary>Every service process this run started, oldest first.</summary>
    public IReadOnlyList<ServiceProcess> Services => _services;

    /// <summary>Starts the simulator and writes <paramref name="albums"/> catalogue albums into the (migrated) database.</summary>
    public static async Task<LibraryRun> CreateAsync(string connectionString, int albums)
    {
        var simulator = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions
        {
            Window = TimeSpan.FromSeconds(1),
            RequestsPerWindow = 60,
            RetryAfterSeconds = 1,
        });
        var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);

        var library = simulator.Catalog.Albums
            .Where(a => a.Kind is CatalogAlbumKind.Master or CatalogAlbumKind.ReleaseWithoutMaster)
            .Where((_, i) => i % 7 == 0)
            .Take(albums)
            .ToList();
        Assert.That(library, Has.Count.EqualTo(albums), "the catalogue has enough albums");
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            // One statement, as an importer would write a batch: the insert trigger enqueues every album's job.
            await connection.ExecuteAsync("""
                INSERT INTO albums (source, source_key, artist, title, year)
                SELECT 'test', 'c' || n, artist, title, year
                FROM unnest(@artists, @titles, @years) WITH ORDINALITY AS t(artist, title, year, n)
                """, new
            {
                artists = library.Select(a => a.Artist).ToArray(),
                titles = library.Select(a => a.Title).ToArray(),
                years = library.Select(a => a.Year).ToArray(),
            });
        }

        return new LibraryRun(simulator, connectionString, dataSource, albums);
    }

    /// <summary>Starts one more service process on the library, with the run's settings and any overrides.</summary>
    public ServiceProcess StartService(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = _connectionString,
            ["Discogs__BaseUrl"] = Simulator.BaseUrl.ToString(),
            ["DISCOGS_TOKEN"] = "test-token",
            ["Discogs__Window"] = "00:00:01",
            ["Discogs__RequestsPerMinute"] = "15",
            ["Enrichment__Mode"] = "full",
            ["Jobs__Workers"] = "4",
            ["Jobs__LeaseDuration"] = "00:00:03",
            ["Jobs__HeartbeatInterval"] = "00:00:00.400",
            ["Jobs__MaintenanceInterval"] = "00:00:00.500",
            ["Jobs__PollInterval"] = "00:00:01",
            ["Jobs__RetryBaseDelay"] = "00:00:00.500",
            ["Jobs__RetryMaxDelay"] = "00:00:02",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var service = ServiceProcess.Start(environment);
        _services.Add(service);
        return service;
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    public Task<long> SucceededAsync() => CountAsync("SELECT count(*) FROM enrichment_jobs WHERE state = 'succeeded'");

    /// <summary>Waits until at least <paramref name="albums"/> albums are done (or the service died, which fails).</summary>
    public Task WaitUntilSucceededAsync(long albums, ServiceProcess service) => WaitFor.ConditionAsync(async () =>
    {
        Assert.That(service.HasExited, Is.False, () => "the service died:\n" + service.OutputText);
        return await SucceededAsync() >= albums;
    }, Patience, $"{albums} albums to be enriched");

    /// <summary>
    /// Jobs whose attempt count is not one plus their rescues. A rescue spends the attempt the lost run used (its
    /// process may have died mid-request); a release at shutdown, a snooze or a database outage spends none.
    /// </summary>
    public Task<long> JobsChargedBeyondRescuesAsync() => CountAsync("""
        SELECT count(*) FROM enrichment_jobs j
        WHERE j.attempt <> 1 + (SELECT count(*) FROM job_events e WHERE e.job_id = j.id AND e.reason = 'lease expired: rescued')
        """);

    /// <summary>What went wrong in the runs, as the history recorded it, for an assertion's message.</summary>
    public async Task<string> FailuresAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var failures = await connection.QueryAsync<string>("""
            SELECT format('%s x %s %s: %s', count(*), state, exception_type, left(message, 300))
            FROM job_events WHERE exception_type IS NOT NULL GROUP BY state, exception_type, left(message, 300)
            """);
        return "failures recorded: " + string.Join("; ", failures);
    }

    /// <summary>
    /// The queue's promise: every album has exactly one job, it succeeded, and the album's results were written once
    /// (one match row, one completion, genres and release for each match).
    /// </summary>
    public async Task AssertEveryAlbumEnrichedOnceAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var jobs = (await connection.QueryAsync<(string State, long Count)>(
            "SELECT state, count(*) FROM enrichment_jobs GROUP BY state")).ToDictionary(r => r.State, r => r.Count);
        var albumsWithoutOneJob = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM albums a WHERE (SELECT count(*) FROM enrichment_jobs j WHERE j.album_id = a.id) <> 1");
        var matches = await connection.ExecuteScalarAsync<long>("SELECT count(DISTINCT album_id) FROM album_matches");
        var matched = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM album_matches WHERE status = 'matched'");
        // The lease fences a run's completion: a job rescued from a dead or stalled run finishes once, never twice.
        var finishedTwice = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM (SELECT job_id FROM job_events WHERE state = 'succeeded' GROUP BY 1 HAVING count(*) > 1) e");
        var releaseless = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM album_matches m WHERE m.status = 'matched' AND NOT EXISTS (SELECT 1 FROM album_releases r WHERE r.album_id = m.album_id)");
        var genreless = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM album_matches m WHERE m.status = 'matched' AND NOT EXISTS (SELECT 1 FROM album_genres g WHERE g.album_id = m.album_id)");
        Assert.Multiple(() =>
        {
            Assert.That(jobs, Is.EquivalentTo(new Dictionary<string, long> { ["succeeded"] = Albums }), "every job succeeded, none lost or failed");
            Assert.That(albumsWithoutOneJob, Is.Zero, "each album has exactly one job");
            Assert.That(matches, Is.EqualTo(Albums), "each album has its one result");
            Assert.That(matched, Is.GreaterThanOrEqualTo(Albums * 9 / 10), "catalogue albums are found");
            Assert.That(finishedTwice, Is.Zero, "no job completed twice");
            Assert.That(releaseless, Is.Zero, "every matched album has its release (full mode)");
            Assert.That(genreless, Is.Zero, "every matched album has its genres");
        });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.DisposeAsync();
        }

        await DataSource.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
