using System.Globalization;
using Dapper;
using EnrichmentWorker.DiscogsSimulator;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Resilience;

/// <summary>
/// One end-to-end run for the Discogs fault tests: the simulator on a scaled window, a database holding catalogue
/// albums (queued by the insert trigger), and real service processes with short retry delays, so a run under faults
/// takes seconds. The queries read what the run left in Hangfire's jobs and states, the album's job history
/// (album_job_history), its live job (album_jobs) and its results (album_matches).
/// </summary>
internal sealed class FaultRun : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly List<ServiceProcess> _services = [];

    private FaultRun(DiscogsSimulatorServer simulator, TestDatabase db, IReadOnlyList<CatalogAlbum> albums)
    {
        Simulator = simulator;
        Db = db;
        Albums = albums;
    }

    public DiscogsSimulatorServer Simulator { get; }

    public TestDatabase Db { get; }

    public IReadOnlyList<CatalogAlbum> Albums { get; }

    public FaultPlan Faults => Simulator.Faults;

    public IReadOnlyList<ServiceProcess> Services => _services;

    /// <summary>
    /// A simulator (<paramref name="limit"/> requests per <paramref name="window"/>, Retry-After one window) and a
    /// database with <paramref name="albumCount"/> catalogue albums chosen by <paramref name="pick"/> (masters by
    /// default), inserted at once unless <paramref name="addAlbumsNow"/> is false (then <see cref="AddAlbumsAsync"/>).
    /// </summary>
    public static async Task<FaultRun> CreateAsync(
        int albumCount,
        int limit = 60,
        TimeSpan? window = null,
        Func<CatalogAlbum, bool>? pick = null,
        bool addAlbumsNow = true)
    {
        var length = window ?? TimeSpan.FromSeconds(1);
        var simulator = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions
        {
            Window = length,
            RequestsPerWindow = limit,
            RetryAfterSeconds = (int)Math.Ceiling(length.TotalSeconds),
        });
        var db = await TestDatabase.CreateAsync();
        // Every 7th album that fits, so runs do not all use the catalogue's first artists.
        var albums = simulator.Catalog.Albums
            .Where(pick ?? (a => a.Kind == CatalogAlbumKind.Master))
            .Where((_, i) => i % 7 == 0)
            .Take(albumCount)
            .ToList();
        Assert.That(albums, Has.Count.EqualTo(albumCount), "the catalogue has enough albums of the kind asked for");
        var run = new FaultRun(simulator, db, albums);
        if (addAlbumsNow)
        {
            await run.AddAlbumsAsync();
        }

        return run;
    }

    /// <summary>Inserts the run's albums in one statement: the trigger queues them all at once, as an import would.</summary>
    public async Task AddAlbumsAsync()
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "INSERT INTO albums (source, source_key, artist, title, year) SELECT 'test', k, a, t, y FROM unnest(@keys, @artists, @titles, @years) AS u(k, a, t, y)",
            new
            {
                keys = Albums.Select((_, i) => $"a{i}").ToArray(),
                artists = Albums.Select(a => a.Artist).ToArray(),
                titles = Albums.Select(a => a.Title).ToArray(),
                years = Albums.Select(a => a.Year).ToArray(),
            });
    }

    /// <summary>The environment of a service against this run's simulator, time scaled and with short retry delays.</summary>
    public Dictionary<string, string?> Environment(int workers)
    {
        var options = Simulator.Options;
        return new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = Db.ConnectionString,
            ["Discogs__BaseUrl"] = Simulator.BaseUrl.ToString(),
            ["DISCOGS_TOKEN"] = "test-token",
            ["Discogs__Window"] = options.Window.ToString("c", CultureInfo.InvariantCulture),
            ["Discogs__RequestsPerMinute"] = options.RequestsPerWindow.ToString(CultureInfo.InvariantCulture),
            ["Discogs__RetryBaseDelay"] = "00:00:00.020",
            ["Discogs__RetryMaxDelay"] = "00:00:00.200",
            ["Discogs__CircuitBreakerSamplingDuration"] = "00:00:02",
            ["Discogs__CircuitBreakerBreakDuration"] = "00:00:00.500",
            ["Discogs__IdentityRecheckInterval"] = "00:00:00.250",
            ["Enrichment__Mode"] = "full",
            ["Jobs__Workers"] = workers.ToString(CultureInfo.InvariantCulture),
            ["Jobs__RetryBaseDelay"] = "00:00:00.200",
            ["Jobs__RetryMaxDelay"] = "00:00:01",
            ["Jobs__PollInterval"] = "00:00:00.200",
            ["Jobs__DispatchInterval"] = "00:00:00.500",
            ["Jobs__PauseCheckInterval"] = "00:00:00.200",
            ["Jobs__InvisibilityTimeout"] = "00:00:10",
        };
    }

    /// <summary>Starts one more service process and waits until it serves HTTP.</summary>
    public async Task<ServiceProcess> StartServiceAsync(int workers, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var environment = Environment(workers);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        // With a NOTIFY_SOCKET the service runs as systemd's child would (AddSystemd() talks to systemd only then).
        var service = environment.ContainsKey("NOTIFY_SOCKET") ? ServiceProcess.StartUnderSystemd(environment) : ServiceProcess.Start(environment);
        _services.Add(service);
        await service.WaitUntilServingAsync();
        return service;
    }

    /// <summary>
    /// Waits until every album has a result, no album has a live job (the job drops its album_jobs row as its last
    /// step) and Hangfire has moved every album job on from Processing (it applies Succeeded only after the job
    /// returns, so the first two can hold a moment before the third); a job Hangfire failed for good fails the wait.
    /// </summary>
    public Task WaitUntilEveryAlbumIsFinishedAsync() =>
        WaitFor.ConditionAsync(async () =>
        {
            await using var connection = await Db.DataSource.OpenConnectionAsync();
            var (results, live, running, failed) = await connection.QuerySingleAsync<(long, long, long, long)>($"""
                SELECT (SELECT count(*) FROM album_matches),
                       (SELECT count(*) FROM album_jobs),
                       ({AlbumJobRows.NonFinalJobs}),
                       (SELECT count(*) FROM hangfire.job WHERE statename = 'Failed')
                """);
            Assert.That(failed, Is.Zero, () => "a job failed under faults that should only delay it:\n" + ServiceOutput());
            return results == Albums.Count && live == 0 && running == 0;
        }, Patience, $"all {Albums.Count} albums to have a result");

    /// <summary>Every Hangfire album job, with its state and attempt (1 + retries spent).</summary>
    public async Task<IReadOnlyList<FaultJob>> JobsAsync()
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<FaultJob>(AlbumJobRows.Jobs)).AsList();
    }

    /// <summary>The albums' job history (album_job_history), oldest first.</summary>
    public async Task<IReadOnlyList<FaultEvent>> EventsAsync()
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<FaultEvent>(AlbumJobRows.History)).AsList();
    }

    /// <summary>Every run Hangfire started ('Processing' states), oldest first.</summary>
    public async Task<IReadOnlyList<ProcessingState>> RunsAsync()
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<ProcessingState>(AlbumJobRows.ProcessingStates)).AsList();
    }

    /// <summary>album_matches by album key (a0, a1, ...).</summary>
    public async Task<IReadOnlyDictionary<string, FaultResult>> ResultsAsync()
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<FaultResult>("""
            SELECT a.source_key AS Key, m.status AS Status, m.master_id AS MasterId, m.release_id AS ReleaseId, m.requests_spent AS RequestsSpent
            FROM albums a JOIN album_matches m ON m.album_id = a.id
            """)).ToDictionary(r => r.Key);
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql)).AsList();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await Db.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<T>(sql) ?? throw new InvalidOperationException("No value for: " + sql);
    }

    /// <summary>Requests the jobs sent (the token checks on /oauth/identity left out).</summary>
    public IReadOnlyList<RecordedRequest> JobRequests() =>
        [.. Simulator.Requests.Snapshot().Where(r => !r.PathAndQuery.StartsWith("/oauth", StringComparison.Ordinal))];

    public string ServiceOutput() => string.Join("\n----\n", _services.Select(s => s.OutputText));

    /// <summary>What a run sent, by status, for the test's output (the figures the README quotes).</summary>
    public string Summary()
    {
        var requests = Simulator.Requests.Snapshot();
        var byStatus = string.Join(", ", requests.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"));
        var span = requests.Count == 0 ? TimeSpan.Zero : requests[^1].At - requests[0].At;
        return $"{requests.Count} requests ({byStatus}) over {span.TotalSeconds:0.0} s";
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.DisposeAsync();
        }

        await Simulator.DisposeAsync();
        await Db.DisposeAsync();
    }
}

internal sealed record FaultJob(long Id, long AlbumId, string State, int Attempt);

internal sealed record FaultEvent(long AlbumId, long? JobId, string State, string? Reason, int? Attempt, string? ExceptionType);

internal sealed record FaultResult(string Key, string Status, long? MasterId, long? ReleaseId, int RequestsSpent);
