using EnrichmentWorker.Discogs;
using EnrichmentWorker.Discogs.Models;
using EnrichmentWorker.Dumps;
using EnrichmentWorker.Matching;

namespace EnrichmentWorker.Enrichment;

/// <summary>
/// Decides one album's Discogs match and gathers what its mode needs, counting every request. Discogs errors
/// (rate limited, unauthorised, transient) propagate to the job handler, which knows what each means for the job.
/// With a Discogs dump installed the dump decides first, without a request (<see cref="DumpMatcher"/>); the API path
/// only when it cannot.
/// </summary>
public sealed class AlbumEnricher(AlbumMatcher matcher, DiscogsClient discogs, DumpMatcher? dumps = null)
{
    // A matched album whose chosen release 404s (hidden on Discogs) tries this many other releases of its master.
    private const int ReleaseFetchAttempts = 3;

    public async Task<EnrichmentResult> EnrichAsync(AlbumToEnrich album, EnrichmentMode mode, bool overwriteManual, CancellationToken cancellationToken)
    {
        if (album.Manual is { } manual && !overwriteManual)
        {
            return await ApplyManualAsync(album, manual, mode, cancellationToken);
        }

        var local = dumps is null ? null : await dumps.TryMatchAsync(album.Tags, cancellationToken);
        var decision = local ?? await matcher.MatchAsync(album.Tags, cancellationToken);
        var result = FromDecision(album.Id, mode, decision) with { MatchSource = local is null ? MatchSource.Api : MatchSource.Dump };
        if (decision.Outcome != MatchOutcome.Matched || mode != EnrichmentMode.Full)
        {
            return result;
        }

        if (local is not null && await WithDumpReleaseAsync(result, decision, cancellationToken) is { } fromDump)
        {
            return fromDump;
        }

        var requests = result.RequestsSpent;
        var toTry = ReleasesToTry(decision).Take(ReleaseFetchAttempts).ToList();
        DiscogsMaster? master = null;
        if (toTry.Count == 0 && decision.MasterId is { } masterId)
        {
            // Decided by a master search: no release in hand, and a master search result does not name its main
            // release. Full mode promises release details, so the master is asked for it (one request more).
            requests++;
            master = await discogs.GetMasterAsync(masterId, cancellationToken);
            if (master?.MainRelease is > 0 and var main)
            {
                toTry.Add(main);
            }
        }

        foreach (var releaseId in toTry)
        {
            requests++;
            var release = await discogs.GetReleaseAsync(releaseId, cancellationToken);
            if (release is not null)
            {
                return WithRelease(result with { RequestsSpent = requests, Master = master ?? result.Master }, release);
            }
        }

        // Every release tried was hidden: keep what the search result told us rather than fail the album.
        return result with { RequestsSpent = requests, Master = master ?? result.Master };
    }

    /// <summary>
    /// The re-check of a miss after a newer dump was installed (<see cref="DumpMissRecheck"/>): the dump alone, no
    /// request. Its result only when the dump now matches the album; null keeps the album's result as it is (a
    /// person's decision, no dump, or the dump still without a match: a miss is not replaced by another miss).
    /// </summary>
    public async Task<EnrichmentResult?> RecheckWithDumpAsync(AlbumToEnrich album, EnrichmentMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(album);
        if (dumps is null || album.Manual is not null || await dumps.TryMatchAsync(album.Tags, cancellationToken) is not { Outcome: MatchOutcome.Matched } decision)
        {
            return null;
        }

        var result = FromDecision(album.Id, mode, decision) with { MatchSource = MatchSource.Dump };
        return mode == EnrichmentMode.Full && await WithDumpReleaseAsync(result, decision, cancellationToken) is { } fromDump ? fromDump : result;
    }

    /// <summary>
    /// The result with the decided release from the releases dump, or null when the dump does not hold it. Marked as
    /// the dump's, so the writer keeps the community and marketplace figures the dump lacks.
    /// </summary>
    private async Task<EnrichmentResult?> WithDumpReleaseAsync(EnrichmentResult result, MatchDecision decision, CancellationToken cancellationToken) =>
        await dumps!.ReleaseAsync(decision, cancellationToken) is { } release ? WithRelease(result, release) with { ReleaseFromDump = true } : null;

    private async Task<EnrichmentResult> ApplyManualAsync(AlbumToEnrich album, ManualDecision manual, EnrichmentMode mode, CancellationToken cancellationToken)
    {
        var kept = new EnrichmentResult
        {
            AlbumId = album.Id,
            Mode = mode,
            Status = manual.Status,
            ReasonCode = "manual",
            Reason = manual.Status == MatchOutcome.NoMatch ? "a person decided there is no match" : "a person chose this match",
            Manual = true,
            MasterId = manual.MasterId,
            ReleaseId = manual.ReleaseId,
        };
        if (manual.Status != MatchOutcome.Matched)
        {
            return kept;
        }

        var requests = 0;
        DiscogsMaster? master = null;
        var releaseId = manual.ReleaseId;
        if (releaseId is null && manual.MasterId is { } masterId)
        {
            requests++;
            master = await discogs.GetMasterAsync(masterId, cancellationToken);
            releaseId = master?.MainRelease;
        }

        if (mode == EnrichmentMode.Full && releaseId is { } id)
        {
            requests++;
            var release = await discogs.GetReleaseAsync(id, cancellationToken);
            if (release is not null)
            {
                return WithRelease(kept with { RequestsSpent = requests, Master = master }, release);
            }
        }
        else if (master is null && releaseId is { } onlyRelease)
        {
            requests++;
            var release = await discogs.GetReleaseAsync(onlyRelease, cancellationToken);
            if (release is not null)
            {
                return WithRelease(kept with { RequestsSpent = requests }, release);
            }
        }

        return WithFetched(kept with { RequestsSpent = requests }, master, null);
    }

