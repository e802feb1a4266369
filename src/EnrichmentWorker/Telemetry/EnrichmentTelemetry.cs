using EnrichmentWorker.Matching;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EnrichmentWorker.Telemetry;

/// <summary>
/// The service's one ActivitySource and one Meter, both named <see cref="Name"/>, with a small typed method per
/// thing worth measuring, so the queue, the Discogs client and the matcher call a method instead of knowing
/// instrument names and tag keys. Tags are low-cardinality on purpose (no album ids on metrics: they go on spans).
/// Nothing here may carry a secret: callers pass endpoint names (route templates), never URLs with query strings.
/// </summary>
public sealed class EnrichmentTelemetry : IDisposable
{
    public const string Name = "EnrichmentWorker";

    private readonly Counter<long> _jobs;
    private readonly Histogram<double> _jobDuration;
    private readonly Counter<long> _discogsRequests;
    private readonly Counter<long> _discogsRateLimited;
    private readonly Histogram<double> _limiterWait;
    private readonly Counter<long> _matchOutcomes;
    private readonly Histogram<double> _matchScores;
    private readonly Lock _gate = new();
    private Func<QueueReading?>? _queueSource;
    private Func<int?>? _budgetSource;

    public EnrichmentTelemetry()
    {
        var version = typeof(EnrichmentTelemetry).Assembly.GetName().Version?.ToString(3);
        ActivitySource = new ActivitySource(Name, version);
        Meter = new Meter(Name, version);
        _jobs = Meter.CreateCounter<long>("enrichment.jobs", "{job}", "Jobs finished, by outcome.");
        _jobDuration = Meter.CreateHistogram<double>("enrichment.job.duration", "s", "Time a job spent processing, claim to finish.");
        Meter.CreateObservableGauge("enrichment.queue.depth", () => Observe(r => r.Depth), "{job}", "Jobs enqueued or scheduled, not yet claimed.");
        Meter.CreateObservableGauge("enrichment.queue.oldest_ready_age", () => Observe(r => r.OldestReadyAge?.TotalSeconds), "s", "Age of the oldest job that is ready to run.");
        _discogsRequests = Meter.CreateCounter<long>("discogs.requests", "{request}", "Discogs API requests, by endpoint and HTTP status.");
        _discogsRateLimited = Meter.CreateCounter<long>("discogs.rate_limited", "{response}", "Discogs 429 responses.");
        _limiterWait = Meter.CreateHistogram<double>("discogs.limiter.wait", "s", "Time a request waited for the shared budget.");
        Meter.CreateObservableGauge("discogs.budget.remaining", ObserveBudget, "{request}", "Requests left in the current Discogs window.");
        _matchOutcomes = Meter.CreateCounter<long>("enrichment.matches", "{album}", "Match decisions, by outcome.");
        _matchScores = Meter.CreateHistogram<double>("enrichment.match.score", "1", "Score of the chosen (or best) candidate, 0 to 1.");
    }

    public ActivitySource ActivitySource { get; }

    public Meter Meter { get; }

    /// <summary>A span for one job run; the Discogs calls and database work inside it become its children.</summary>
    public Activity? StartJobActivity(long albumId, long jobId)
    {
        var activity = ActivitySource.StartActivity("enrichment.job", ActivityKind.Internal);
        activity?.SetTag("enrichment.album_id", albumId);
        activity?.SetTag("enrichment.job_id", jobId);
        return activity;
    }

    /// <summary>A client span for one Discogs request; <paramref name="endpoint"/> is a template such as "releases/{id}".</summary>
    public Activity? StartDiscogsRequestActivity(string endpoint)
    {
        var activity = ActivitySource.StartActivity("discogs " + endpoint, ActivityKind.Client);
        activity?.SetTag("discogs.endpoint", endpoint);
        return activity;
    }

    public void RecordJobOutcome(TelemetryJobOutcome outcome, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("outcome", OutcomeTag(outcome));
        _jobs.Add(1, tag);
        _jobDuration.Record(duration.TotalSeconds, tag);
        var activity = Activity.Current;
        activity?.SetTag("enrichment.outcome", OutcomeTag(outcome));
        if (outcome is TelemetryJobOutcome.Failed or TelemetryJobOutcome.Retried)
        {
            activity?.SetStatus(ActivityStatusCode.Error, OutcomeTag(outcome));
        }
    }

