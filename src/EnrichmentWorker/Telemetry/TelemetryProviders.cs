using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EnrichmentWorker.Telemetry;

/// <summary>
/// Builds the OpenTelemetry tracer and meter providers when the host starts and flushes and disposes them when it
/// stops (the OpenTelemetry.Extensions.Hosting package that would do this is not obtainable). The OTLP exporter is
/// added only when an endpoint is configured with the standard variables; its other settings (protocol, headers,
/// timeout) are read by the exporter itself from the usual OTEL_EXPORTER_OTLP_* variables.
/// Registered first, so it starts before and stops after every other hosted service, and the last spans of a
/// graceful stop are exported.
/// </summary>
public sealed class TelemetryProviders(EnrichmentTelemetry telemetry, IConfiguration configuration, ILogger<TelemetryProviders> logger)
    : IHostedService, IDisposable
{
    /// <summary>Other sources whose spans belong in a job's trace: Npgsql's database spans and HttpClient's requests.</summary>
    public static readonly IReadOnlyList<string> ExtraSources = ["Npgsql", "System.Net.Http"];

    private TracerProvider? _tracing;
    private MeterProvider? _metrics;

    public bool ExportsTraces => HasEndpoint(configuration, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");

    public bool ExportsMetrics => HasEndpoint(configuration, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var resource = Resource(configuration, telemetry.ActivitySource.Version);

        if (ExportsTraces)
        {
            _tracing = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(resource)
                .AddSource(EnrichmentTelemetry.Name)
                .AddSource([.. ExtraSources])
                .AddOtlpExporter()
                .Build();
        }

        if (ExportsMetrics)
        {
            _metrics = Sdk.CreateMeterProviderBuilder()
                .SetResourceBuilder(resource)
                .AddMeter(EnrichmentTelemetry.Name)
                .AddOtlpExporter()
                .Build();
        }

        logger.LogInformation("OpenTelemetry export: traces {Traces}, metrics {Metrics}, logs {Logs}",
            ExportsTraces ? "on" : "off", ExportsMetrics ? "on" : "off",
            HasEndpoint(configuration, TelemetryServiceCollectionExtensions.LogsEndpointVariable) ? "on" : "off");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // A bounded flush, so an unreachable collector cannot eat the whole stop timeout (systemd TimeoutStopSec).
        var flushMs = 5000;
        _tracing?.ForceFlush(flushMs);
        _metrics?.ForceFlush(flushMs);
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _tracing?.Dispose();
        _tracing = null;
        _metrics?.Dispose();
        _metrics = null;
    }

    /// <summary>The signal-specific variable wins; the general one covers every signal (OpenTelemetry specification, OTLP exporter).</summary>
    internal static bool HasEndpoint(IConfiguration configuration, string signalVariable) =>
        !string.IsNullOrWhiteSpace(configuration[signalVariable]) || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    /// <summary>The service's resource: OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES when set, else "enrichment-worker".</summary>
    internal static ResourceBuilder Resource(IConfiguration configuration, string? version)
    {
        var resource = ResourceBuilder.CreateDefault();
        if (string.IsNullOrEmpty(configuration["OTEL_SERVICE_NAME"]))
        {
            resource.AddService("enrichment-worker", serviceVersion: version);
        }

        return resource;
    }
}
