using System.Text.Json.Serialization;

namespace EnrichmentWorker.Matching;

// The explainable result of matching one album. The pipeline stores it as JSON (album_matches) and the dashboard
// shows it, so every enum serialises by name.

[JsonConverter(typeof(JsonStringEnumConverter<MatchOutcome>))]
public enum MatchOutcome
{
    Matched,
    NeedsReview,
    NoMatch,
}

/// <summary>Why the decider decided what it did.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MatchReason>))]
public enum MatchReason
{
    /// <summary>The best candidate cleared the threshold and led the next distinct master by the margin.</summary>
    Confident,

    /// <summary>The album's tags named the Discogs release or master, and it agrees with the tags.</summary>
    IdFromTags,

    /// <summary>The best candidate cleared the threshold, but another master scored too close to it.</summary>
    Ambiguous,

    /// <summary>The best candidate is plausible but scored below the threshold.</summary>
    BelowThreshold,

    /// <summary>The best candidate scored low, but its artist and year agree exactly with the album's: a person should look.</summary>
    NearMiss,

    /// <summary>Candidates were found, but none by the album's artist.</summary>
    ArtistMismatch,

    /// <summary>Candidates by the artist were found, but none scored even plausibly.</summary>
    LowScore,

    /// <summary>No search returned anything.</summary>
    NoCandidates,
}

/// <summary>The fields that contribute to a candidate's score (Lidarr's Distance keeps them the same way).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MatchField>))]
public enum MatchField
{
    Title,
    Artist,
    Year,
}

/// <summary>One field's part of a score: similarity in [0, 1], its weight, and what was compared.</summary>
public sealed record FieldScore(MatchField Field, double Similarity, double Weight, string Compared)
{
    public double Contribution => Similarity * Weight;
}

/// <summary>A candidate with its score broken down by field.</summary>
public sealed record ScoredCandidate(
    MatchCandidate Candidate,
    IReadOnlyList<FieldScore> Fields,
    double Total,
    bool PassedArtistGate)
{
    /// <summary>
    /// The key under which candidates count as the same album: the master id, or the negated release id for a release
    /// without a master.
    /// </summary>
    [JsonIgnore]
    public long AlbumKey => Candidate.MasterId is > 0
        ? Candidate.MasterId.Value
        : Candidate.Kind == CandidateKind.Master ? Candidate.Id : -Candidate.Id;

    public double Similarity(MatchField field)
    {
        foreach (var score in Fields)
        {
            if (score.Field == field)
            {
                return score.Similarity;
            }
        }

        return 0;
    }
}

/// <summary>What one request of the query plan asked and found.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<QueryStep>))]
public enum QueryStep
{
    ReleaseIdFromTags,
    MasterIdFromTags,
    BarcodeSearch,
    CatalogNumberSearch,
    MasterSearch,

    /// <summary>The fielded release search; before this plan, also the looser full-text one (now <see cref="LooseReleaseSearch"/>).</summary>
    ReleaseSearch,
    LooseReleaseSearch,
    TitleOnlySearch,
    TransliterationSearch,
    ArtistOnlySearch,

    /// <summary>A candidate's master or release fetched for its artist's id (search hits carry none).</summary>
    ArtistIdLookup,

    /// <summary><c>/artists/{id}</c>: the artist's name variations and aliases.</summary>
    ArtistNamesLookup,
}

public sealed record QueryAttempt(QueryStep Step, string Query, int Results);

/// <summary>The decision for one album, with everything needed to explain it.</summary>
public sealed record MatchDecision
{
    public required MatchOutcome Outcome { get; init; }

    public required MatchReason Reason { get; init; }

    /// <summary>One sentence for a person.</summary>
    public required string Explanation { get; init; }

    /// <summary>The best candidate (for a review, the one a person is asked to confirm); null when none passed the gate.</summary>
    public ScoredCandidate? Best { get; init; }

    /// <summary>The chosen master (Matched only), also when the winning candidate was one of its releases.</summary>
    public long? MasterId { get; init; }

    /// <summary>The chosen release (Matched only) when the winner was a release.</summary>
    public long? ReleaseId { get; init; }

    public double Score { get; init; }

    /// <summary>The lead over the next-best distinct album; its own score when no other album passed the artist gate.</summary>
    public double Margin { get; init; }

    /// <summary>Every candidate considered, best first.</summary>
    public IReadOnlyList<ScoredCandidate> Candidates { get; init; } = [];

    /// <summary>The requests made, in order; their count is what deciding this album cost.</summary>
    public IReadOnlyList<QueryAttempt> Queries { get; init; } = [];

    public int RequestsSpent => Queries.Count;
}
