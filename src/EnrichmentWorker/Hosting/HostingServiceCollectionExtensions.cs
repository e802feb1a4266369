using EnrichmentWorker.Hosting.Health;
using EnrichmentWorker.Hosting.Logging;
using EnrichmentWorker.Hosting.Systemd;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;

namespace EnrichmentWorker.Hosting;

public static class HostingServiceCollectionExtensions
{
    public static IServiceCollection AddServiceHosting(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ICliVerb, MigrateVerb>();
        services.TryAddSingleton<ServiceStatus>();

        // Each is a no-op unless the process was started by its service manager (systemd as the parent process,
        // the Windows SCM): READY=1/STOPPING=1 and the journal formatter, or the SCM's start/stop handshake.
        services.AddSystemd();
        services.AddWindowsService();
        if (SystemdHelpers.IsSystemdService())
        {
            services.AddHostedService<SystemdProgressNotifier>();
        }

        services.AddLogging(logging => logging.AddServiceConsole());
        services.AddServiceHealth();
        return services;
    }
}
