namespace EnrichmentWorker.Telemetry;

/// <summary>Log scopes with the ids a person greps for; the console formatters print scopes.</summary>
public static class LoggerScopes
{
    /// <summary>
    /// Every line logged inside carries <c>JobId</c> and <c>AlbumId</c> (structured properties, and
    /// <c>=&gt; Job 12, album 345</c> on the console).
    /// </summary>
    public static IDisposable? BeginJobScope(this ILogger logger, long jobId, long albumId)
    {
        ArgumentNullException.ThrowIfNull(logger);
        return logger.BeginScope(new JobScope(jobId, albumId));
    }

    /// <summary>
    /// The scope state: a list of properties for structured sinks (OpenTelemetry, JSON console) and a short text
    /// for the simple and journal consoles.
    /// </summary>
    private sealed class JobScope(long jobId, long albumId) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 2;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("JobId", jobId),
            1 => new("AlbumId", albumId),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
            yield return this[1];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"Job {jobId}, album {albumId}";
    }
}