    /// <summary>One Discogs response (or transport failure: status 0); a 429 also counts on its own counter.</summary>
    public void RecordDiscogsRequest(string endpoint, int statusCode)
    {
        _discogsRequests.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("status", statusCode));
        if (statusCode == 429)
        {
            _discogsRateLimited.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint));
        }

        var activity = Activity.Current;
        activity?.SetTag("http.response.status_code", statusCode);
        // A 404 is an answer the client expects (a hidden release); no answer at all (0) or any other 4xx/5xx is not.
        if (statusCode is 0 or (>= 400 and not 404))
        {
            activity?.SetStatus(ActivityStatusCode.Error, statusCode == 0 ? "no response" : statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Time a request waited for a slot of the shared budget; also a tag on the current (request) span.</summary>
    public void RecordLimiterWait(TimeSpan waited)
    {
        _limiterWait.Record(waited.TotalSeconds);
        Activity.Current?.SetTag("discogs.limiter.wait", waited.TotalSeconds);
    }

    public void RecordMatch(MatchOutcome outcome, double? score)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome.ToColumn());
        _matchOutcomes.Add(1, tag);
        if (score is { } value)
        {
            _matchScores.Record(value, tag);
        }
    }

    /// <summary>
    /// The queue registers a cheap callback (a cached reading, not a query: the SDK calls it on its export thread)
    /// for the depth and oldest-ready-age gauges. Disposing the result unregisters it.
    /// </summary>
    public IDisposable ObserveQueue(Func<QueueReading?> source)
    {
        lock (_gate)
        {
            _queueSource = source;
        }

        return new Unregister(() => { lock (_gate) { if (_queueSource == source) { _queueSource = null; } } });
    }

    /// <summary>The budget registers a callback for the requests left in the current window (null: unknown).</summary>
    public IDisposable ObserveBudget(Func<int?> source)
    {
        lock (_gate)
        {
            _budgetSource = source;
        }

        return new Unregister(() => { lock (_gate) { if (_budgetSource == source) { _budgetSource = null; } } });
    }

    private IEnumerable<Measurement<double>> Observe(Func<QueueReading, double?> select)
    {
        Func<QueueReading?>? source;
        lock (_gate)
        {
            source = _queueSource;
        }

        return source?.Invoke() is { } reading && select(reading) is { } value ? [new Measurement<double>(value)] : [];
    }

    private IEnumerable<Measurement<int>> ObserveBudget()
    {
        Func<int?>? source;
        lock (_gate)
        {
            source = _budgetSource;
        }

        return source?.Invoke() is { } remaining ? [new Measurement<int>(remaining)] : [];
    }

    private static string OutcomeTag(TelemetryJobOutcome outcome) => outcome switch
    {
        TelemetryJobOutcome.Succeeded => "succeeded",
        TelemetryJobOutcome.NoMatch => MatchOutcomeColumn.NoMatch,
        TelemetryJobOutcome.NeedsReview => MatchOutcomeColumn.NeedsReview,
        TelemetryJobOutcome.Retried => "retried",
        TelemetryJobOutcome.Snoozed => "snoozed",
        TelemetryJobOutcome.Failed => "failed",
        TelemetryJobOutcome.Cancelled => "cancelled",
        TelemetryJobOutcome.Released => "released",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    public void Dispose()
    {
        ActivitySource.Dispose();
        Meter.Dispose();
    }

    private sealed class Unregister(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}

/// <summary>How a job run ended, as the jobs metric counts it (the queue maps its own outcome types onto these).</summary>
public enum TelemetryJobOutcome
{
    Succeeded,
    NoMatch,
    NeedsReview,
    Retried,
    Snoozed,
    Failed,
    Cancelled,

    /// <summary>Handed back unfinished at shutdown or on a lost lease.</summary>
    Released,
}

/// <summary>What the queue gauges show: jobs waiting, and how long the oldest ready one has waited (null: none).</summary>
public sealed record QueueReading(long Depth, TimeSpan? OldestReadyAge);
