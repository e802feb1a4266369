using EnrichmentWorker.Telemetry;

namespace EnrichmentWorker.Discogs;

/// <summary>
/// One client span and one <c>discogs.requests</c> count per HTTP request (each retry is a request of its own, with
/// its own budget slot). It sits inside the error handler, so it sees the raw status (429, 5xx) before that becomes an
/// exception, and outside the budget handler, so the span shows the wait for a slot. Spans and metrics name the
/// endpoint by its template ("releases/{id}", "database/search"): never the URL, whose query holds search terms, and
/// never a header, which holds the token.
/// </summary>
internal sealed class DiscogsTelemetryHandler(EnrichmentTelemetry telemetry) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var endpoint = DiscogsEndpoint.Template(request.RequestUri);
        using var activity = telemetry.StartDiscogsRequestActivity(endpoint);
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            telemetry.RecordDiscogsRequest(endpoint, (int)response.StatusCode);
            return response;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or DiscogsTransientException)
        {
            // Sent but not answered (refused, reset, timed out): status 0, so these failures sit beside the statuses.
            telemetry.RecordDiscogsRequest(endpoint, 0);
            throw;
        }
    }
}

/// <summary>The low-cardinality name of a Discogs endpoint.</summary>
public static class DiscogsEndpoint
{
    /// <summary>The path with each numeric segment as <c>{id}</c> and without the query: <c>/masters/96559/versions?page=2</c> is <c>masters/{id}/versions</c>.</summary>
    public static string Template(Uri? uri)
    {
        if (uri is null)
        {
            return "unknown";
        }

        var path = uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?', '#')[0];
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(segment => segment.All(char.IsAsciiDigit) ? "{id}" : segment);
        return string.Join('/', segments);
    }
}
