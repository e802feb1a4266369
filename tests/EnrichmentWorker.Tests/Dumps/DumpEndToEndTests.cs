using Dapper;
using EnrichmentWorker.DiscogsSimulator;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Dumps;

/// <summary>
/// The simulator's catalogue written as a monthly dump, imported with <c>dump import</c> by the real binary, then a
/// library enriched by the real service against the simulator: the albums the dump decided cost no request, and the
/// simulator's request log holds only the requests of the albums left to the API path.
/// </summary>
[NonParallelizable]
public sealed class DumpEndToEndTests
{
    [Test]
    public async Task A_library_matched_against_the_imported_dump_sends_no_request_for_the_albums_the_dump_decided()
    {
        await using var simulator = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions
        {
            Window = TimeSpan.FromSeconds(1),
            RequestsPerWindow = 60,
            RetryAfterSeconds = 1,
        });
        await using var db = await TestDatabase.CreateAsync();
        var folder = Directory.CreateTempSubdirectory("dump-e2e-").FullName;
        try
        {
            var files = SimulatorDumpExport.Write(simulator.Catalog, folder, new DateOnly(2026, 11, 1));
            var environment = ServiceProcess.AgainstSimulator(db.ConnectionString, simulator.BaseUrl);
            var (exit, output) = await ServiceProcess.RunCommandAsync(environment, ["dump", "import", .. files]);
            Assert.That(exit, Is.Zero, output);
            Assert.That(output, Does.Contain("discogs_20261101_masters.xml.gz: installed"));

            var library = simulator.Catalog.Albums
                .Where(a => a.Kind is CatalogAlbumKind.Master or CatalogAlbumKind.ReleaseWithoutMaster)
                .Where((_, i) => i % 29 == 0)
                .Take(100)
                .ToList();
            // An album Discogs lacks by an artist it has (the benchmark library's last requests were such albums).
            var lacked = simulator.Catalog.Albums.First(a => a.Kind == CatalogAlbumKind.Missing && a.Year is not null
                && simulator.Catalog.Albums.Any(o => o.Kind == CatalogAlbumKind.Master && o.Artist == a.Artist));
            await using (var connection = await db.DataSource.OpenConnectionAsync())
            {
                foreach (var (album, i) in library.Select((a, i) => (a, i)))
                {
                    var title = i % 3 == 0 ? album.Title + " (Remastered)" : album.Title;
                    var year = i % 4 == 0 && album.Year is { } y ? y + 20 : album.Year;
                    await connection.ExecuteAsync("INSERT INTO albums (source, source_key, artist, title, year) VALUES ('test', @key, @artist, @title, @year)",
                        new { key = $"c{i}", artist = album.Artist, title, year });
                }

                await connection.ExecuteAsync("""
                    INSERT INTO albums (source, source_key, artist, title, year) VALUES
                    ('test', 'absent-1', 'Qzxv Imaginary Orchestra', 'Songs Nobody Recorded', 2011),
                    ('test', 'absent-2', 'Qzxv Imaginary Orchestra', 'Songs Recorded After The Dump', 2027)
                    """);
                await connection.ExecuteAsync("INSERT INTO albums (source, source_key, artist, title, year) VALUES ('test', 'absent-3', @Artist, @Title, @Year)", lacked);
            }

            environment["Enrichment__Mode"] = "genres";
            await using var service = ServiceProcess.Start(environment);
            await service.WaitUntilServingAsync();
            await WaitFor.ConditionAsync(async () =>
            {
                await using var connection = await db.DataSource.OpenConnectionAsync();
                return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM album_jobs") == 0;
            }, TimeSpan.FromMinutes(3), "every album's job to succeed");

            await using var check = await db.DataSource.OpenConnectionAsync();
            var results = (await check.QueryAsync<(string Key, string Status, string Source, long? MasterId, long? ReleaseId, int Requests)>(
                "SELECT a.source_key, m.status, m.match_source, m.master_id, m.release_id, m.requests_spent FROM albums a JOIN album_matches m ON m.album_id = a.id"))
                .ToDictionary(r => r.Key);
            var byDump = results.Values.Where(r => r.Source == "dump").ToList();
            var wrong = library.Select((album, i) => (album, result: results[$"c{i}"]))
                .Where(x => x.result.Source == "dump" && x.result.Status == "matched"
                    && (x.album.MasterId is { } master ? x.result.MasterId != master : x.result.ReleaseId != x.album.MainReleaseId))
                .Select(x => $"{x.album.Artist} - {x.album.Title}: master {x.result.MasterId} release {x.result.ReleaseId}")
                .ToList();
            var apiRequests = simulator.Requests.Snapshot().Count(r => !r.PathAndQuery.StartsWith("/oauth", StringComparison.Ordinal));

            Assert.Multiple(() =>
            {
                Assert.That(results, Has.Count.EqualTo(library.Count + 3));
                Assert.That(byDump.Count(r => r.Status == "matched"), Is.GreaterThanOrEqualTo(library.Count * 0.9), "the dump decides nearly every catalogue album");
                Assert.That(byDump.Sum(r => r.Requests), Is.Zero, "an album the dump decided costs no request");
                Assert.That(wrong, Is.Empty);
                Assert.That(apiRequests, Is.EqualTo(results.Values.Where(r => r.Source == "api").Sum(r => r.Requests)),
                    "the simulator saw only the requests of the albums left to the API path");
                Assert.That(results["absent-1"].Source, Is.EqualTo("dump"), "nothing in the dump for an album older than it: no match, no request");
                Assert.That(results["absent-1"].Status, Is.EqualTo("no_match"));
                Assert.That(results["absent-3"].Source, Is.EqualTo("dump"), $"'{lacked.Artist} - {lacked.Title}': the dump read every album by its artist, none is it");
                Assert.That(results["absent-3"].Status, Is.Not.EqualTo("matched"));
                Assert.That(results["absent-2"].Source, Is.EqualTo("api"), "an album newer than the dump goes on to the API");
                Assert.That(results["absent-2"].Requests, Is.GreaterThan(0));
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
