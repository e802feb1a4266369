using Dapper;
using EnrichmentWorker.Dumps;
using EnrichmentWorker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Tests.Dumps;

/// <summary>What a newer dump queues: the misses, for a dump-only re-match; never a match, never a person's decision.</summary>
public sealed class DumpMissRecheckTests
{
    private TestDatabase db = null!;

    [SetUp]
    public async Task SetUp() => db = await TestDatabase.CreateAsync();

    [TearDown]
    public async Task TearDown() => await db.DisposeAsync();

    [Test]
    public async Task The_folder_check_that_installs_a_newer_dump_queues_the_misses_for_a_dump_only_rematch_and_nothing_else()
    {
        var folder = Directory.CreateTempSubdirectory("dump-folder-").FullName;
        try
        {
            File.Copy(DumpSamples.Masters, Path.Combine(folder, "discogs_20200806_masters.xml.gz"));
            await using (var connection = await db.DataSource.OpenConnectionAsync())
            {
                await connection.ExecuteAsync("""
                    INSERT INTO albums (source, source_key, artist, title) VALUES
                        ('test', 'no-match', 'A', 'a'), ('test', 'review', 'B', 'b'), ('test', 'matched', 'C', 'c'), ('test', 'person', 'D', 'd');
                    DELETE FROM album_jobs;
                    INSERT INTO album_matches (album_id, status, reason_code, reason, mode, manual, decided_by)
                    SELECT id, s.status, 'test', 'test', 'full', s.manual, CASE WHEN s.manual THEN 'person' ELSE 'matcher' END
                    FROM albums a JOIN (VALUES ('no-match', 'no_match', false), ('review', 'needs_review', false),
                                               ('matched', 'matched', false), ('person', 'no_match', true)) AS s(key, status, manual)
                      ON s.key = a.source_key;
                    """);
            }

            await FolderCheck(folder).RunAsync(CancellationToken.None);

            await using var check = await db.DataSource.OpenConnectionAsync();
            var queued = (await check.QueryAsync<(string Key, bool DumpOnly, string Mode, string Reason)>(
                "SELECT a.source_key, j.dump_only, j.mode, j.reason FROM album_jobs j JOIN albums a ON a.id = j.album_id ORDER BY a.source_key")).ToList();
            Assert.That(await check.ExecuteScalarAsync<string>("SELECT file_name FROM dump_installed WHERE entity = 'masters'"), Is.EqualTo("discogs_20200806_masters.xml.gz"));
            Assert.That(queued, Is.EqualTo(new[]
            {
                ("no-match", true, "full", DumpMissRecheck.Reason),
                ("review", true, "full", DumpMissRecheck.Reason),
            }));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task A_person_asking_for_a_run_of_an_album_queued_for_a_dump_only_rematch_gets_a_full_run()
    {
        long album;
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            album = await connection.ExecuteScalarAsync<long>("INSERT INTO albums (source, source_key, artist, title) VALUES ('test', 'a', 'A', 'a') RETURNING id");
            await connection.ExecuteAsync("UPDATE album_jobs SET dump_only = true WHERE album_id = @album", new { album });
        }

        await new EnrichmentWorker.Jobs.AlbumJobRequests(db.DataSource).RequestAsync([album], new EnrichmentWorker.Jobs.AlbumJobRequest("a person asked"), CancellationToken.None);

        await using var check = await db.DataSource.OpenConnectionAsync();
        Assert.That(await check.ExecuteScalarAsync<bool>("SELECT dump_only FROM album_jobs WHERE album_id = @album", new { album }), Is.False);
    }

    private DumpFolderCheck FolderCheck(string folder)
    {
        var options = Options.Create(new DumpOptions { Folder = folder });
        return new DumpFolderCheck(
            new DumpImporter(db.DataSource, TimeProvider.System, options, NullLogger<DumpImporter>.Instance),
            new InstalledDumps(db.DataSource),
            new DumpMissRecheck(db.DataSource, NullLogger<DumpMissRecheck>.Instance),
            options,
            NullLogger<DumpFolderCheck>.Instance);
    }
}
