using System.Text.Json;
using System.Text.Json.Serialization;
using EnrichmentWorker.Library;

namespace EnrichmentWorker.Dashboard;

// What the dashboard shows, as read by DashboardQueries. The same records are the JSON API's responses.

public sealed record StateCount(string State, long Count, bool Estimated);

public sealed record ThroughputPoint(DateTime At, long Succeeded, long Failed);

public sealed record HistoryPoint(DateTime At, long Finished);

/// <summary>An album's live job: its Hangfire job (null: not handed to Hangfire yet) and that job's state.</summary>
public sealed record AlbumJobRow(long? HangfireJobId, string State, bool Rerun, string? Reason, DateTime RequestedAt);

/// <summary>One line of an album's enrichment history (album_job_history), which outlives Hangfire's expiry.</summary>
public sealed record HistoryRow(long Id, DateTime At, string State, string? Reason, long? HangfireJobId, int? Attempt, string? ExceptionType, string? Message);

public sealed class MatchRow
{
    public long AlbumId { get; init; }

    public string Status { get; init; } = "";

    public string ReasonCode { get; init; } = "";

    public string Reason { get; init; } = "";

    public long? MasterId { get; init; }

    public long? ReleaseId { get; init; }

    public float? Score { get; init; }

    public float? TitleScore { get; init; }

    public float? ArtistScore { get; init; }

    public float? YearScore { get; init; }

    [JsonIgnore] public string CandidatesJson { get; init; } = "";

    public int RequestsSpent { get; init; }

    public string Mode { get; init; } = "";

    public bool Manual { get; init; }

    public string DecidedBy { get; init; } = "";

    public string? Country { get; init; }

    public string[] Formats { get; init; } = [];

    public string? CoverImageUrl { get; init; }

    public string? ThumbnailUrl { get; init; }

    public DateTime MatchedAt { get; init; }

    public IReadOnlyList<MatchCandidateView> Candidates => MatchCandidateView.Parse(CandidatesJson);
}

public sealed record CandidateScores(double? Title, double? Artist, double? Year, double? Total);

/// <summary>One candidate from album_matches.candidates (its shape is documented in migration 0004).</summary>
public sealed record MatchCandidateView(
    string Kind, long Id, long? MasterId, string? Title, IReadOnlyList<string>? Artists, int? Year, int? MasterYear,
    CandidateScores? Scores, string? Rejected)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Tolerant: a candidate list the dashboard cannot read shows as empty rather than breaking the page.</summary>
    public static IReadOnlyList<MatchCandidateView> Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<MatchCandidateView>>(json, Json)?.Where(c => c.Kind is "master" or "release").ToList() ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

public sealed class ReleaseRow
{
    public long Id { get; init; }

    public long? MasterId { get; init; }

    public string Title { get; init; } = "";

    public string[] Artists { get; init; } = [];

    public int? Year { get; init; }

    public string? Released { get; init; }

    public string? Country { get; init; }

    [JsonIgnore] public string FormatsJson { get; init; } = "";

    public string? DataQuality { get; init; }

    public int? CommunityHave { get; init; }

    public int? CommunityWant { get; init; }

    public float? RatingAverage { get; init; }

    public int? RatingCount { get; init; }

    public decimal? LowestPrice { get; init; }

    public int? NumForSale { get; init; }

    public string? CoverImageUrl { get; init; }

    public string? ThumbnailUrl { get; init; }

    [JsonIgnore] public string TracklistJson { get; init; } = "";

    [JsonIgnore] public string IdentifiersJson { get; init; } = "";

    public DateTime FetchedAt { get; init; }

    public JsonElement Formats => JsonDocument.Parse(FormatsJson).RootElement.Clone();

    public JsonElement Tracklist => JsonDocument.Parse(TracklistJson).RootElement.Clone();

    public JsonElement Identifiers => JsonDocument.Parse(IdentifiersJson).RootElement.Clone();

