using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using EnrichmentWorker.DiscogsSimulator;
using EnrichmentWorker.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace EnrichmentWorker.Tests.Telemetry;

/// <summary>
/// The instruments seen through in-process listeners, as an OpenTelemetry SDK would see them. Each test owns its
/// <see cref="EnrichmentTelemetry"/> and listens only to that instance's Meter and ActivitySource, so tests running
/// in parallel do not see each other's measurements.
/// </summary>
public sealed class EnrichmentTelemetryTests
{
    private sealed class Measurements : IDisposable
    {
        private readonly MeterListener _listener = new();

        public Measurements(EnrichmentTelemetry telemetry)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, telemetry.Meter))
                {
                    Instruments.Add(instrument.Name);
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
            _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
            _listener.Start();
        }

        public ConcurrentBag<string> Instruments { get; } = [];

        public ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> Recorded { get; } = new();

        public void Observe() => _listener.RecordObservableInstruments();

        public IEnumerable<(double Value, Dictionary<string, object?> Tags)> Of(string instrument) =>
            Recorded.Where(r => r.Instrument == instrument).Select(r => (r.Value, r.Tags));

        private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
            where T : struct =>
            Recorded.Enqueue((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));

        public void Dispose() => _listener.Dispose();
    }

    [Test]
    public void Every_instrument_of_the_service_is_published_on_the_EnrichmentWorker_meter()
    {
        using var telemetry = new EnrichmentTelemetry();
        using var measurements = new Measurements(telemetry);

        Assert.Multiple(() =>
        {
            Assert.That(telemetry.Meter.Name, Is.EqualTo("EnrichmentWorker"));
            Assert.That(telemetry.ActivitySource.Name, Is.EqualTo("EnrichmentWorker"));
            Assert.That(measurements.Instruments, Is.EquivalentTo(new[]
            {
                "enrichment.jobs", "enrichment.job.duration", "enrichment.queue.depth", "enrichment.queue.oldest_ready_age",
                "discogs.requests", "discogs.rate_limited", "discogs.limiter.wait", "discogs.budget.remaining",
                "enrichment.matches", "enrichment.match.score",
            }));
        });
    }

    [Test]
    public void The_typed_methods_move_their_instruments_with_low_cardinality_tags()
    {
        using var telemetry = new EnrichmentTelemetry();
        using var measurements = new Measurements(telemetry);

        telemetry.RecordJobOutcome(TelemetryJobOutcome.NoMatch, TimeSpan.FromSeconds(1.5));
        telemetry.RecordDiscogsRequest("database/search", 200);
        telemetry.RecordDiscogsRequest("releases/{id}", 429);
        telemetry.RecordLimiterWait(TimeSpan.FromMilliseconds(250));
        telemetry.RecordMatch(EnrichmentWorker.Matching.MatchOutcome.NeedsReview, 0.71);

        Assert.Multiple(() =>
        {
            Assert.That(measurements.Of("enrichment.jobs").Single(), Is.EqualTo((1.0, new Dictionary<string, object?> { ["outcome"] = "no_match" })));
            Assert.That(measurements.Of("enrichment.job.duration").Single().Value, Is.EqualTo(1.5));
            Assert.That(measurements.Of("discogs.requests").Select(m => (m.Tags["endpoint"], m.Tags["status"])),
                Is.EqualTo(new (object?, object?)[] { ("database/search", 200), ("releases/{id}", 429) }));
            Assert.That(measurements.Of("discogs.rate_limited").Single().Tags["endpoint"], Is.EqualTo("releases/{id}"));
            Assert.That(measurements.Of("discogs.limiter.wait").Single().Value, Is.EqualTo(0.25));
            Assert.That(measurements.Of("enrichment.matches").Single().Tags["outcome"], Is.EqualTo("needs_review"));
            Assert.That(measurements.Of("enrichment.match.score").Single().Value, Is.EqualTo(0.71));
        });
    }

    [Test]
    public void The_gauges_read_the_callbacks_the_queue_and_the_budget_register_and_stop_when_they_unregister()
    {
        using var telemetry = new EnrichmentTelemetry();
        using var measurements = new Measurements(telemetry);

        measurements.Observe();
        Assert.That(measurements.Recorded, Is.Empty, "no reading before anyone registers");

        using (telemetry.ObserveQueue(() => new QueueReading(3788, TimeSpan.FromMinutes(2))))
        using (telemetry.ObserveBudget(() => 42))
        {
            measurements.Observe();
        }

        measurements.Observe();
        Assert.Multiple(() =>
        {
            Assert.That(measurements.Of("enrichment.queue.depth").Select(m => m.Value), Is.EqualTo(new[] { 3788.0 }));
            Assert.That(measurements.Of("enrichment.queue.oldest_ready_age").Select(m => m.Value), Is.EqualTo(new[] { 120.0 }));
            Assert.That(measurements.Of("discogs.budget.remaining").Select(m => m.Value), Is.EqualTo(new[] { 42.0 }));
        });
    }

    [Test]
    public void A_Discogs_request_span_is_a_child_of_its_job_span()
    {
        using var telemetry = new EnrichmentTelemetry();
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => ReferenceEquals(source, telemetry.ActivitySource),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        using (var job = telemetry.StartJobActivity(albumId: 345, jobId: 12))
        {
            using (telemetry.StartDiscogsRequestActivity("database/search"))
            {
                telemetry.RecordDiscogsRequest("database/search", 200);
            }

            telemetry.RecordJobOutcome(TelemetryJobOutcome.Succeeded, TimeSpan.FromSeconds(2));
        }

        var request = stopped.Single(a => a.DisplayName == "discogs database/search");
        var jobSpan = stopped.Single(a => a.DisplayName == "enrichment.job");
        Assert.Multiple(() =>
        {
            Assert.That(request.ParentSpanId, Is.EqualTo(jobSpan.SpanId));
            Assert.That(request.Kind, Is.EqualTo(ActivityKind.Client));
            Assert.That(request.GetTagItem("http.response.status_code"), Is.EqualTo(200));
            Assert.That(jobSpan.GetTagItem("enrichment.album_id"), Is.EqualTo(345L));
            Assert.That(jobSpan.GetTagItem("enrichment.job_id"), Is.EqualTo(12L));
            Assert.That(jobSpan.GetTagItem("enrichment.outcome"), Is.EqualTo("succeeded"));
        });
    }

    private static ServiceProvider TelemetryServices(Dictionary<string, string?> settings, Action<IServiceCollection>? more = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddTelemetry(configuration);
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }

    [Test]
    public void Traces_and_metrics_are_collected_only_when_an_endpoint_is_set_for_them()
    {
        static (bool Traces, bool Metrics) With(Dictionary<string, string?> settings)
        {
            using var provider = TelemetryServices(settings);
            return (provider.GetService<TracerProvider>() is not null, provider.GetService<MeterProvider>() is not null);
        }

        Assert.Multiple(() =>
        {
            Assert.That(With([]), Is.EqualTo((false, false)));
            Assert.That(With(new() { ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "http://127.0.0.1:4318/v1/traces" }), Is.EqualTo((true, false)));
            Assert.That(With(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4317" }), Is.EqualTo((true, true)));
        });
    }

    [Test]
    public async Task An_HttpClient_span_records_neither_the_query_string_nor_a_header()
    {
        await using var simulator = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions());
        var exported = new List<Activity>();
        // Nothing listens on the OTLP endpoint: the exporter's failures must not disturb the request or the flush.
        await using (var provider = TelemetryServices(new() { ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "http://127.0.0.1:9/v1/traces" },
            services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported))))
        {
            var tracing = provider.GetRequiredService<TracerProvider>();
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(simulator.BaseUrl, "database/search?q=Secret+Album&token=abc123"));
            request.Headers.TryAddWithoutValidation("Authorization", "Discogs token=abc123");
            using var response = await http.SendAsync(request);
            tracing.ForceFlush();
        }

        var span = exported.Single(a => a.Kind == ActivityKind.Client && a.TagObjects.Any(t => t.Key == "url.full" && Convert.ToString(t.Value, CultureInfo.InvariantCulture)!.Contains(simulator.BaseUrl.Authority, StringComparison.Ordinal)));
        var tags = span.TagObjects.Select(t => $"{t.Key}={Convert.ToString(t.Value, CultureInfo.InvariantCulture)}").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(tags, Has.Member($"url.full={new Uri(simulator.BaseUrl, "database/search")}"), string.Join(" | ", tags));
            Assert.That(tags, Has.None.Contains("abc123").And.None.Contains("Secret").And.None.Contains("Redacted"), string.Join(" | ", tags));
            Assert.That(tags, Has.None.StartsWith("http.request.header").And.None.StartsWith("url.query"), string.Join(" | ", tags));
        });
    }

    [Test]
    public void Logs_go_to_OpenTelemetry_with_their_scopes_only_when_an_endpoint_for_logs_is_set()
    {
        static (bool Exported, bool Scopes) With(Dictionary<string, string?> settings)
        {
            using var provider = TelemetryServices(settings);
            var exported = provider.GetServices<ILoggerProvider>().Any(p => p is OpenTelemetryLoggerProvider);
            return (exported, exported && provider.GetRequiredService<IOptionsMonitor<OpenTelemetryLoggerOptions>>().CurrentValue.IncludeScopes);
        }

        Assert.Multiple(() =>
        {
            Assert.That(With([]), Is.EqualTo((false, false)));
            Assert.That(With(new() { ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "http://127.0.0.1:4318/v1/traces" }), Is.EqualTo((false, false)));
            Assert.That(With(new() { ["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] = "http://127.0.0.1:4318/v1/logs" }), Is.EqualTo((true, true)));
            Assert.That(With(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4317" }), Is.EqualTo((true, true)));
        });
    }

    [Test]
    public void A_job_scope_puts_the_job_and_album_ids_on_every_line_logged_inside()
    {
        var scopes = new LoggerExternalScopeProvider();
        var logger = new ScopeCapturingLogger(scopes);

        using (logger.BeginJobScope(jobId: 12, albumId: 345))
        {
            var seen = new List<object?>();
            scopes.ForEachScope((scope, list) => list.Add(scope), seen);
            var properties = ((IEnumerable<KeyValuePair<string, object?>>)seen.Single()!).ToDictionary(p => p.Key, p => p.Value);

            Assert.Multiple(() =>
            {
                Assert.That(properties, Is.EqualTo(new Dictionary<string, object?> { ["JobId"] = 12L, ["AlbumId"] = 345L }));
                Assert.That(seen.Single()!.ToString(), Is.EqualTo("Job 12, album 345"));
            });
        }
    }

    private sealed class ScopeCapturingLogger(IExternalScopeProvider scopes) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }
}
