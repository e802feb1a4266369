using EnrichmentWorker.Hosting.Health;
using EnrichmentWorker.Hosting.Logging;
using EnrichmentWorker.Hosting.Systemd;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EnrichmentWorker.Hosting;

public static class HostingServiceCollectionExtensions
{
    public static IServiceCollection AddServiceHosting(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ICliVerb, MigrateVerb>();
        services.TryAddSingleton<ServiceStatus>();
        var systemd = SystemdEnvironment.FromProcess();
        services.AddSingleton(systemd);
        services.AddLogging(logging => logging.AddServiceConsole(systemd));
        services.AddSingleton<SystemdNotifier>();
        services.AddHostedService<SystemdNotificationService>();
        services.AddServiceHealth();
        return services;
    }
}
