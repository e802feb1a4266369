using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EnrichmentWorker.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// The <see cref="EnrichmentTelemetry"/> singleton and the OpenTelemetry providers' lifetime. Call it before
    /// the other concerns, so the providers start first and stop last.
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services)
    {
        services.TryAddSingleton<EnrichmentTelemetry>();
        services.AddSingleton<TelemetryProviders>();
        services.AddHostedService(sp => sp.GetRequiredService<TelemetryProviders>());
        return services;
    }
}
