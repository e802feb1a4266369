using EnrichmentWorker.Discogs;
using EnrichmentWorker.Enrichment;
using EnrichmentWorker.Jobs;
using EnrichmentWorker.Matching;
using EnrichmentWorker.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnrichmentWorker.Tests.Telemetry;

/// <summary>
/// The service's enrichment pipeline in this process (storage, Discogs client, matcher, queue, enrichment: the same
/// registrations as Program.cs, without the web host), so in-process listeners see its spans and measurements.
/// </summary>
internal sealed class PipelineHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly PostgresDatabase _database;

    private PipelineHost(IHost host, PostgresDatabase database)
    {
        _host = host;
        _database = database;
    }

    public IServiceProvider Services => _host.Services;

    public static async Task<PipelineHost> StartAsync(string connectionString, IDictionary<string, string?> settings, ILoggerProvider? logs = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Jobs:Workers"] = "1",
            ["Jobs:PollInterval"] = "00:00:00.200",
            ["Jobs:ShutdownGrace"] = "00:00:01",
            ["Enrichment:ProgressInterval"] = "00:00:01",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        var database = await PostgresDatabase.OpenAsync(builder.Configuration, NullLogger.Instance, CancellationToken.None);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddStorage(database);
        builder.Services.AddDiscogsClient(builder.Configuration);
        builder.Services.AddMatching();
        builder.Services.AddJobQueue(builder.Configuration);
        builder.Services.AddEnrichment();
        var host = builder.Build();
        await host.StartAsync();
        return new PipelineHost(host, database);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _database.DisposeAsync();
    }
}
