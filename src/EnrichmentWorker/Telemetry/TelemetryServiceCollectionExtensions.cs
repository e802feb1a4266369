using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EnrichmentWorker.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    public const string TracesEndpointVariable = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    public const string MetricsEndpointVariable = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
    public const string LogsEndpointVariable = "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT";

    /// <summary>
    /// The <see cref="EnrichmentTelemetry"/> singleton and OpenTelemetry (OpenTelemetry.Extensions.Hosting): each signal
    /// is set up only when an OTLP endpoint for it is configured, so nothing is collected for nobody. The exporter reads
    /// its other settings (protocol, headers, timeout) and the SDK the resource (OTEL_SERVICE_NAME,
    /// OTEL_RESOURCE_ATTRIBUTES) from the standard variables. Spans: the service's own source (a job is the root of its
    /// trace), ASP.NET Core, HttpClient and Npgsql; metrics: the service's meter, the same three and the runtime; logs
    /// with their scopes (a job's JobId and AlbumId) and the trace of the job they belong to.
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<EnrichmentTelemetry>();
        var traces = HasEndpoint(configuration, TracesEndpointVariable);
        var metrics = HasEndpoint(configuration, MetricsEndpointVariable);
        var logs = HasEndpoint(configuration, LogsEndpointVariable);
        if (!traces && !metrics && !logs)
        {
            return services;
        }

        var openTelemetry = services.AddOpenTelemetry().ConfigureResource(resource =>
        {
            if (string.IsNullOrEmpty(configuration["OTEL_SERVICE_NAME"]))
            {
                resource.AddService("enrichment-worker", serviceVersion: typeof(EnrichmentTelemetry).Assembly.GetName().Version?.ToString(3));
            }
        });
        if (traces)
        {
            openTelemetry.WithTracing(tracing => tracing
                .AddSource(EnrichmentTelemetry.Name)
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null);
                    o.EnrichWithHttpResponse = (activity, _) => activity.SetTag("url.query", null);
                })
                .AddHttpClientInstrumentation(o =>
                {
                    o.EnrichWithHttpRequestMessage = (activity, request) => WithoutQuery(activity, request.RequestUri);
                    o.EnrichWithHttpResponseMessage = (activity, response) => WithoutQuery(activity, response.RequestMessage?.RequestUri);
                })
                .AddNpgsql()
                .AddOtlpExporter());
        }

        if (metrics)
        {
            openTelemetry.WithMetrics(metering => metering
                .AddMeter(EnrichmentTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddOtlpExporter());
        }

        if (logs)
        {
            openTelemetry.WithLogging(logging => logging.AddOtlpExporter(), options =>
            {
                options.IncludeScopes = true;
                options.IncludeFormattedMessage = true;
            });
        }

        return services;
    }

    /// <summary>The signal-specific variable wins; the general one covers every signal (OpenTelemetry specification, OTLP exporter).</summary>
    internal static bool HasEndpoint(IConfiguration configuration, string signalVariable) =>
        !string.IsNullOrWhiteSpace(configuration[signalVariable]) || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    /// <summary>
    /// .NET and the instrumentation record <c>url.full</c> with the query replaced by <c>*</c>; no query string of ours
    /// belongs in a tag (Discogs search URLs carry the album's artist and title), so it goes entirely, marker included.
    /// </summary>
    private static void WithoutQuery(Activity activity, Uri? uri)
    {
        if (uri is { IsAbsoluteUri: true })
        {
            activity.SetTag("url.full", uri.GetLeftPart(UriPartial.Path));
        }

        activity.SetTag("url.query", null);
    }
}
