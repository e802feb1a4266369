using EnrichmentWorker.Matching;
using Dapper;
using EnrichmentWorker.Enrichment;
using EnrichmentWorker.Jobs;
using Npgsql;

namespace EnrichmentWorker.Dashboard;

/// <summary>A person's choice for an album: one of the candidates (or any Discogs master/release), or "no match".</summary>
public sealed record ManualChoice(string? Kind, long? Id)
{
    public bool IsNoMatch => Kind is null || Kind == "none";
}

/// <summary>
/// Writes a person's decision to album_matches (manual = true, decided_by = 'person'), with the Discogs data fetched
/// for it (genres, styles, labels, the release or master: <see cref="EnrichmentWriter.DiscogsData"/>), and queues the
/// album in the same transaction, so the pipeline fetches what its mode needs beyond that. A match is only written with
/// what Discogs answered for it: the caller fetched it (<see cref="ManualMatchLookup"/>), and an id Discogs does not
/// know never gets here. The pipeline keeps a manual decision on forced re-runs unless the job says overwrite_manual.
/// </summary>
public sealed class ManualMatches(NpgsqlDataSource dataSource, EnrichmentWriter writer)
{
    /// <summary>Asked before spending a Discogs request on an album that is not there.</summary>
    public async Task<bool> AlbumExistsAsync(long albumId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM albums WHERE id = @albumId)", new { albumId }, cancellationToken: cancellationToken));
    }

    /// <summary>False: no such album. <paramref name="fetched"/> is what Discogs answered for the choice: required unless it is "no match".</summary>
    public async Task<bool> DecideAsync(long albumId, ManualChoice choice, FetchedMatch? fetched, string actor, CancellationToken cancellationToken)
    {
        if (!choice.IsNoMatch && (fetched is null || fetched.Reference.Kind != choice.Kind || fetched.Reference.Id != choice.Id))
        {
            throw new ArgumentException($"A match to Discogs {choice.Kind} {choice.Id} is written with what Discogs answered for it; fetch it first.", nameof(fetched));
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // NO KEY UPDATE, not UPDATE: it still orders two decisions on one album, but lets the dispatcher's foreign-key
        // checks through (its history insert takes KEY SHARE on the album while it holds the album_jobs row this
        // transaction's queueing needs: with FOR UPDATE that was a deadlock, seen as a 500 on a just-imported album).
        var candidatesJson = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT coalesce((SELECT candidates::text FROM album_matches WHERE album_id = a.id), '[]') FROM albums a WHERE a.id = @albumId FOR NO KEY UPDATE OF a",
            new { albumId }, transaction, cancellationToken: cancellationToken));
        if (candidatesJson is null)
        {
            return false;
        }

        long? masterId = null, releaseId = null;
        CandidateScores? scores = null;
        string reason;
        if (choice.IsNoMatch)
        {
            reason = $"No match, decided by {actor}.";
        }
        else
        {
            var candidate = MatchCandidateView.Parse(candidatesJson).FirstOrDefault(c => c.Kind == choice.Kind && c.Id == choice.Id);
            scores = candidate?.Scores;
            (masterId, releaseId) = (fetched!.MasterId ?? candidate?.MasterId, fetched.ReleaseId);
            reason = candidate is null
                ? $"Discogs {choice.Kind} {choice.Id} (“{fetched.Title}”) chosen by {actor}."
                : $"Candidate {choice.Kind} {choice.Id} (“{candidate.Title}”) chosen by {actor}.";
        }

        await connection.ExecuteAsync(new CommandDefinition(UpsertSql, new
        {
            albumId,
            status = (choice.IsNoMatch ? MatchOutcome.NoMatch : MatchOutcome.Matched).ToColumn(),
            reason,
            masterId,
            releaseId,
            score = scores?.Total,
            titleScore = scores?.Title,
            artistScore = scores?.Artist,
            yearScore = scores?.Year,
            decidedBy = "person",
        }, transaction, cancellationToken: cancellationToken));
        if (fetched is not null)
        {
            var decision = new EnrichmentResult
            {
                AlbumId = albumId,
                Mode = EnrichmentMode.Genres, // not written: the row keeps its mode
                Status = MatchOutcome.Matched,
                ReasonCode = "manual",
                Reason = reason,
                Manual = true,
                MasterId = masterId,
                ReleaseId = releaseId,
            };
            var data = writer.DiscogsData(AlbumEnricher.WithFetched(decision, fetched.Master, fetched.Release));
            await connection.ExecuteAsync(new CommandDefinition(data.Sql, data.Parameters, transaction, cancellationToken: cancellationToken));
        }

        // Queued in the same transaction as the decision, so the album's data follows it (AlbumJobRequests' statement).
        await connection.ExecuteScalarAsync<int>(new CommandDefinition(AlbumJobSql.Request,
            new { ids = new[] { albumId }, mode = (string?)null, overwriteManual = false, reason = "match decided by " + actor }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Keeps the candidates and the mode of an earlier automatic decision: they still explain the album.</summary>
    private const string UpsertSql = """
        INSERT INTO album_matches (album_id, status, reason_code, reason, master_id, release_id, score, title_score, artist_score,
                                   year_score, mode, manual, decided_by, matched_at)
        VALUES (@albumId, @status, 'manual', @reason, @masterId, @releaseId, @score, @titleScore, @artistScore, @yearScore,
                'genres', true, @decidedBy, now())
        ON CONFLICT (album_id) DO UPDATE
        SET status = EXCLUDED.status, reason_code = 'manual', reason = EXCLUDED.reason, master_id = EXCLUDED.master_id,
            release_id = EXCLUDED.release_id, score = EXCLUDED.score, title_score = EXCLUDED.title_score,
            artist_score = EXCLUDED.artist_score, year_score = EXCLUDED.year_score, manual = true,
            decided_by = EXCLUDED.decided_by, matched_at = now()
        """;
}
