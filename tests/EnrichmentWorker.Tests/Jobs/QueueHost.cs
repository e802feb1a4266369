using EnrichmentWorker.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace EnrichmentWorker.Tests.Jobs;

/// <summary>The real job queue in a host of its own, with a handler the test supplies and short intervals.</summary>
public sealed class QueueHost : IAsyncDisposable
{
    private readonly IHost _host;

    private QueueHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<QueueHost> StartAsync(NpgsqlDataSource dataSource, Func<ClaimedJob, CancellationToken, Task<JobOutcome>> handle,
        IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jobs:Workers"] = "3",
            ["Jobs:PollInterval"] = "00:01:00", // long on purpose: tests that expect prompt pick-up prove NOTIFY works
            ["Jobs:HeartbeatInterval"] = "00:00:00.200",
            ["Jobs:LeaseDuration"] = "00:00:05",
            ["Jobs:MaintenanceInterval"] = "00:00:00.200",
            ["Jobs:RetryBaseDelay"] = "00:00:00",
            ["Jobs:ShutdownGrace"] = "00:00:01",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddSingleton(dataSource);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IJobHandler>(new DelegateHandler(handle));
        builder.Services.AddJobQueue();
        var host = builder.Build();
        await host.StartAsync();
        return new QueueHost(host);
    }

    public Task StopAsync() => _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private sealed class DelegateHandler(Func<ClaimedJob, CancellationToken, Task<JobOutcome>> handle) : IJobHandler
    {
        public Task<JobOutcome> HandleAsync(ClaimedJob job, CancellationToken cancellationToken) => handle(job, cancellationToken);
    }
}
