using Dapper;
using EnrichmentWorker.DiscogsSimulator;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Security;

/// <summary>
/// The Discogs token never leaves the process through OpenTelemetry, whatever the log level: the service runs at
/// Trace for everything (HttpClient's header logging included) with OTLP export of logs, traces and metrics to a
/// collector of the test's own, enriches albums against the simulator, and the collector's bytes are searched.
/// </summary>
public sealed class TokenExportTests
{
    private const string Token = "tok3nEXPORTsecret0123456789abcdef";

    [Test]
    public async Task No_exported_log_record_span_or_metric_carries_the_token_at_trace_level()
    {
        await using var simulator = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions
        {
            Window = TimeSpan.FromSeconds(1),
            ValidTokens = new HashSet<string>(StringComparer.Ordinal) { Token },
        });
        await using var database = await TestDatabase.CreateAsync();
        await using var collector = await OtlpCapture.StartAsync();
        var environment = ServiceProcess.AgainstSimulator(database.ConnectionString, simulator.BaseUrl);
        environment["DISCOGS_TOKEN"] = Token;
        environment["Logging__LogLevel__Default"] = "Trace";
        environment["Logging__LogLevel__System.Net.Http.HttpClient"] = "Trace";
        environment["Logging__LogLevel__Microsoft"] = "Trace";
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint.ToString().TrimEnd('/');
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        environment["OTEL_BLRP_SCHEDULE_DELAY"] = "200";
        environment["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        environment["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
        var albums = simulator.Catalog.Albums.Where(a => a.Kind == CatalogAlbumKind.Master).Take(3).ToList();

        await using (var service = ServiceProcess.Start(environment))
        {
            await service.WaitUntilServingAsync();
            await using (var connection = await database.DataSource.OpenConnectionAsync())
            {
                foreach (var album in albums)
                {
                    await connection.ExecuteAsync("INSERT INTO albums (source, source_key, artist, title) VALUES ('test', @key, @artist, @title)",
                        new { key = album.Title, artist = album.Artist, title = album.Title });
                }
            }

            await WaitFor.ConditionAsync(async () =>
            {
                await using var connection = await database.DataSource.OpenConnectionAsync();
                return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM album_matches") == albums.Count;
            }, TimeSpan.FromSeconds(90), "the albums to be enriched");
            // What makes this test mean something: HttpClient's own trace records of the Discogs requests were exported.
            await WaitFor.ConditionAsync(() => collector.Contains("logs", "System.Net.Http.HttpClient") && collector.Exports("traces") > 0 && collector.Exports("metrics") > 0,
                TimeSpan.FromSeconds(30), "logs with HttpClient's records, traces and metrics at the collector");
        }

        Assert.That(simulator.Requests.Count, Is.GreaterThan(0), "requests reached Discogs");
        foreach (var signal in new[] { "logs", "traces", "metrics" })
        {
            Assert.That(collector.Contains(signal, Token), Is.False, $"the token is in exported {signal}");
            Assert.That(collector.Contains(signal, Token[..12]), Is.False, $"a prefix of the token is in exported {signal}");
        }
    }
}
