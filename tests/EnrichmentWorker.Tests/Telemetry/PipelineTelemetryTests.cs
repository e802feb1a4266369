using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Dapper;
using EnrichmentWorker.DiscogsSimulator;
using EnrichmentWorker.Jobs;
using EnrichmentWorker.Telemetry;
using EnrichmentWorker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EnrichmentWorker.Tests.Telemetry;

/// <summary>
/// A real job against the simulator, seen through in-process listeners as an OpenTelemetry SDK would see it: one
/// trace per job run holding its Discogs requests, their HTTP calls and its database commands; every instrument moving.
/// </summary>
[NonParallelizable]
public sealed class PipelineTelemetryTests
{
    private const string Token = "tok-Zq8secret-4471";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Test]
    public async Task A_job_run_is_one_trace_with_its_Discogs_calls_and_database_commands_and_every_instrument_moves()
    {
        await using var simulator = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions
        {
            Window = TimeSpan.FromSeconds(1),
            RequestsPerWindow = 60,
            RetryAfterSeconds = 1,
            ValidTokens = new HashSet<string>(StringComparer.Ordinal) { Token },
        });
        await using var db = await TestDatabase.CreateAsync();
        var album = simulator.Catalog.Albums.First(a => a.Kind == CatalogAlbumKind.Master);
        long albumId;
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            // Paused by a person, so the queue gauges can be read while the job waits; the album's trigger queues it.
            await connection.ExecuteAsync("UPDATE queue_state SET paused = true, paused_by = 'person', reason = 'test'");
            albumId = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO albums (source, source_key, artist, title, year) VALUES ('test', 'a1', @Artist, @Title, @Year) RETURNING id",
                new { album.Artist, album.Title, album.Year });
        }

        // The first search is answered 429: the job waits Retry-After in place (the budget holds every request back),
        // and asks again within the same run and trace.
        simulator.Faults.Add(FaultKind.RateLimited, pathPrefix: "/database/search");
        var spans = new ConcurrentQueue<Activity>();
        using var spanListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is EnrichmentTelemetry.Name or "Npgsql" or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(spanListener);
        var logs = new ScopeCapturingLoggerProvider();
        await using var host = await PipelineHost.StartAsync(db.ConnectionString, new Dictionary<string, string?>
        {
            ["Discogs:BaseUrl"] = simulator.BaseUrl.ToString(),
            ["Discogs:Token"] = Token,
            ["Discogs:Window"] = "00:00:01",
            ["Discogs:RequestsPerMinute"] = "60",
            ["Enrichment:Mode"] = "full",
        }, logs);
        var telemetry = host.Services.GetRequiredService<EnrichmentTelemetry>();
        using var measurements = new MeasurementRecorder(telemetry.Meter);

        var readings = host.Services.GetRequiredService<QueueReadings>();
        await WaitFor.ConditionAsync(async () => (await readings.ReadAsync(CancellationToken.None)) is { Running: 1 } or { Ready: 1 }, Patience,
            "a queue reading with the album's job held by the pause");
        measurements.Observe();
        await host.Services.GetRequiredService<QueueControl>().ResumeAsync(null, CancellationToken.None);
        await WaitFor.ConditionAsync(async () =>
        {
            await using var connection = await db.DataSource.OpenConnectionAsync();
            return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM album_job_history WHERE album_id = @albumId AND state = 'succeeded'", new { albumId }) == 1;
        }, Patience, "the album's job to succeed");
        await WaitFor.ConditionAsync(() => spans.Any(s => Outcome(s) == "succeeded"), Patience, "the succeeded job's span to end");
        measurements.Observe();

        var jobSpan = spans.Single(s => Outcome(s) == "succeeded");
        var jobId = (long)jobSpan.GetTagItem("enrichment.job_id")!;
        var trace = spans.Where(s => s.TraceId == jobSpan.TraceId).ToList();
        var underJob = trace.Where(s => Ancestors(s, trace).Contains(jobSpan)).ToList();
        var discogsSpans = underJob.Where(s => s.Source.Name == EnrichmentTelemetry.Name && s.Kind == ActivityKind.Client).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(jobSpan.GetTagItem("enrichment.album_id"), Is.EqualTo(albumId));
            Assert.That(jobSpan.Parent, Is.Null, "a job is the root of its trace");
            Assert.That(discogsSpans.Select(s => s.DisplayName), Is.SupersetOf(new[] { "discogs database/search", "discogs releases/{id}" }));
            Assert.That(underJob.Where(s => s.Source.Name == "System.Net.Http").Select(s => s.Parent), Has.Some.Matches<Activity>(p => discogsSpans.Contains(p)),
                "HttpClient's own span sits under the Discogs request span");
            Assert.That(underJob.Where(s => s.Source.Name == "Npgsql").Select(s => s.GetTagItem("db.query.text") as string),
                Has.Some.Contains("album_jobs"), "the job's completing transaction is in its trace");
            Assert.That(underJob.Where(s => s.Source.Name == "Npgsql").Select(s => s.Parent), Has.Some.Matches<Activity>(p => discogsSpans.Contains(p)),
                "the budget's row updates are under the request that waited for them");
            Assert.That(discogsSpans.Select(s => s.GetTagItem("http.response.status_code")), Has.Member(429).And.Member(200),
                "the 429 and the request that followed it are in the one run's trace: waited out in place, not a new run");
            Assert.That(spans.Count(s => s.OperationName == "enrichment.job"), Is.EqualTo(1), "one run, one trace");
        });

        var everyTag = spans.Where(s => s.TraceId == jobSpan.TraceId)
            .SelectMany(s => s.TagObjects.Select(t => $"{s.DisplayName} {t.Key}={Convert.ToString(t.Value, CultureInfo.InvariantCulture)}"))
            .Concat(measurements.Recorded.SelectMany(m => m.Tags.Select(t => $"{m.Instrument} {t.Key}={t.Value}")))
            .ToList();
        Assert.Multiple(() =>
        {
            Assert.That(everyTag, Has.None.Contains(Token), "the token is in no span or metric tag");
            Assert.That(everyTag.Where(t => t.StartsWith("discogs ", StringComparison.Ordinal)), Has.None.Contains("?"), "Discogs spans name templates, not URLs");
            Assert.That(everyTag, Has.None.Contains("per_page="), "no query string (its search terms) on HttpClient's spans either");
        });

        Assert.Multiple(() =>
        {
            Assert.That(measurements.Values("enrichment.jobs", "outcome"), Is.EqualTo(new[] { "succeeded" }), "the 429 cost no run");
            Assert.That(measurements.Of("enrichment.job.duration").Select(m => m.Value), Has.Some.GreaterThan(0));
            Assert.That(measurements.Of("enrichment.queue.depth").Select(m => m.Value), Is.Not.Empty, "the queue gauges are published");
            Assert.That(measurements.Of("enrichment.queue.oldest_ready_age").Select(m => m.Value), Has.Some.GreaterThanOrEqualTo(0));
            Assert.That(measurements.Of("discogs.requests").Select(m => ($"{m.Tags["endpoint"]}", $"{m.Tags["status"]}")),
                Is.SupersetOf(new[] { ("database/search", "429"), ("database/search", "200"), ("releases/{id}", "200") }));
            Assert.That(measurements.Values("discogs.rate_limited", "endpoint"), Has.Member("database/search"));
            Assert.That(measurements.Of("discogs.limiter.wait").Count(), Is.GreaterThanOrEqualTo(3), "one wait per request sent");
            Assert.That(measurements.Of("discogs.limiter.wait").Select(m => m.Value), Has.All.GreaterThanOrEqualTo(0).And.Some.GreaterThan(0));
            Assert.That(measurements.Of("discogs.budget.remaining").Select(m => m.Value), Has.Some.InRange(0, 60));
            Assert.That(measurements.Values("enrichment.matches", "outcome"), Has.Member("matched"));
            Assert.That(measurements.Of("enrichment.match.score").Select(m => m.Value), Has.Some.InRange(0.5, 1.0));
        });

        // By its words, not by "429": a start-up line naming a random port (127.0.0.1:42953) once matched that.
        var rateLimitedLines = logs.Entries.Where(e => e.Message.StartsWith("Rate limited by Discogs", StringComparison.Ordinal)).ToList();
        Assert.That(rateLimitedLines, Is.Not.Empty, "the job logs the 429 it waits out");
        Assert.That(rateLimitedLines[0].Scope, Does.ContainKey("AlbumId").WithValue(albumId).And.ContainKey("JobId").WithValue(jobId),
            "a line logged inside a job carries its ids");
    }

    private static string? Outcome(Activity span) =>
        span.Source.Name == EnrichmentTelemetry.Name && span.OperationName == "enrichment.job" ? span.GetTagItem("enrichment.outcome") as string : null;

    private static List<Activity> Ancestors(Activity span, IReadOnlyList<Activity> trace)
    {
        var chain = new List<Activity>();
        var parentId = span.ParentSpanId;
        while (parentId != default && trace.FirstOrDefault(s => s.SpanId == parentId) is { } parent)
        {
            chain.Add(parent);
            parentId = parent.ParentSpanId;
        }

        return chain;
    }

    /// <summary>Measurements of one Meter instance (not every meter named "EnrichmentWorker" in this process).</summary>
    private sealed class MeasurementRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();

        public MeasurementRecorder(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
            _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
            _listener.Start();
        }

        public ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> Recorded { get; } = new();

        public void Observe() => _listener.RecordObservableInstruments();

        public IEnumerable<(double Value, Dictionary<string, object?> Tags)> Of(string instrument) =>
            Recorded.Where(r => r.Instrument == instrument).Select(r => (r.Value, r.Tags));

        public IEnumerable<string> Values(string instrument, string tag) =>
            Of(instrument).Select(m => Convert.ToString(m.Tags[tag], CultureInfo.InvariantCulture) ?? "");

        private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
            where T : struct =>
            Recorded.Enqueue((instrument.Name, Convert.ToDouble(value, CultureInfo.InvariantCulture), tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>Every log entry with the properties of the scopes around it, as a structured sink receives them.</summary>
    private sealed class ScopeCapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<(string Message, Dictionary<string, object?> Scope)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(ScopeCapturingLoggerProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => provider._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scope = new Dictionary<string, object?>();
                provider._scopes.ForEachScope((s, properties) =>
                {
                    if (s is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var (key, value) in pairs)
                        {
                            properties[key] = value;
                        }
                    }
                }, scope);
                provider.Entries.Enqueue((formatter(state, exception), scope));
            }
        }
    }
}
