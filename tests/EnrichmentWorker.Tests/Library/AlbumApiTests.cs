using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EnrichmentWorker.Library;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Library;

public sealed class AlbumApiTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Test]
    public async Task A_batch_is_written_queued_and_readable_by_id_exactly_as_sent()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var host = await AlbumApiHost.StartAsync(db);
        const string Batch = """
            [
              {"source": "beets", "source_key": "101", "artist": "宇多田ヒカル", "title": "First Love", "year": 1999, "track_count": "12"},
              {"source_key": 102, "artist": "Nirvana", "album_artist": "Nirvana", "title": "In Utero'); DELETE FROM albums;--",
               "catalog_number": "DGCD-24607", "barcode": "720642460728", "discogs_release_id": 368757, "discogs_master_id": "13773"},
              {"artist": "Мумий Тролль", "title": "Морская \"Deluxe\" 🐚"}
            ]
            """;

        using var response = await host.Client.PostAsync(new Uri("/api/albums", UriKind.Relative), Json(Batch));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        using var counts = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(counts.RootElement.GetProperty("added").GetInt32(), Is.EqualTo(3));
        Assert.That(counts.RootElement.GetProperty("received").GetInt32(), Is.EqualTo(3));

        var albums = await LibraryTestData.AlbumsAsync(db);
        Assert.That(albums.Select(a => (a.Source, a.Tags.Title)), Is.EqualTo(new[]
        {
            ("beets", "First Love"), ("api", "In Utero'); DELETE FROM albums;--"), ("api", "Морская \"Deluxe\" 🐚"),
        }));
        Assert.That(await LibraryTestData.EnqueuedJobsPerAlbumAsync(db), Has.Count.EqualTo(3));

        using var read = await host.Client.GetAsync(new Uri($"/api/albums/{albums[1].Id}", UriKind.Relative));
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var album = JsonDocument.Parse(await read.Content.ReadAsStringAsync());
        var root = album.RootElement;
        Assert.That(root.GetProperty("id").GetInt64(), Is.EqualTo(albums[1].Id));
        Assert.That(root.GetProperty("source_key").GetString(), Is.EqualTo("102"));
        Assert.That(root.GetProperty("title").GetString(), Is.EqualTo("In Utero'); DELETE FROM albums;--"));
        Assert.That(root.GetProperty("album_artist").GetString(), Is.EqualTo("Nirvana"));
        Assert.That(root.GetProperty("discogs_master_id").GetInt64(), Is.EqualTo(13773));
        Assert.That(root.GetProperty("year").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
        {
            "id", "source", "source_key", "artist", "album_artist", "title", "year", "track_count", "catalog_number", "barcode",
            "discogs_release_id", "discogs_master_id", "added_at", "updated_at",
        }), "the intake's field names, and no missing_since for an album that is not missing");
    }

    [Test]
    public async Task Sending_the_same_batch_again_changes_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var host = await AlbumApiHost.StartAsync(db);
        const string Batch = """[{"source_key": "1", "artist": "A", "title": "T"}, {"source_key": "2", "artist": "B", "title": "U"}]""";
        (await host.Client.PostAsync(new Uri("/api/albums", UriKind.Relative), Json(Batch))).Dispose();

        var again = await host.Client.PostAsync(new Uri("/api/albums", UriKind.Relative), Json(Batch));

        Assert.That(await again.Content.ReadFromJsonAsync<AlbumUpsertResult>(), Is.EqualTo(new AlbumUpsertResult(2, 0, 0, 2)));
        Assert.That((await LibraryTestData.CountRowsAsync(db)).Albums, Is.EqualTo(2));
    }

    [Test]
    public async Task A_batch_with_bad_items_is_refused_with_problem_details_naming_each_and_nothing_is_written()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var host = await AlbumApiHost.StartAsync(db);
        const string Batch = """
            [
              {"source_key": "1", "artist": "Fine", "title": "Fine"},
              {"source_key": "2", "artist": "No Title"},
              {"source_key": "3", "artist": "A", "title": "T", "year": 99999},
              {"source_key": "4", "artist": "A", "title": "T", "genre": "Rock"},
              {"source_key": "1", "artist": "Again", "title": "Again"},
              "not an object",
              {"source_key": "6", "artist": "A", "title": "T", "year": true}
            ]
            """;

        using var response = await host.Client.PostAsync(new Uri("/api/albums", UriKind.Relative), Json(Batch));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(problem.RootElement.GetProperty("status").GetInt32(), Is.EqualTo(400));
        Assert.That(problem.RootElement.GetProperty("detail").GetString(), Does.Contain("6 of 7 albums").And.Contain("nothing was written"));
        var errors = problem.RootElement.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("index").GetInt32(), e.GetProperty("field").GetString(), e.GetProperty("reason").GetString()!))
            .ToList();
        Assert.That(errors.Select(e => (e.Item1, e.Item2)), Is.EqualTo(new (int, string?)[]
        {
            (1, "title"), (2, "year"), (3, "genre"), (4, "source_key"), (5, null), (6, "year"),
        }));
        Assert.That(errors[0].Item3, Is.EqualTo("is missing"));
        Assert.That(errors[1].Item3, Does.Contain("99999"));
        Assert.That(errors[3].Item3, Does.Contain("first at index 0"));
        Assert.That(await LibraryTestData.CountRowsAsync(db), Is.EqualTo((0L, 0L, 0L)));
    }

    [TestCase("{\"artist\": \"A\", \"title\": \"T\"}", "must be a JSON array")]
    [TestCase("[{\"artist\": \"A\", \"title\": ", "not valid JSON")]
    public async Task A_body_that_is_not_a_json_array_is_refused(string body, string expected)
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var host = await AlbumApiHost.StartAsync(db);

        using var response = await host.Client.PostAsync(new Uri("/api/albums", UriKind.Relative), Json(body));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(expected));
        Assert.That((await LibraryTestData.CountRowsAsync(db)).Albums, Is.Zero);
    }

    [Test]
    public async Task A_body_that_is_not_json_is_refused_with_415()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var host = await AlbumApiHost.StartAsync(db);

        using var response = await host.Client.PostAsync(new Uri("/api/albums", UriKind.Relative),
            new StringContent("artist,title\nA,T\n", Encoding.UTF8, "text/csv"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That((await LibraryTestData.CountRowsAsync(db)).Albums, Is.Zero);
    }

    [Test]
    public async Task Batches_over_the_album_or_byte_limit_are_refused_with_413()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var host = await AlbumApiHost.StartAsync(db, o => { o.MaxAlbumsPerRequest = 2; o.MaxRequestBytes = 2048; });
        const string Album = """{"artist": "A", "title": "T"}""";

        using var atLimit = await host.Client.PostAsync(new Uri("/api/albums", UriKind.Relative), Json($"[{Album},{Album.Replace("T", "U", StringComparison.Ordinal)}]"));
        using var tooMany = await host.Client.PostAsync(new Uri("/api/albums", UriKind.Relative), Json($"[{Album},{Album},{Album}]"));
        using var tooBig = await host.Client.PostAsync(new Uri("/api/albums", UriKind.Relative),
            Json($$"""[{"artist": "A", "title": "{{new string('x', 3000)}}"}]"""));

        Assert.That(atLimit.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(tooMany.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(await tooMany.Content.ReadAsStringAsync(), Does.Contain("at most 2"));
        Assert.That(tooBig.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(tooBig.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((await LibraryTestData.CountRowsAsync(db)).Albums, Is.EqualTo(2));
    }

    [Test]
    public async Task An_unknown_album_id_is_a_404_problem()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var host = await AlbumApiHost.StartAsync(db);

        using var response = await host.Client.GetAsync(new Uri("/api/albums/424242", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("No album has id 424242"));
    }
}
