namespace EnrichmentWorker.Matching;

public static class MatchingServiceCollectionExtensions
{
    /// <summary>
    /// The matcher: pure scoring and deciding, and the query plan over <see cref="IDiscogsSearch"/> (registered by the
    /// Discogs client).
    /// </summary>
    public static IServiceCollection AddMatching(this IServiceCollection services)
    {
        services.AddOptions<MatchingOptions>()
            .BindConfiguration(MatchingOptions.Section)
            .ValidateDataAnnotations()
            // Settings that only make sense together are checked together, and the message names both.
            .Validate(o => o.ReviewThreshold <= o.MatchThreshold,
                $"{MatchingOptions.Section}:{nameof(MatchingOptions.ReviewThreshold)} must be at or below {MatchingOptions.Section}:{nameof(MatchingOptions.MatchThreshold)}: "
                + "a candidate good enough to match would otherwise not be good enough to review.")
            .ValidateOnStart();
        services.AddSingleton<CandidateScorer>();
        services.AddSingleton<MatchDecider>();
        services.AddTransient<AlbumMatcher>();
        return services;
    }
}
