using EnrichmentWorker.Discogs;
using EnrichmentWorker.Discogs.Models;

namespace EnrichmentWorker.Dashboard;

/// <summary>A Discogs release or master a person named, as fetched: what the preview shows and what saving writes.</summary>
public sealed record FetchedMatch(DiscogsReference Reference, DiscogsMaster? Master, DiscogsRelease? Release)
{
    public string Title => Release?.Title ?? Master?.Title ?? "";

    public IReadOnlyList<string> Artists => [.. (Release?.Artists ?? Master?.Artists ?? []).Select(a => a.Name).Where(n => n.Length > 0)];

    public int? Year => (Release?.Year ?? Master?.Year) is > 0 and var year ? year : null;

    public IReadOnlyList<string> Genres => Release?.Genres ?? Master?.Genres ?? [];

    public IReadOnlyList<string> Styles => Release?.Styles ?? Master?.Styles ?? [];

    /// <summary>A release's master (absent for a release without one), or the master itself.</summary>
    public long? MasterId => Release is { } release ? (release.MasterId is > 0 ? release.MasterId : null) : Master?.Id;

    public long? ReleaseId => Release?.Id;

    /// <summary>"2 ×, Vinyl, LP, Album": one line per format entry, as the album page shows a release's formats.</summary>
    public IReadOnlyList<string> FormatLines => [.. (Release?.Formats ?? []).Select(f =>
        string.Join(", ", new[] { f.Qty is { Length: > 0 } q && q != "1" ? q + " ×" : null, f.Name }
            .Concat(f.Descriptions ?? [])
            .Where(p => !string.IsNullOrWhiteSpace(p))))];
}

/// <summary>Why a lookup brought nothing back; each one is a message for the person, and nothing is written.</summary>
public enum LookupFailure
{
    /// <summary>Discogs has no such release or master (404).</summary>
    NotFound,

    /// <summary>Discogs rejected the configured token (401).</summary>
    TokenRejected,

    /// <summary>Rate limited, or the shared budget had no room within <see cref="ManualMatchLookup.Patience"/>.</summary>
    Busy,

    /// <summary>Discogs did not answer, failed, or the circuit is open.</summary>
    Unreachable,

    /// <summary>Discogs refused the request itself (400/422).</summary>
    Refused,
}

/// <summary>Either what was fetched, or why not.</summary>
public sealed record MatchLookup(FetchedMatch? Found, LookupFailure? Failure, string Message)
{
    public static MatchLookup Of(FetchedMatch found) => new(found, null, $"Discogs {found.Reference}: “{found.Title}”.");

    public static MatchLookup Failed(LookupFailure failure, string message) => new(null, failure, message);
}

/// <summary>
/// Fetches the release or master a person pasted, through <see cref="DiscogsClient"/> and so through the shared
/// request budget like every other call (one request; Discogs' 429s and the budget's waits apply). Each failure
/// becomes a message, for a page or a problem document: nothing is saved on any of them.
/// </summary>
public sealed class ManualMatchLookup(DiscogsClient discogs, RateLimitWaits rateLimits, TimeProvider time)
{
    /// <summary>
    /// How long a person's page waits for Discogs. The client waits out a 429 in place and the budget waits for room;
    /// that suits a background job, but a person should get a message, not a tab that spins for a minute.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public async Task<MatchLookup> FetchAsync(DiscogsReference reference, CancellationToken cancellationToken)
    {
        using var patience = new CancellationTokenSource(Patience, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, patience.Token);
        using var waits = rateLimits.Begin();
        const string NothingSaved = " Nothing was saved.";
        try
        {
            if (reference.Entity == DiscogsEntity.Master)
            {
                return await discogs.GetMasterAsync(reference.Id, linked.Token) is { } master
                    ? MatchLookup.Of(new FetchedMatch(reference, master, null))
                    : NotFound(reference);
            }

            return await discogs.GetReleaseAsync(reference.Id, linked.Token) is { } release
                ? MatchLookup.Of(new FetchedMatch(reference, null, release))
                : NotFound(reference);
        }
        catch (OperationCanceledException) when (patience.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var why = waits.Until.Count > 0
                ? $"Discogs is rate limiting this IP until {waits.Until.Max():HH:mm:ss} UTC, and the request waits for that."
                : "The shared Discogs request budget had no room for it (the jobs are using it, or Discogs asked everyone to wait), or Discogs is slow.";
            return MatchLookup.Failed(LookupFailure.Busy,
                $"Discogs was not asked for {reference} within {Patience.TotalSeconds:0} s: {why} Try again in a minute." + NothingSaved);
        }
        catch (DiscogsRateLimitedException ex)
        {
            return MatchLookup.Failed(LookupFailure.Busy, $"Discogs is rate limiting this IP until {ex.RetryAt:HH:mm:ss} UTC; try again then." + NothingSaved);
        }
        catch (DiscogsUnauthorizedException ex)
        {
            // The exception's message names the setting to fix and never the token itself.
            return MatchLookup.Failed(LookupFailure.TokenRejected, ex.Message + NothingSaved);
        }
        catch (DiscogsTransientException ex)
        {
            return MatchLookup.Failed(LookupFailure.Unreachable, $"Discogs could not be reached for {reference}: {ex.Message}" + NothingSaved);
        }
        catch (DiscogsBadRequestException ex)
        {
            return MatchLookup.Failed(LookupFailure.Refused, ex.Message + NothingSaved);
        }
    }

    private static MatchLookup NotFound(DiscogsReference reference) =>
        MatchLookup.Failed(LookupFailure.NotFound, $"Discogs has no {reference} (or it is hidden). Check the address or id; nothing was saved.");
}
