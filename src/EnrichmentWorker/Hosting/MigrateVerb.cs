using EnrichmentWorker.Storage;

namespace EnrichmentWorker.Hosting;

/// <summary><c>migrate</c>: start-up already applied the migrations; say where the schema stands.</summary>
public sealed class MigrateVerb(MigrationRunner runner, PostgresDatabase database) : ICliVerb
{
    public string Name => "migrate";

    public async Task<int> RunAsync(CliCommand command, CancellationToken cancellationToken)
    {
        var version = await runner.CurrentVersionAsync(cancellationToken);
        Console.WriteLine($"Schema is at version {version} on {database.Description}.");
        return 0;
    }
}
