using Dapper;
using EnrichmentWorker.DiscogsSimulator;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Enrichment;

/// <summary>
/// The real service binary against the Discogs simulator and a real PostgreSQL, time scaled 60× (60 requests a second),
/// enriching albums from the real catalogue written as a library's tags would be.
/// </summary>
[NonParallelizable]
public sealed class EnrichmentPipelineTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [TestCase("full", 2.1)]
    [TestCase("genres", 1.3)]
    public async Task A_library_is_enriched_album_by_album_with_correct_ids_genres_and_few_requests(string mode, double maxRequestsPerAlbum)
    {
        await using var simulator = await DiscogsSimulatorServer.StartAsync(new SimulatorOptions
        {
            Window = TimeSpan.FromSeconds(1),
            RequestsPerWindow = 60,
            RetryAfterSeconds = 1,
        });
        await using var db = await TestDatabase.CreateAsync();
        var library = simulator.Catalog.Albums
            .Where(a => a.Kind is CatalogAlbumKind.Master or CatalogAlbumKind.ReleaseWithoutMaster)
            .Where((_, i) => i % 29 == 0)
            .Take(100)
            .ToList();
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            foreach (var (album, i) in library.Select((a, i) => (a, i)))
            {
                // Tag noise as real libraries carry it: edition suffixes and reissue years.
                var title = i % 3 == 0 ? album.Title + " (Remastered)" : album.Title;
                var year = i % 4 == 0 && album.Year is { } y ? y + 20 : album.Year;
                await connection.ExecuteAsync("INSERT INTO albums (source, source_key, artist, title, year) VALUES ('test', @key, @artist, @title, @year)",
                    new { key = $"c{i}", artist = album.Artist, title, year });
            }

            await connection.ExecuteAsync("""
                INSERT INTO albums (source, source_key, artist, title, year) VALUES
                ('test', 'absent-1', 'Qzxv Imaginary Orchestra', 'Songs Nobody Recorded', 2011),
                ('test', 'absent-2', 'The Unfindables', 'Lost Tapes Of Nowhere', 1999)
                """);
        }

        var environment = ServiceProcess.AgainstSimulator(db.ConnectionString, simulator.BaseUrl);
        environment["Enrichment__Mode"] = mode;
        environment["Jobs__Workers"] = "6";
        await using var service = ServiceProcess.Start(environment);
        await service.WaitUntilServingAsync();
        await WaitFor.ConditionAsync(async () =>
        {
            await using var connection = await db.DataSource.OpenConnectionAsync();
            return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM album_jobs") == 0
                && await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM album_job_history WHERE state = 'succeeded'") > 0;
        }, Patience, "every album's job to succeed");

        await using var check = await db.DataSource.OpenConnectionAsync();
        var results = (await check.QueryAsync<(string Key, string Status, long? MasterId, long? ReleaseId, int Requests)>(
            "SELECT a.source_key, m.status, m.master_id, m.release_id, m.requests_spent FROM albums a JOIN album_matches m ON m.album_id = a.id"))
            .ToDictionary(r => r.Key);
        Assert.That(results, Has.Count.EqualTo(library.Count + 2), "every album has exactly one result");

        var wrong = new List<string>();
        var matched = 0;
        foreach (var (album, i) in library.Select((a, i) => (a, i)))
        {
            var result = results[$"c{i}"];
            if (result.Status != "matched")
            {
                continue;
            }

            matched++;
            var right = album.MasterId is { } master ? result.MasterId == master : result.ReleaseId == album.MainReleaseId;
            if (!right)
            {
                wrong.Add($"{album.Artist} - {album.Title}: got master {result.MasterId} release {result.ReleaseId}, expected master {album.MasterId} release {album.MainReleaseId}");
            }
        }

        Assert.That(wrong, Is.Empty, "a wrong match poisons genres downstream");
        Assert.That(matched, Is.GreaterThanOrEqualTo(library.Count * 0.9), "recall on catalogue albums");
        Assert.That(results["absent-1"].Status, Is.Not.EqualTo("matched"));
        Assert.That(results["absent-2"].Status, Is.Not.EqualTo("matched"));

        var genreless = await check.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM album_matches m WHERE m.status = 'matched' AND NOT EXISTS (SELECT 1 FROM album_genres g WHERE g.album_id = m.album_id)");
        Assert.That(genreless, Is.Zero, "every matched album has its genres written");
        if (mode == "full")
        {
            var withRelease = await check.ExecuteScalarAsync<long>("SELECT count(*) FROM album_releases");
            Assert.That(withRelease, Is.EqualTo(matched), "full mode stores the release of every matched album");
        }

        var requests = simulator.Requests.Snapshot();
        var perAlbum = (double)requests.Count(r => !r.PathAndQuery.StartsWith("/oauth", StringComparison.Ordinal)) / results.Count;
        Assert.That(perAlbum, Is.LessThanOrEqualTo(maxRequestsPerAlbum));
        Assert.That(requests.Count(r => r.Status == 429), Is.Zero, "the shared budget never overruns the server's window");
        Assert.That(results.Values.Sum(r => r.Requests), Is.EqualTo(requests.Count(r => !r.PathAndQuery.StartsWith("/oauth", StringComparison.Ordinal))),
            "requests_spent accounts for every request sent");
    }
}
