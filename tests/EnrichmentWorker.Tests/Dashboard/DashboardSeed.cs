using Dapper;
using EnrichmentWorker.Tests.Support;
using Npgsql;

namespace EnrichmentWorker.Tests.Dashboard;

/// <summary>Rows the way the pipeline would leave them, inserted directly: albums, failed jobs, decisions, Discogs data.</summary>
public static class DashboardSeed
{
    public const string Candidates = """
        [{"kind":"master","id":4711,"masterId":4711,"title":"OK Computer","artists":["Radiohead"],"year":1997,"masterYear":1997,
          "scores":{"title":1.0,"artist":1.0,"year":1.0,"total":1.0},"rejected":null},
         {"kind":"release","id":9001,"masterId":4711,"title":"OK Computer (Collector's Edition)","artists":["Radiohead"],"year":2009,"masterYear":1997,
          "scores":{"title":0.82,"artist":1.0,"year":0.4,"total":0.83},"rejected":null},
         {"kind":"master","id":555,"masterId":555,"title":"OK Computer","artists":["Various"],"year":2007,"masterYear":2007,
          "scores":{"title":1.0,"artist":0.0,"year":0.2,"total":0.62},"rejected":"artist does not match"}]
        """;

    public static async Task<long> AlbumAsync(NpgsqlDataSource db, string artist, string title, int? year = 1997)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("INSERT INTO albums (artist, title, year) VALUES (@artist, @title, @year) RETURNING id", new { artist, title, year });
    }

    /// <summary>The album's Hangfire job (handed over by the running service), failed with an exception.</summary>
    public static Task<long> FailedJobAsync(NpgsqlDataSource db, long albumId, string error = "Discogs answered 502 Bad Gateway three times.") =>
        HangfireRows.FailAsync(db, albumId, error);

    /// <summary>The album's Hangfire job succeeded: the album has no live job any more, its history says so.</summary>
    public static async Task<long> SucceededJobAsync(NpgsqlDataSource db, long albumId)
    {
        var jobId = await HangfireRows.JobOfAlbumAsync(db, albumId);
        HangfireRows.Client(db).ChangeState(jobId.ToString(System.Globalization.CultureInfo.InvariantCulture), new Hangfire.States.SucceededState(null, 0, 0), Hangfire.States.EnqueuedState.StateName);
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            DELETE FROM album_jobs WHERE album_id = @albumId;
            INSERT INTO album_job_history (album_id, hangfire_job_id, state, reason, attempt) VALUES (@albumId, @jobId, 'succeeded', 'matched', 1);
            """, new { albumId, jobId });
        return jobId;
    }

    /// <param name="candidates">The stored candidates: <see cref="Candidates"/> unless a test needs ids the simulator serves.</param>
    public static async Task MatchAsync(NpgsqlDataSource db, long albumId, string status, long? masterId = null, long? releaseId = null, string candidates = Candidates)
    {
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO album_matches (album_id, status, reason_code, reason, master_id, release_id, score, title_score, artist_score, year_score,
                                       candidates, requests_spent, mode, country, formats)
            VALUES (@albumId, @status, @code, @reason, @masterId, @releaseId, 0.83, 0.82, 1.0, 0.4, @candidates::jsonb, 2, 'full', 'UK', '{Vinyl}')
            """, new
        {
            albumId, status, masterId, releaseId, candidates,
            code = status == "needs_review" ? "ambiguous" : "clear_winner",
            reason = status == "needs_review" ? "Two candidates score within the margin; a person should choose." : "Clear winner by title, artist and year.",
        });
    }

    /// <summary>What full mode writes for a matched album: release, master, labels, credits, genres.</summary>
    public static async Task EnrichmentAsync(NpgsqlDataSource db, long albumId)
    {
        await using var connection = await db.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO discogs_masters (id, title, artists, year, main_release_id, genres, styles)
            VALUES (4711, 'OK Computer', '{Radiohead}', 1997, 9001, '{Electronic,Rock}', '{Alternative Rock}') ON CONFLICT DO NOTHING;
            INSERT INTO discogs_releases (id, master_id, title, artists, year, released, country, formats, data_quality, community_have,
                                          community_want, rating_average, rating_count, lowest_price, num_for_sale, cover_image_url)
            VALUES (9001, 4711, 'OK Computer', '{Radiohead}', 1997, '1997-06-16', 'UK',
                    '[{"name":"Vinyl","qty":"2","descriptions":["LP","Album"]}]', 'Correct', 41230, 23110, 4.71, 5120, 31.50, 412, NULL)
            ON CONFLICT DO NOTHING;
            INSERT INTO album_releases (album_id, release_id) VALUES (@albumId, 9001);
            INSERT INTO labels (id, name) VALUES (2294, 'Parlophone') ON CONFLICT DO NOTHING;
            INSERT INTO album_labels (album_id, position, label_id, label_name, catno) VALUES (@albumId, 1, 2294, 'Parlophone', 'NODATA 02');
            INSERT INTO album_credits (album_id, position, name, role, artist_id, tracks) VALUES
                (@albumId, 1, 'Nigel Godrich', 'Producer', 35364, NULL), (@albumId, 2, 'Stanley Donwood', 'Artwork', 1234, NULL);
            INSERT INTO album_genres (album_id, genre, source, kind) VALUES
                (@albumId, 'Electronic', 'discogs_release', 'genre'), (@albumId, 'Rock', 'discogs_release', 'genre'),
                (@albumId, 'Alternative Rock', 'discogs_release', 'style');
            """, new { albumId });
    }
}
