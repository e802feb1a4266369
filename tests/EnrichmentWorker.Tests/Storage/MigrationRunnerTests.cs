using Dapper;
using EnrichmentWorker.Storage;
using EnrichmentWorker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnrichmentWorker.Tests.Storage;

public sealed class MigrationRunnerTests
{
    [Test]
    public async Task An_empty_database_is_brought_to_the_latest_version_and_a_second_run_applies_nothing()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        var runner = new MigrationRunner(db.DataSource, NullLogger<MigrationRunner>.Instance);

        var first = await runner.MigrateAsync(CancellationToken.None);
        var second = await runner.MigrateAsync(CancellationToken.None);

        Assert.That(first.Select(m => m.Version), Is.EqualTo(MigrationRunner.KnownMigrations.Select(m => m.Version)));
        Assert.That(second, Is.Empty);
        Assert.That(await runner.CurrentVersionAsync(CancellationToken.None), Is.EqualTo(MigrationRunner.LatestVersion));
    }

    [Test]
    public async Task Processes_migrating_together_apply_each_migration_once()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        var runs = Enumerable.Range(0, 4)
            .Select(_ => new MigrationRunner(db.DataSource, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None));

        var applied = (await Task.WhenAll(runs)).SelectMany(r => r).ToList();

        Assert.That(applied, Has.Count.EqualTo(MigrationRunner.KnownMigrations.Count));
    }

    [Test]
    public async Task A_database_migrated_by_a_newer_build_is_refused_with_both_versions_named()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name) VALUES (@v, 'from_the_future')",
                new { v = MigrationRunner.LatestVersion + 1 });
        }

        var runner = new MigrationRunner(db.DataSource, NullLogger<MigrationRunner>.Instance);
        var ex = Assert.ThrowsAsync<SchemaTooNewException>(() => runner.MigrateAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain($"version {MigrationRunner.LatestVersion + 1}")
            .And.Contain($"version {MigrationRunner.LatestVersion})"));
    }
}
