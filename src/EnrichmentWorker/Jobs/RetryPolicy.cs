namespace EnrichmentWorker.Jobs;

/// <summary>Exponential backoff with jitter, as a pure function (River's retrypolicy, Polly's RetryHelper).</summary>
public static class RetryPolicy
{
    /// <summary>
    /// Delay before the run after <paramref name="attempt"/> (1-based) failed: base·2^(attempt-1), capped, then
    /// jittered to 75%-125% so jobs failing together do not retry in lockstep.
    /// </summary>
    public static TimeSpan NextDelay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponent = Math.Min(attempt - 1, 30);
        var raw = Math.Min(baseDelay.TotalSeconds * Math.Pow(2, exponent), maxDelay.TotalSeconds);
        var jittered = raw * (0.75 + (0.5 * Math.Clamp(random, 0, 1)));
        return TimeSpan.FromSeconds(Math.Min(jittered, maxDelay.TotalSeconds));
    }
}
