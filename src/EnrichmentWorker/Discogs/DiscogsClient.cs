using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EnrichmentWorker.Discogs.Models;

namespace EnrichmentWorker.Discogs;

/// <summary>
/// The typed Discogs API client. Every call is one request (plus retries of transient faults), goes through the
/// shared budget, and either returns the parsed body, returns null for 404, or throws one of the
/// <see cref="DiscogsException"/> types.
/// </summary>
public sealed class DiscogsClient(HttpClient http, DiscogsResilience resilience)
{
    public Task<DiscogsSearchPage> SearchAsync(DiscogsSearchQuery query, CancellationToken cancellationToken) =>
        GetRequiredAsync(query.ToRelativeUrl(), DiscogsJsonContext.Default.DiscogsSearchPage, cancellationToken);

    public Task<DiscogsRelease?> GetReleaseAsync(long releaseId, CancellationToken cancellationToken) =>
        GetAsync(Path("releases", releaseId), DiscogsJsonContext.Default.DiscogsRelease, cancellationToken);

    public Task<DiscogsMaster?> GetMasterAsync(long masterId, CancellationToken cancellationToken) =>
        GetAsync(Path("masters", masterId), DiscogsJsonContext.Default.DiscogsMaster, cancellationToken);

    public Task<DiscogsMasterVersionsPage?> GetMasterVersionsAsync(long masterId, int page = 1, int perPage = 50, CancellationToken cancellationToken = default) =>
        GetAsync(Paged(Path("masters", masterId) + "/versions", page, perPage), DiscogsJsonContext.Default.DiscogsMasterVersionsPage, cancellationToken);

    public Task<DiscogsArtist?> GetArtistAsync(long artistId, CancellationToken cancellationToken) =>
        GetAsync(Path("artists", artistId), DiscogsJsonContext.Default.DiscogsArtist, cancellationToken);

    public Task<DiscogsArtistReleasesPage?> GetArtistReleasesAsync(long artistId, int page = 1, int perPage = 50, CancellationToken cancellationToken = default) =>
        GetAsync(Paged(Path("artists", artistId) + "/releases", page, perPage), DiscogsJsonContext.Default.DiscogsArtistReleasesPage, cancellationToken);

    public Task<DiscogsLabel?> GetLabelAsync(long labelId, CancellationToken cancellationToken) =>
        GetAsync(Path("labels", labelId), DiscogsJsonContext.Default.DiscogsLabel, cancellationToken);

    public Task<DiscogsMarketplaceStats?> GetMarketplaceStatsAsync(long releaseId, string? currency = null, CancellationToken cancellationToken = default) =>
        GetAsync(QueryString.Build(Path("marketplace/stats", releaseId), [("curr_abbr", currency)]), DiscogsJsonContext.Default.DiscogsMarketplaceStats, cancellationToken);

    /// <summary>The token check's endpoint (a 401 there is the check's answer, not news for the check).</summary>
    internal const string IdentityPath = "oauth/identity";

    /// <summary>Who the token belongs to; throws <see cref="DiscogsUnauthorizedException"/> for a missing or invalid token.</summary>
    public Task<DiscogsIdentity> GetIdentityAsync(CancellationToken cancellationToken) =>
        GetRequiredAsync(IdentityPath, DiscogsJsonContext.Default.DiscogsIdentity, cancellationToken);

    private static string Path(string collection, long id)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(id);
        return collection + "/" + id.ToString(CultureInfo.InvariantCulture);
    }

    private static string Paged(string path, int page, int perPage)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perPage, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(perPage, 100);
        return QueryString.Build(path, [
            ("page", page.ToString(CultureInfo.InvariantCulture)),
            ("per_page", perPage.ToString(CultureInfo.InvariantCulture)),
        ]);
    }

    private async Task<T> GetRequiredAsync<T>(string relativeUrl, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class =>
        await GetAsync(relativeUrl, type, cancellationToken)
        ?? throw new DiscogsBadRequestException("/" + relativeUrl, HttpStatusCode.NotFound, "Not found: this endpoint should always exist; check Discogs:BaseUrl.");

    private Task<T?> GetAsync<T>(string relativeUrl, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class =>
        resilience.ExecuteAsync("/" + relativeUrl, async token =>
        {
            // A new request message per attempt: a message cannot be sent twice.
            using var response = await http.GetAsync(relativeUrl, token);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            try
            {
                // The handlers buffered the body, so this reads memory: a cut connection has already surfaced.
                await using var body = await response.Content.ReadAsStreamAsync(token);
                return await JsonSerializer.DeserializeAsync(body, type, token)
                    ?? throw new JsonException("The body was JSON null.");
            }
            catch (JsonException ex)
            {
                var path = response.RequestMessage?.RequestUri?.PathAndQuery ?? "/" + relativeUrl;
                throw new DiscogsTransientException(
                    $"Discogs sent a malformed or truncated response for {path} ({ex.Message}); it will be retried.",
                    path,
                    response.StatusCode,
                    ex);
            }
        }, cancellationToken);
}
