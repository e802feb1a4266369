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
        Assert.That(albums.Select(a => (a.Source, a.SourceKey, a.Title)), Is.EqualTo(new[]
        {
            ("collection", "1", "Moon Safari"), ("collection", "2", "Discovery"),
        }));
        Assert.That(await LibraryTestData.EnqueuedJobsPerAlbumAsync(db), Has.Count.EqualTo(2));
    }
}
