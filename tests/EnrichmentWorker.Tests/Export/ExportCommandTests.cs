using Dapper;
using EnrichmentWorker.Tests.Support;
using Microsoft.Data.Sqlite;

namespace EnrichmentWorker.Tests.Export;

/// <summary>The <c>export</c> command of the real binary: album_genres out as CSV, JSON lines and into SQLite.</summary>
public sealed class ExportCommandTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "export-" + Guid.NewGuid().ToString("N")[..10]));

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static async Task SeedAsync(TestDatabase db)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO albums (source, source_key, artist, title) VALUES ('lib', 'a1', 'Air', 'Moon Safari'), ('lib', 'a2', 'Daft Punk', 'Discovery');
            INSERT INTO album_genres (album_id, genre, source, kind)
            SELECT id, g, s, k FROM albums, (VALUES ('Electronic', 'discogs_master', 'genre'), ('Downtempo', 'discogs_master', 'style'),
                                                   ('Electronic', 'discogs_release', 'genre')) v(g, s, k)
            WHERE source_key = 'a1';
            INSERT INTO album_genres (album_id, genre, source, kind)
            SELECT id, 'House, French', 'discogs_release', 'style' FROM albums WHERE source_key = 'a2';
            """);
    }

    [Test]
    public async Task Export_writes_csv_and_json_lines_keyed_by_the_albums_source_key()
    {
        await using var db = await TestDatabase.CreateAsync();
        await SeedAsync(db);
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = db.ConnectionString };
        var csv = Path.Combine(_folder, "genres.csv");
        var jsonl = Path.Combine(_folder, "genres.jsonl");

        var (csvExit, csvOutput) = await ServiceProcess.RunCommandAsync(environment, "export", "--output", csv);
        var (jsonExit, jsonOutput) = await ServiceProcess.RunCommandAsync(environment, "export", "--output", jsonl);

        Assert.That(csvExit, Is.Zero, csvOutput);
        Assert.That(jsonExit, Is.Zero, jsonOutput);
        Assert.That(await File.ReadAllTextAsync(csv), Is.EqualTo("""
            album_id,genre,source,kind
            a1,Electronic,discogs_master,genre
            a1,Electronic,discogs_release,genre
            a1,Downtempo,discogs_master,style
            a2,"House, French",discogs_release,style

            """.ReplaceLineEndings("\n")));
        var lines = await File.ReadAllLinesAsync(jsonl);
        Assert.That(lines, Has.Length.EqualTo(4));
        Assert.That(lines[3], Is.EqualTo("""{"album_id":"a2","genre":"House, French","source":"discogs_release","kind":"style"}"""));
    }

    [Test]
    public async Task Export_into_sqlite_upserts_album_genres_in_one_go_and_leaves_everything_else_alone()
    {
        await using var db = await TestDatabase.CreateAsync();
        await SeedAsync(db);
        var file = Path.Combine(_folder, "pipeline.db");
        await using (var sqlite = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await sqlite.ExecuteAsync("""
                CREATE TABLE tracks (id INTEGER PRIMARY KEY, title TEXT);
                INSERT INTO tracks VALUES (1, 'La femme d''argent');
                CREATE TABLE album_genres (album_id TEXT NOT NULL, genre TEXT NOT NULL, source TEXT NOT NULL);
                INSERT INTO album_genres VALUES ('a1', 'Trip Hop', 'discogs_release'), ('a1', 'chill', 'lastfm'), ('zz', 'Jazz', 'discogs_master');
                """);
        }

        var environment = new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = db.ConnectionString };
        var (exit, output) = await ServiceProcess.RunCommandAsync(environment, "export", "--format", "sqlite", "--output", file);
        var (again, againOutput) = await ServiceProcess.RunCommandAsync(environment, "export", "--output", file);

        Assert.That(exit, Is.Zero, output);
        Assert.That(again, Is.Zero, againOutput);
        await using var check = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        var rows = (await check.QueryAsync<(string, string, string)>("SELECT album_id, genre, source FROM album_genres ORDER BY 1, 3, 2")).ToList();
        Assert.That(rows, Is.EqualTo(new[]
        {
            ("a1", "Downtempo", "discogs_master"),
            ("a1", "Electronic", "discogs_master"),
            ("a1", "Electronic", "discogs_release"),
            ("a1", "chill", "lastfm"),
            ("a2", "House, French", "discogs_release"),
            ("zz", "Jazz", "discogs_master"),
        }), "a1's stale Discogs genre replaced, other sources and other albums kept, nothing doubled by the second run");
        Assert.That(await check.ExecuteScalarAsync<string>("SELECT title FROM tracks WHERE id = 1"), Is.EqualTo("La femme d'argent"));
    }

    [Test]
    public async Task Export_into_a_new_sqlite_file_creates_the_table()
    {
        await using var db = await TestDatabase.CreateAsync();
        await SeedAsync(db);
        var file = Path.Combine(_folder, "new.sqlite");

        var (exit, output) = await ServiceProcess.RunCommandAsync(new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = db.ConnectionString }, "export", "--output", file);

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("Wrote 4 rows into album_genres"));
    }
}
