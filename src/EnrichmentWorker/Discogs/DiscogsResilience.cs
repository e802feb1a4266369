using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace EnrichmentWorker.Discogs;

/// <summary>
/// Polly.Core around each Discogs call: retries transient faults with jittered exponential backoff, and a circuit
/// breaker that stops hammering a Discogs that keeps failing. Only <see cref="DiscogsTransientException"/> is handled:
/// a 429 is the budget's business (retrying it inside would spend requests the server just refused), and 401/400/404
/// never improve by asking again. One instance per process, so the breaker sees every worker's calls. While the circuit
/// is open, <see cref="DiscogsConnectionStatus.Outage"/> says so, for the dashboard, health and the status line.
/// A 429 is waited out in place (<see cref="ExecuteAsync{T}"/>), so the call's caller keeps what it already has.
/// </summary>
public sealed class DiscogsResilience
{
    private readonly RateLimitWaits _waits;
    private readonly ILogger<DiscogsResilience> _logger;
    private readonly int _maxRateLimitWaits;

    // UTC ticks of the first transient failure since the last success; 0 while calls succeed.
    private long _failingSince;

    public DiscogsResilience(IOptions<DiscogsOptions> options, TimeProvider time, RateLimitWaits waits, ILogger<DiscogsResilience> logger, DiscogsConnectionStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        _waits = waits;
        _logger = logger;
        _maxRateLimitWaits = options.Value.MaxRateLimitWaits;
        var o = options.Value;
        var transient = new PredicateBuilder().Handle<DiscogsTransientException>();
        // Discogs:MaxRetries = 0 means no retry inside a call (Polly's retry refuses 0 attempts, so it is left out).
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        Pipeline = (o.MaxRetries > 0 ? builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = o.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.RetryBaseDelay,
                MaxDelay = o.RetryMaxDelay,
                OnRetry = args =>
                {
                    logger.LogWarning(
                        "Discogs call failed ({Error}); retry {Attempt} of {Max} in {Delay:0.##} s",
                        args.Outcome.Exception?.Message, args.AttemptNumber + 1, o.MaxRetries, args.RetryDelay.TotalSeconds);
                    return default;
                },
            }) : builder)
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = o.CircuitBreakerFailureRatio,
                MinimumThroughput = o.CircuitBreakerMinimumThroughput,
                SamplingDuration = o.CircuitBreakerSamplingDuration,
                BreakDuration = o.CircuitBreakerBreakDuration,
                OnOpened = args =>
                {
                    logger.LogWarning("Discogs keeps failing; calls pause for {Seconds:0.#} s (circuit open)", args.BreakDuration.TotalSeconds);
                    var since = Interlocked.Read(ref _failingSince) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : time.GetUtcNow();
                    status.ReportUnreachable(since, args.Outcome.Exception?.Message ?? "Discogs keeps failing.");
                    return default;
                },
                OnClosed = _ =>
                {
                    logger.LogInformation("Discogs answers again; circuit closed");
                    status.ReportReachable();
                    return default;
                },
            })
            .Build();
        BreakDuration = o.CircuitBreakerBreakDuration;
        Time = time;
    }

    public ResiliencePipeline Pipeline { get; }

    private TimeSpan BreakDuration { get; }

    private TimeProvider Time { get; }

    /// <summary>
    /// Runs one call. A circuit that was already open when the call began is waited out, like the budget: the call
    /// sent nothing, so failing it would spend a job attempt for nothing, and while the circuit is open every worker
    /// would claim job after job and burn an attempt of each (measured: a burst of 12 server errors cost 12 albums
    /// 4 to 5 attempts each). Only when this call's own requests failed and then met the open circuit does it fail,
    /// as a transient fault the job layer retries with backoff.
    /// </summary>
    /// <remarks>
    /// A 429 is not a failure: the budget has already pushed every worker of every process back until Retry-After, so
    /// the call waits that out here and asks again, and the job that made it keeps every answer it already had (a job
    /// restarted from its first search spent ~38 extra requests in a run with 62 × 429). Only after
    /// <see cref="DiscogsOptions.MaxRateLimitWaits"/> 429s in a row on one call does it give up.
    /// </remarks>
    public async Task<T> ExecuteAsync<T>(string path, Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
    {
        var sentAndFailed = false;
        var rateLimited = 0;
        while (true)
        {
            try
            {
                return await Pipeline.ExecuteAsync(async token =>
                {
                    try
                    {
                        var result = await call(token);
                        Interlocked.Exchange(ref _failingSince, 0);
                        return result;
                    }
                    catch (DiscogsTransientException)
                    {
                        sentAndFailed = true;
                        Interlocked.CompareExchange(ref _failingSince, Time.GetUtcNow().UtcTicks, 0);
                        throw;
                    }
                }, cancellationToken);
            }
            catch (DiscogsRateLimitedException ex) when (rateLimited++ < _maxRateLimitWaits)
            {
                _waits.Record(ex.RetryAt);
                _logger.LogWarning("Rate limited by Discogs on {Path} until {Until:u}; waiting in place (no attempt spent)", path, ex.RetryAt);
                await Task.Delay(ex.RetryAfter, Time, cancellationToken);
            }
            catch (BrokenCircuitException ex) when (!sentAndFailed)
            {
                // Half-open: another call is the trial; a short wait sees how it went.
                var wait = ex.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero ? retryAfter : BreakDuration / 10;
                await Task.Delay(wait, Time, cancellationToken);
            }
            catch (BrokenCircuitException ex)
            {
                throw new DiscogsTransientException(
                    $"Discogs failed repeatedly, so calls are paused for up to {BreakDuration.TotalSeconds:0.#} s (circuit open); {path} was not sent again.",
                    path,
                    innerException: ex);
            }
        }
    }
}
