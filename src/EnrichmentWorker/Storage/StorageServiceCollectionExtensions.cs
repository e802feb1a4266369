using Npgsql;

namespace EnrichmentWorker.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the one <see cref="NpgsqlDataSource"/> every component shares, and the migration runner.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, PostgresDatabase database)
    {
        services.AddSingleton(database);
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(database.ConnectionString)
        {
            Name = "enrichment-worker",
        }.Build());
        services.AddSingleton<MigrationRunner>();
        return services;
    }
}
