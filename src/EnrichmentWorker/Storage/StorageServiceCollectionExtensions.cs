using System.Diagnostics;
using Npgsql;

namespace EnrichmentWorker.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the one <see cref="NpgsqlDataSource"/> every component shares, and the migration runner.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, PostgresDatabase database)
    {
        services.AddSingleton(database);
        services.AddSingleton(_ =>
        {
            var builder = new NpgsqlDataSourceBuilder(database.ConnectionString) { Name = "enrichment-worker" };
            // Npgsql's "Npgsql" ActivitySource traces every command once a tracer listens. Only commands inside a span
            // (a job, a Discogs request) are kept: they join that trace. The rest (claim polls, heartbeats, LISTEN,
            // maintenance) would each start a trace of their own, many a minute, that nobody reads.
            builder.ConfigureTracing(tracing => tracing
                .ConfigureCommandFilter(_ => Activity.Current is not null)
                .ConfigureBatchFilter(_ => Activity.Current is not null)
                .EnablePhysicalOpenTracing(false));
            return builder.Build();
        });
        services.AddSingleton<MigrationRunner>();
        return services;
    }
}
