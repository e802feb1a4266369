using Dapper;
using EnrichmentWorker.Hosting;
using EnrichmentWorker.Library;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Library;

/// <summary>The <c>import</c> command of the real service binary, end to end.</summary>
public sealed class ImportCommandTests
{
    private LibraryTestData _files = null!;

    [SetUp]
    public void CreateFolder() => _files = new LibraryTestData();

    [TearDown]
    public void DeleteFolder() => _files.Dispose();

    [Test]
    public async Task Import_adds_the_albums_of_a_file_and_refuses_a_bad_one_naming_line_and_reason()
    {
        await using var db = await TestDatabase.CreateAsync();
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = db.ConnectionString };
        var good = _files.WriteFile("collection.csv", "id,artist,title,year\n1,Air,Moon Safari,1998\n2,Daft Punk,Discovery,2001\n");
        var bad = _files.WriteFile("broken.jsonl", "{\"artist\":\"Air\",\"title\":\"Talkie Walkie\"}\n{\"artist\":\"X\",\"title\":\"Y\",\"year\":99999}\n");

        var (exitCode, output) = await ServiceProcess.RunCommandAsync(environment, "import", good);
        var (badExitCode, badOutput) = await ServiceProcess.RunCommandAsync(environment, "import", bad, "--source", "collection");

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("2 added, 0 updated, 0 unchanged").And.Contain("source 'collection'"));
        Assert.That(badExitCode, Is.EqualTo(ImportVerb.ExitFileRefused), badOutput);
        Assert.That(badOutput, Does.Contain($"{bad}:2: year is 99999").And.Contain("nothing was written"));
        var albums = await LibraryTestData.AlbumsAsync(db);
        Assert.That(albums.Select(a => (a.Source, a.SourceKey, a.Tags.Title)), Is.EqualTo(new[]
        {
            ("collection", "1", "Moon Safari"), ("collection", "2", "Discovery"),
        }));
        Assert.That(await LibraryTestData.EnqueuedJobsPerAlbumAsync(db), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Import_the_database_cannot_finish_in_time_fails_in_one_line_naming_the_setting_and_writes_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        var file = _files.WriteFile("collection.csv", "id,artist,title\n1,Air,Moon Safari\n2,Daft Punk,Discovery\n");
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = db.ConnectionString,
            ["Library__ImportStatementTimeout"] = "00:00:01",
        };

        // Another session holds the albums table, so the import's upsert waits on it past its statement timeout.
        await using var blocker = await db.DataSource.OpenConnectionAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await blocker.ExecuteAsync("LOCK TABLE albums IN EXCLUSIVE MODE", transaction: hold);
        var (exitCode, output) = await ServiceProcess.RunCommandAsync(environment, "import", file);
        await hold.RollbackAsync();

        Assert.That(exitCode, Is.EqualTo(ImportVerb.ExitDatabaseFailed), output);
        Assert.That(output, Does.Contain($"Import of {file} failed, nothing from it was written")
            .And.Contain("Library:ImportStatementTimeout (00:00:01)"));
        Assert.That(output, Does.Not.Contain("Unhandled exception").And.Not.Contain("   at "));
        Assert.That(await LibraryTestData.AlbumsAsync(db), Is.Empty);
        Assert.That(await LibraryTestData.EnqueuedJobsPerAlbumAsync(db), Is.Empty);
    }

    [Test]
    public async Task Import_with_the_database_unreachable_fails_in_one_line_without_a_stack_trace_or_the_password()
    {
        var file = _files.WriteFile("collection.csv", "id,artist,title\n1,Air,Moon Safari\n");
        var unreachable = $"Host=127.0.0.1;Port={ServiceProcess.FreePort()};Username=enrichment;Password=s3cret-pw;Database=nowhere;Timeout=3";
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = unreachable };

        var (exitCode, output) = await ServiceProcess.RunCommandAsync(environment, "import", file);

        Assert.That(exitCode, Is.EqualTo(ServiceRunner.ExitStartupFailed), output);
        Assert.That(output, Does.Contain("cannot start").And.Contain("127.0.0.1"));
        Assert.That(output, Does.Not.Contain("Unhandled exception").And.Not.Contain("   at ").And.Not.Contain("s3cret-pw"));
    }
}
