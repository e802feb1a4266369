using System.Globalization;
using EnrichmentWorker.Discogs.Models;
using EnrichmentWorker.Library;
using EnrichmentWorker.Matching;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Dumps;

/// <summary>
/// The local candidate source: the installed dump's candidates for an album, through the same scorer and decision
/// rules as the API path, so a decision reads the same whichever source made it. It costs no request.
/// </summary>
/// <remarks>
/// The dump decides an album when the decision is settled (matched, or two albums too close to call), and also when
/// the album is not newer than the dump and the lookup read every candidate its keys name: the dump is the whole of
/// Discogs that month, so what it lacks (no such artist or title, or only the artist's other albums) the API's
/// search could not find either, and its needs-review or no-match is the one the API path would reach. Only an album
/// from a year after the dump, or one whose lookup stopped at its limit (an artist with more albums than a lookup
/// reads), goes to the API path, unless <see cref="DumpOptions.ApiFallback"/> is off.
/// </remarks>
public sealed class DumpMatcher(DumpCandidateLookup lookup, DumpReleaseReader releases, CandidateScorer scorer, MatchDecider decider, IOptions<DumpOptions> options)
{
    /// <summary>The dump's decision, or null when no dump is installed or the API path should decide.</summary>
    public async Task<MatchDecision?> TryMatchAsync(AlbumTags tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var album = CandidateScorer.Prepare(tags);
        if (await lookup.FindAsync(album, cancellationToken) is not { } found)
        {
            return null;
        }

        var scored = found.Candidates.Select(c => scorer.Score(album, c)).ToList();
        var decision = decider.Decide(scored, []);
        if (tags.DiscogsMasterId is { } tagged && scored.FirstOrDefault(s => s.Candidate.Kind == CandidateKind.Master && s.Candidate.Id == tagged) is { } named
            && named.PassedArtistGate && named.Similarity(MatchField.Title) >= 0.5)
        {
            // The API path's rule for an id in the tags: trusted when it agrees with them.
            decision = decision with
            {
                Outcome = MatchOutcome.Matched,
                Reason = MatchReason.IdFromTags,
                Explanation = string.Create(CultureInfo.InvariantCulture, $"The tags name Discogs master {tagged}, and it agrees with them (score {named.Total:0.###})."),
                Best = named,
                MasterId = tagged,
                ReleaseId = null,
                Score = named.Total,
            };
        }

        var notNewer = tags.Year is null || tags.Year <= found.DumpDate.Year;
        return MatchDecider.IsSettled(decision) || (notNewer && found.Complete) || !options.Value.ApiFallback ? decision : null;
    }

    /// <summary>The decided release from the releases dump (the chosen release, else the master's main release), or null.</summary>
    public Task<DiscogsRelease?> ReleaseAsync(MatchDecision decision, CancellationToken cancellationToken) =>
        (decision.ReleaseId ?? decision.Best?.Candidate.MainReleaseId) is { } releaseId
            ? releases.GetAsync(releaseId, cancellationToken)
            : Task.FromResult<DiscogsRelease?>(null);
}