    /// <summary>"Vinyl, LP, Album" lines, one per format entry.</summary>
    public IReadOnlyList<string> FormatLines()
    {
        var lines = new List<string>();
        if (Formats.ValueKind != JsonValueKind.Array)
        {
            return lines;
        }

        foreach (var format in Formats.EnumerateArray())
        {
            var parts = new List<string>();
            if (format.TryGetProperty("qty", out var qty) && qty.ToString() is { Length: > 0 } q && q != "1")
            {
                parts.Add(q + " ×");
            }

            if (format.TryGetProperty("name", out var name))
            {
                parts.Add(name.ToString());
            }

            if (format.TryGetProperty("descriptions", out var descriptions) && descriptions.ValueKind == JsonValueKind.Array)
            {
                parts.AddRange(descriptions.EnumerateArray().Select(d => d.ToString()));
            }

            lines.Add(string.Join(", ", parts));
        }

        return lines;
    }
}

public sealed class MasterRow
{
    public long Id { get; init; }

    public string Title { get; init; } = "";

    public string[] Artists { get; init; } = [];

    public int? Year { get; init; }

    public long? MainReleaseId { get; init; }

    public string[] Genres { get; init; } = [];

    public string[] Styles { get; init; } = [];
}

public sealed record LabelRow(int Position, long? LabelId, string Name, string? CatalogNumber);

public sealed record CreditRow(int Position, string Name, string? Anv, string Role, long? ArtistId, string? Tracks);

public sealed record GenreRow(string Name, string Kind, string Source);

public sealed record AlbumEnrichment(
    StoredAlbum Album, MatchRow? Match, ReleaseRow? Release, MasterRow? Master, IReadOnlyList<LabelRow> Labels,
    IReadOnlyList<CreditRow> Credits, IReadOnlyList<GenreRow> Genres, AlbumJobRow? Job, IReadOnlyList<HistoryRow> History);

public sealed record ReviewRow(long AlbumId, string Artist, string Title, int? Year, string Reason, float? Score,
    [property: JsonIgnore] string CandidatesJson, DateTime MatchedAt)
{
    public IReadOnlyList<MatchCandidateView> Candidates => MatchCandidateView.Parse(CandidatesJson);
}

/// <summary>A page of the needs-review list; <c>NextAfter</c> is the cursor for the next page, null on the last.</summary>
public sealed record ReviewList(IReadOnlyList<ReviewRow> Albums, string? NextAfter);

/// <summary>
/// Where a needs-review page ends: the last row's score and album id, written <c>SCORE_ALBUMID</c> (e.g.
/// <c>0.83_1042</c>). The score is written in its shortest round-trip form, so the next page starts exactly after it.
/// </summary>
public sealed record ReviewCursor(float Score, long AlbumId)
{
    /// <summary>What an album without a score sorts as (the query's coalesce): after every real score, 0 to 1.</summary>
    public const float NoScore = -1;

    public override string ToString() =>
        Score.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "_" + AlbumId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed record QueueView(bool Paused, string? Reason, string? PausedBy, DateTime ChangedAt);

/// <summary>The backlog and how long it will take: at the measured rate, and at what the Discogs budget allows.</summary>
public sealed record BacklogView(long Ready, long Scheduled, double MeasuredPerMinute, double? BudgetPerMinute, double RequestsPerAlbum, TimeSpan? Eta, string EtaBasis)
{
    public double? EtaSeconds => Eta?.TotalSeconds;
}

public sealed record Overview(
    IReadOnlyList<StateCount> Counts, QueueView Queue, BacklogView Backlog, IReadOnlyList<ThroughputPoint> Throughput,
    BudgetView? Budget, DiscogsStatusView Discogs, int Servers, DateTime Now);

public sealed record History(IReadOnlyList<HistoryPoint> Hourly, IReadOnlyList<HistoryPoint> Daily);
