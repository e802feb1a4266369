using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EnrichmentWorker.Discogs.Models;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Discogs;

// The typed client's handler chain, outermost first (STYLE 8):
//   DiscogsErrorHandler     maps statuses and network faults to the typed exceptions
//   DiscogsTelemetryHandler a client span and the request counters per attempt, with the raw status
//   DiscogsBudgetHandler    takes a slot of the shared budget before sending, feeds the rate-limit headers back after
//   DiscogsTimeoutHandler   bounds one attempt (send and body), after the budget wait, so a long wait is not a timeout
//   (IHttpClientFactory's logging handler)
//   DiscogsAuthHandler      adds Authorization and User-Agent: the primary handler's wrapper, below every logger
// Polly's retry and circuit breaker wrap the whole chain in DiscogsClient, so every retry takes a new budget slot.

/// <summary>Adds the token and the User-Agent to every request. Reads the options per request, so a new token applies at once.</summary>
internal sealed class DiscogsAuthHandler(IOptionsMonitor<DiscogsOptions> options) : DelegatingHandler
{
    /// <summary>The client's primary handler: <paramref name="transport"/> with the token added just before it.</summary>
    public static HttpMessageHandler Around(HttpMessageHandler transport, IServiceProvider provider) =>
        new DiscogsAuthHandler(provider.GetRequiredService<IOptionsMonitor<DiscogsOptions>>()) { InnerHandler = transport };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        request.Headers.UserAgent.Clear();
        request.Headers.TryAddWithoutValidation("User-Agent", DiscogsOptions.UserAgent);
        if (current.HasToken)
        {
            // Validated as printable ASCII at start-up; TryAdd... so a bad value can never be echoed by a FormatException.
            request.Headers.TryAddWithoutValidation("Authorization", "Discogs token=" + current.Token!.Trim());
        }

        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.discogs.v2.discogs+json"));
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Takes a budget slot before each attempt and reports the response's rate-limit headers and 429s.</summary>
internal sealed class DiscogsBudgetHandler(DiscogsRequestBudget budget, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var grant = await budget.AcquireAsync(cancellationToken);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The request may have reached Discogs and been counted: keep it counted from now on.
            await budget.ObserveAsync(grant, new RateLimitObservation(null, null, null, false, null), time.GetUtcNow(), CancellationToken.None);
            throw;
        }

        // Stamped before waiting to change the budget's row (see ObserveAsync).
        var answeredAt = time.GetUtcNow();
        try
        {
            await budget.ObserveAsync(grant, RateLimitHeaders.Read(response, answeredAt), answeredAt, cancellationToken);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        return response;
    }
}

/// <summary>Bounds one attempt, headers and body, and buffers the body so a reset mid-body surfaces here as a fault.</summary>
internal sealed class DiscogsTimeoutHandler(IOptionsMonitor<DiscogsOptions> options, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var timeout = options.CurrentValue.RequestTimeout;
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, linked.Token);
            await response.Content.LoadIntoBufferAsync(linked.Token);
            return response;
        }
        catch (OperationCanceledException ex) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            response?.Dispose();
            throw new DiscogsTransientException(
                $"Discogs did not answer {DiscogsErrorHandler.PathOf(request)} within {timeout.TotalSeconds:0.###} s (Discogs:RequestTimeout).",
                DiscogsErrorHandler.PathOf(request),
                innerException: ex);
        }
        catch
        {
            response?.Dispose();
            throw;
        }
    }
}

/// <summary>Turns HTTP statuses and network faults into the exception types the job layer acts on. A 404 passes through.</summary>
internal sealed class DiscogsErrorHandler(DiscogsConnectionStatus status, IOptionsMonitor<DiscogsOptions> options, TimeProvider time) : DelegatingHandler
{
    public static string PathOf(HttpRequestMessage request) => request.RequestUri?.PathAndQuery ?? "(no path)";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = PathOf(request);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            // The message names the host and the socket error, never a header.
            throw new DiscogsTransientException($"Could not talk to Discogs for {path}: {ex.Message}", path, innerException: ex);
        }
        catch (IOException ex)
        {
            throw new DiscogsTransientException($"The connection to Discogs broke during {path}: {ex.Message}", path, innerException: ex);
        }

        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound)
        {
            return response;
        }

        using (response)
        {
            var code = response.StatusCode;
            var message = await ServerMessageAsync(response, cancellationToken);
            switch ((int)code)
            {
                case 401:
                    var unauthorized = new DiscogsUnauthorizedException(path, message, options.CurrentValue.HasToken);
                    status.ReportUnauthorized(unauthorized.Message, time.GetUtcNow(), request.RequestUri?.AbsolutePath.EndsWith("/" + DiscogsClient.IdentityPath, StringComparison.Ordinal) == true);
                    throw unauthorized;
                case 429:
                    var retryAfter = RateLimitHeaders.RetryAfter(response, time.GetUtcNow()) ?? options.CurrentValue.DefaultRetryAfter;
                    throw new DiscogsRateLimitedException(path, retryAfter, time.GetUtcNow() + retryAfter);
                case 408:
                case >= 500:
                    throw new DiscogsTransientException(
                        $"Discogs failed to answer {path} ({(int)code} {response.ReasonPhrase}: {message ?? "no reason given"}); it will be retried.",
                        path,
                        code);
                default:
                    throw new DiscogsBadRequestException(path, code, message);
            }
        }
    }

    /// <summary>The <c>message</c> of a Discogs error body, shortened; null when the body is not one.</summary>
    private static async Task<string?> ServerMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var error = JsonSerializer.Deserialize(body, DiscogsJsonContext.Default.DiscogsErrorBody);
            var text = error?.Message;
            return text is { Length: > 300 } ? text[..300] + "…" : text;
        }
        catch (Exception ex) when (ex is JsonException or IOException or HttpRequestException)
        {
            // Not a JSON error body (an HTML 502 page, a cut connection): the status code says enough.
            return null;
        }
    }
}

/// <summary>Reads X-Discogs-Ratelimit, -Used, -Remaining and Retry-After.</summary>
internal static class RateLimitHeaders
{
    public static RateLimitObservation Read(HttpResponseMessage response, DateTimeOffset now)
    {
        var rateLimited = response.StatusCode == HttpStatusCode.TooManyRequests;
        return new RateLimitObservation(
            Number(response, "X-Discogs-Ratelimit"),
            Number(response, "X-Discogs-Ratelimit-Used"),
            Number(response, "X-Discogs-Ratelimit-Remaining"),
            rateLimited,
            rateLimited ? RetryAfter(response, now) : null);
    }

    /// <summary>Retry-After as seconds or as an HTTP date; null when absent or unreadable.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static int? Number(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