    /// <summary>
    /// A person's decision with what was fetched for it: the release's data when there is one, else the master's
    /// genres, styles and cover. The job's way (above) and the dashboard's, which fetches the pasted id before saving.
    /// </summary>
    public static EnrichmentResult WithFetched(EnrichmentResult decision, DiscogsMaster? master, DiscogsRelease? release) =>
        release is not null ? WithRelease(decision with { Master = master ?? decision.Master }, release)
        : master is null ? decision
        : decision with
        {
            Master = master,
            Genres = Genres(master.Genres, master.Styles, GenreSource.DiscogsMaster),
            CoverImageUrl = master.Images?.FirstOrDefault()?.Uri is { Length: > 0 } uri ? uri : null,
        };

    private static EnrichmentResult FromDecision(long albumId, EnrichmentMode mode, MatchDecision decision)
    {
        var best = decision.Outcome == MatchOutcome.Matched ? decision.Best : null;
        var candidate = best?.Candidate;
        var source = candidate?.Kind == CandidateKind.Master ? GenreSource.DiscogsMaster : GenreSource.DiscogsRelease;
        return new EnrichmentResult
        {
            AlbumId = albumId,
            Mode = mode,
            Status = decision.Outcome,
            ReasonCode = decision.Reason.ToString(),
            Reason = decision.Explanation,
            MasterId = decision.MasterId,
            ReleaseId = decision.ReleaseId,
            Best = decision.Best,
            Candidates = decision.Candidates,
            RequestsSpent = decision.RequestsSpent,
            Genres = candidate is null ? [] : Genres(candidate.Genres, candidate.Styles, source),
            Labels = candidate is null ? [] : candidate.Labels.Select((l, i) => new AlbumLabel(l, null, i < candidate.CatalogNumbers.Count ? candidate.CatalogNumbers[i] : null)).ToList(),
            Country = candidate?.Country,
            Formats = candidate?.Formats ?? [],
            CoverImageUrl = NonEmpty(candidate?.CoverImageUrl),
            ThumbnailUrl = NonEmpty(candidate?.ThumbnailUrl),
        };
    }

    /// <summary>The chosen release first, then other releases of the same album among the candidates.</summary>
    private static IEnumerable<long> ReleasesToTry(MatchDecision decision)
    {
        var seen = new HashSet<long>();
        if (decision.ReleaseId is { } chosen && seen.Add(chosen))
        {
            yield return chosen;
        }

        if (decision.Best is { } best)
        {
            foreach (var other in decision.Candidates.Where(c => c.AlbumKey == best.AlbumKey && c.Candidate.Kind == CandidateKind.Release))
            {
                if (seen.Add(other.Candidate.Id))
                {
                    yield return other.Candidate.Id;
                }
            }

            if (best.Candidate.MainReleaseId is { } main && seen.Add(main))
            {
                yield return main;
            }
        }
    }

    private static EnrichmentResult WithRelease(EnrichmentResult result, DiscogsRelease release)
    {
        var genres = result.Genres.Where(g => g.Source == GenreSource.DiscogsMaster)
            .Concat(Genres(release.Genres, release.Styles, GenreSource.DiscogsRelease))
            .Distinct()
            .ToList();
        var primary = release.Images?.FirstOrDefault(i => i.Type == "primary") ?? release.Images?.FirstOrDefault();
        return result with
        {
            Release = release,
            ReleaseId = release.Id,
            MasterId = result.MasterId ?? (release.MasterId is > 0 ? release.MasterId : null),
            Genres = genres,
            Labels = (release.Labels ?? []).Select(l => new AlbumLabel(l.Name, l.Id > 0 ? l.Id : null, l.Catno)).ToList(),
            Country = release.Country ?? result.Country,
            Formats = (release.Formats ?? []).Select(f => f.Name).Distinct().ToList() is { Count: > 0 } formats ? formats : result.Formats,
            CoverImageUrl = NonEmpty(primary?.Uri) ?? result.CoverImageUrl,
            ThumbnailUrl = NonEmpty(primary?.Uri150) ?? NonEmpty(release.Thumb) ?? result.ThumbnailUrl,
        };
    }

    private static List<AlbumGenre> Genres(IReadOnlyList<string>? genres, IReadOnlyList<string>? styles, GenreSource source) =>
        [.. (genres ?? []).Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => new AlbumGenre(g.Trim(), GenreKind.Genre, source))
            .Concat((styles ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => new AlbumGenre(s.Trim(), GenreKind.Style, source)))
            .Distinct()];

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
