using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Logs;

namespace EnrichmentWorker.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    public const string LogsEndpointVariable = "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT";

    /// <summary>
    /// The <see cref="EnrichmentTelemetry"/> singleton and the OpenTelemetry providers' lifetime. Call it before
    /// the other concerns, so the providers start first and stop last. With an OTLP endpoint for logs, log records go
    /// there too, with their scopes (a job's JobId and AlbumId) and the trace and span ids of the job they belong to;
    /// that logger provider is the host's and is flushed when the host is disposed.
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<EnrichmentTelemetry>();
        services.AddSingleton<TelemetryProviders>();
        services.AddHostedService(sp => sp.GetRequiredService<TelemetryProviders>());
        if (TelemetryProviders.HasEndpoint(configuration, LogsEndpointVariable))
        {
            services.AddLogging(logging => logging.AddOpenTelemetry(options =>
            {
                options.IncludeScopes = true;
                options.IncludeFormattedMessage = true;
                options.SetResourceBuilder(TelemetryProviders.Resource(configuration, typeof(EnrichmentTelemetry).Assembly.GetName().Version?.ToString(3)));
                options.AddOtlpExporter();
            }));
        }

        return services;
    }
}
