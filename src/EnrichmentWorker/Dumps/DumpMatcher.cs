using System.Globalization;
using EnrichmentWorker.Discogs.Models;
using EnrichmentWorker.Matching;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Dumps;

/// <summary>
/// The local candidate source: the installed dump's candidates for an album, through the same scorer and decision
/// rules as the API path, so a decision reads the same whichever source made it. It costs no request.
/// </summary>
/// <remarks>
/// The dump decides an album when the decision is settled (matched, or two albums too close to call), and also when
/// it found nothing at all for an album not newer than the dump: Discogs had no such artist or title that month,
/// and the API's search would find nothing the dump lacks. Anything else (candidates by the artist, none good enough;
/// an album from a year after the dump) goes to the API path, unless <see cref="DumpOptions.ApiFallback"/> is off.
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

        var nothingThen = decision.Reason == MatchReason.NoCandidates && (tags.Year is null || tags.Year <= found.DumpDate.Year);
        return MatchDecider.IsSettled(decision) || nothingThen || !options.Value.ApiFallback ? decision : null;
    }

    /// <summary>The decided release from the releases dump (the chosen release, else the master's main release), or null.</summary>
    public Task<DiscogsRelease?> ReleaseAsync(MatchDecision decision, CancellationToken cancellationToken) =>
        (decision.ReleaseId ?? decision.Best?.Candidate.MainReleaseId) is { } releaseId
            ? releases.GetAsync(releaseId, cancellationToken)
            : Task.FromResult<DiscogsRelease?>(null);
}
