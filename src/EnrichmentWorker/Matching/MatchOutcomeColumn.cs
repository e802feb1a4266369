namespace EnrichmentWorker.Matching;

/// <summary>
/// <see cref="MatchOutcome"/> as album_matches.status stores it (and as the metrics, the export and the pages show it):
/// the one mapping between the two. Dapper sends an enum as its number, so the text is always chosen here.
/// </summary>
public static class MatchOutcomeColumn
{
    public const string Matched = "matched";
    public const string NeedsReview = "needs_review";
    public const string NoMatch = "no_match";

    public static string ToColumn(this MatchOutcome outcome) => outcome switch
    {
        MatchOutcome.Matched => Matched,
        MatchOutcome.NeedsReview => NeedsReview,
        MatchOutcome.NoMatch => NoMatch,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    public static MatchOutcome FromColumn(string status) => status switch
    {
        Matched => MatchOutcome.Matched,
        NeedsReview => MatchOutcome.NeedsReview,
        NoMatch => MatchOutcome.NoMatch,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "album_matches.status holds matched, needs_review or no_match."),
    };
}
