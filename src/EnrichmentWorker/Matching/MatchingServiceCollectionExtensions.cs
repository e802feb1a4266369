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
            .ValidateOnStart();
        services.AddSingleton<CandidateScorer>();
        services.AddSingleton<MatchDecider>();
        services.AddTransient<AlbumMatcher>();
        return services;
    }
}
