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
/// Windows are scaled to 1 s and the budget held low, so a run lasts long enough to be interrupted; Hangfire's sliding
/// invisibility timeout is 10 s, so a killed server's jobs run again within seconds.
/// </summary>
internal sealed class LibraryRun : IAsyncDisposable
{
    // A killed or restarted run can leave a Hangfire lock row behind that holds one job for Hangfire.PostgreSql's
    // DistributedLockTimeout (1 min, HangfireStorageSetup), after the 10 s invisibility timeout: patience covers both.
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private readonly List<ServiceProcess> _services = [];
    private readonly HashSet<string> _seenServers = new(StringComparer.Ordinal);
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
            ["Jobs__InvisibilityTimeout"] = "00:00:10",
            ["Jobs__DispatchInterval"] = "00:00:01",
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

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object parameters)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql, parameters)).AsList();
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    /// <summary>Albums whose job completed (results written with the completion, one history row each).</summary>
    public Task<long> SucceededAsync() => CountAsync("SELECT count(DISTINCT album_id) FROM album_job_history WHERE state = 'succeeded'");

    /// <summary>Waits until at least <paramref name="albums"/> albums are done (or the service died, which fails).</summary>
    public async Task WaitUntilSucceededAsync(long albums, ServiceProcess service)
    {
        try
        {
            await WaitFor.ConditionAsync(async () =>
            {
                Assert.That(service.HasExited, Is.False, () => "the service died:\n" + service.OutputText);
                return await SucceededAsync() >= albums;
            }, Patience, $"{albums} albums to be enriched");
        }
        catch (AssertionException ex) when (!service.HasExited)
        {
            // Where the missing albums' jobs are, and what the service said, for whoever reads the failure.
            var stuck = await CountAsync("SELECT count(*) FROM album_jobs");
            Assert.Fail($"{ex.Message} {stuck} albums still have a live job; jobs by state: "
                + string.Join(", ", await StatesAsync()) + "\nservice output (last 60 lines):\n" + string.Join('\n', service.Output.TakeLast(60)));
        }
    }

    private async Task<IEnumerable<string>> StatesAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.QueryAsync<string>("""
            SELECT statename || ' ' || count(*) FROM hangfire.job GROUP BY statename
            UNION ALL SELECT 'lock ' || resource || ' since ' || acquired FROM hangfire.lock
            UNION ALL SELECT 'queue entry ' || jobid || ' fetched ' || coalesce(fetchedat::text, '-') FROM hangfire.jobqueue
            """);
    }

    /// <summary>Hangfire attempts spent beyond each job's first run: a kill, a stop or a database outage spends none.</summary>
    public Task<long> RetriesSpentAsync() => CountAsync(
        "SELECT coalesce(sum(trim(both '\"' FROM value)::int), 0) FROM hangfire.jobparameter WHERE name = 'RetryCount'");

    /// <summary>
    /// The Hangfire server id of the service started last: the one server registered since the previous call (a
    /// killed server's row stays until Hangfire's server timeout, so the newest id is not enough).
    /// </summary>
    public async Task<string> NewServerIdAsync(ServiceProcess service)
    {
        List<string> fresh = [];
        await WaitFor.ConditionAsync(async () =>
        {
            Assert.That(service.HasExited, Is.False, () => "the service died:\n" + service.OutputText);
            await using var connection = await DataSource.OpenConnectionAsync();
            fresh = (await connection.QueryAsync<string>("SELECT id FROM hangfire.server")).Where(id => !_seenServers.Contains(id)).ToList();
            return fresh.Count > 0;
        }, Patience, "the service to register as a Hangfire server");
        Assert.That(fresh, Has.Count.EqualTo(1), "one new Hangfire server per service started");
        _seenServers.Add(fresh[0]);
        return fresh[0];
    }

    /// <summary>Album jobs in Processing whose current run is on <paramref name="serverId"/>.</summary>
    public async Task<IReadOnlyList<long>> ProcessingOnAsync(string serverId)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<long>("""
            SELECT j.id FROM hangfire.job j JOIN hangfire.state s ON s.id = j.stateid
            WHERE j.statename = 'Processing' AND s.data::jsonb ->> 'ServerId' = @serverId ORDER BY j.id
            """, new { serverId })).AsList();
    }

    /// <summary>Every run Hangfire started ('Processing' states), oldest first.</summary>
    public async Task<IReadOnlyList<ProcessingState>> RunsAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<ProcessingState>(AlbumJobRows.ProcessingStates)).AsList();
    }

    /// <summary>What went wrong in the runs, as Hangfire recorded it, for an assertion's message.</summary>
    public async Task<string> FailuresAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return "failures recorded: " + string.Join("; ", await connection.QueryAsync<string>(AlbumJobRows.Failures));
    }

    /// <summary>
    /// The queue's promise: every album has exactly one Hangfire job, it succeeded, no album keeps a live job, and the
    /// album's results were written once (one match row, one completion, genres and release for each match).
    /// </summary>
    public async Task AssertEveryAlbumEnrichedOnceAsync()
    {
        // An album's results commit before Hangfire records the job's success: wait for Hangfire to catch up (a lock
        // row left by a killed connection holds a state change for up to a minute).
        await WaitFor.ConditionAsync(async () => await CountAsync("""
            SELECT count(*) FROM hangfire.job WHERE statename IN ('Enqueued', 'Processing', 'Scheduled', 'Awaiting')
            """) == 0, Patience, "Hangfire to record every album job's end");
        await using var connection = await DataSource.OpenConnectionAsync();
        var jobs = (await connection.QueryAsync<(string State, long Count)>(
            "SELECT statename, count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%AlbumEnrichmentJob%' GROUP BY statename")).ToDictionary(r => r.State, r => r.Count);
        var albumsWithoutOneJob = await connection.ExecuteScalarAsync<long>("""
            SELECT count(*) FROM albums a
            WHERE (SELECT count(*) FROM hangfire.job j WHERE j.invocationdata::text LIKE '%AlbumEnrichmentJob%' AND (j.arguments ->> 0)::bigint = a.id) <> 1
            """);
        var live = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM album_jobs");
        var matches = await connection.ExecuteScalarAsync<long>("SELECT count(DISTINCT album_id) FROM album_matches");
        var matched = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM album_matches WHERE status = 'matched'");
        // Results and the completion commit together, and a run that finds its album's job already completed does
        // nothing: a job run again after a kill never writes twice.
        var completedTwice = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM (SELECT album_id FROM album_job_history WHERE state = 'succeeded' GROUP BY 1 HAVING count(*) > 1) e");
        var succeededTwice = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM (SELECT jobid FROM hangfire.state WHERE name = 'Succeeded' GROUP BY 1 HAVING count(*) > 1) s");
        var releaseless = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM album_matches m WHERE m.status = 'matched' AND NOT EXISTS (SELECT 1 FROM album_releases r WHERE r.album_id = m.album_id)");
        var genreless = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM album_matches m WHERE m.status = 'matched' AND NOT EXISTS (SELECT 1 FROM album_genres g WHERE g.album_id = m.album_id)");
        Assert.Multiple(() =>
        {
            Assert.That(jobs, Is.EquivalentTo(new Dictionary<string, long> { ["Succeeded"] = Albums }), "every job succeeded, none lost or failed");
            Assert.That(albumsWithoutOneJob, Is.Zero, "each album has exactly one Hangfire job");
            Assert.That(live, Is.Zero, "no album keeps a live job");
            Assert.That(matches, Is.EqualTo(Albums), "each album has its result");
            Assert.That(matched, Is.GreaterThanOrEqualTo(Albums * 9 / 10), "catalogue albums are found");
            Assert.That(completedTwice, Is.Zero, "no album's job completed twice");
            Assert.That(succeededTwice, Is.Zero, "no Hangfire job succeeded twice");
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
