using System.Net;

namespace EnrichmentWorker.Discogs;

// Each failure the job layer reacts to differently is its own type (STYLE "name each outcome"):
//   DiscogsUnauthorizedException  -> pause the queue; never retried (a bad token only burns budget)
//   DiscogsRateLimitedException   -> snooze by RetryAfter; never counted as a failed attempt
//   DiscogsTransientException     -> retried here (Polly), then retried by the queue with backoff
//   DiscogsBadRequestException    -> the query is wrong; retrying sends the same wrong query
// A 404 is not an exception: the client returns null. Messages never contain the token or request headers.

/// <summary>Any failed Discogs call. <see cref="RequestPath"/> is the path and query only (no host, no credentials).</summary>
public abstract class DiscogsException(string message, string requestPath, HttpStatusCode? statusCode, Exception? innerException = null)
    : Exception(message, innerException)
{
    public string RequestPath { get; } = requestPath;

    public HttpStatusCode? StatusCode { get; } = statusCode;
}

/// <summary>401: the token is missing, invalid or revoked.</summary>
public sealed class DiscogsUnauthorizedException(string requestPath, string? serverMessage, bool tokenConfigured)
    : DiscogsException(
        tokenConfigured
            ? $"Discogs rejected the token (401 on {requestPath}: {serverMessage ?? "no reason given"}). Check DISCOGS_TOKEN or Discogs:Token; create a new token at https://www.discogs.com/settings/developers."
            : $"Discogs requires a token for {requestPath} (401: {serverMessage ?? "no reason given"}). Set DISCOGS_TOKEN or Discogs:Token; get one at https://www.discogs.com/settings/developers.",
        requestPath,
        HttpStatusCode.Unauthorized)
{
    public string? ServerMessage { get; } = serverMessage;
}

/// <summary>429: too many requests from this IP. Every process has already been pushed back by <see cref="RetryAfter"/>.</summary>
public sealed class DiscogsRateLimitedException(string requestPath, TimeSpan retryAfter, DateTimeOffset retryAt)
    : DiscogsException(
        $"Discogs is rate limiting this IP (429 on {requestPath}); every worker waits {retryAfter.TotalSeconds:0.#} s, until {retryAt:u}. This is not a failure; if it happens often, another program on this IP uses Discogs too, or Discogs:RequestsPerMinute is set too high.",
        requestPath,
        HttpStatusCode.TooManyRequests)
{
    public TimeSpan RetryAfter { get; } = retryAfter;

    public DateTimeOffset RetryAt { get; } = retryAt;
}

/// <summary>A fault that may pass: 5xx, a timeout, a reset connection, a truncated or malformed body, or an open circuit.</summary>
public sealed class DiscogsTransientException(string message, string requestPath, HttpStatusCode? statusCode = null, Exception? innerException = null)
    : DiscogsException(message, requestPath, statusCode, innerException);

/// <summary>400 or 422: Discogs refused the query itself; the same query will be refused again.</summary>
public sealed class DiscogsBadRequestException(string requestPath, HttpStatusCode statusCode, string? serverMessage)
    : DiscogsException(
        $"Discogs refused the request {requestPath} ({(int)statusCode}: {serverMessage ?? "no reason given"}). The query is not valid; it will not be retried.",
        requestPath,
        statusCode)
{
    public string? ServerMessage { get; } = serverMessage;
}
