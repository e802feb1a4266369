using EnrichmentWorker.Hosting.Health;
using EnrichmentWorker.Matching;
using EnrichmentWorker.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Discogs;

public static class DiscogsServiceCollectionExtensions
{
    /// <summary>
    /// The Discogs client (typed HttpClient with its handler chain), the shared request budget, the connection status
    /// and its start-up identity check, and <see cref="IDiscogsSearch"/> for the matcher. Needs an NpgsqlDataSource
    /// and a TimeProvider registered.
    /// </summary>
    public static IServiceCollection AddDiscogsClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DiscogsOptions>()
            .BindConfiguration(DiscogsOptions.SectionName)
            .PostConfigure(options =>
            {
                // DISCOGS_TOKEN wins over Discogs:Token (environment variables are part of the configuration).
                var fromEnvironment = configuration[DiscogsOptions.TokenEnvironmentVariable];
                if (!string.IsNullOrWhiteSpace(fromEnvironment))
                {
                    options.Token = fromEnvironment;
                }

                options.Token = string.IsNullOrWhiteSpace(options.Token) ? null : options.Token.Trim();
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton<EnrichmentTelemetry>();
        services.AddSingleton<DiscogsConnectionStatus>();
        services.AddSingleton<DiscogsRequestBudget>();
        services.AddSingleton<RateLimitWaits>();
        services.AddSingleton<DiscogsResilience>();
        services.AddTransient<DiscogsErrorHandler>();
        services.AddTransient<DiscogsTelemetryHandler>();
        services.AddTransient<DiscogsBudgetHandler>();
        services.AddTransient<DiscogsTimeoutHandler>();

        services.AddHttpClient<DiscogsClient>((provider, http) =>
            {
                var baseUrl = provider.GetRequiredService<IOptions<DiscogsOptions>>().Value.BaseUrl.ToString();
                http.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
                // The timeout handler bounds each attempt; HttpClient's own timeout would also count budget waits.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<DiscogsErrorHandler>()
            .AddHttpMessageHandler<DiscogsTelemetryHandler>()
            .AddHttpMessageHandler<DiscogsBudgetHandler>()
            .AddHttpMessageHandler<DiscogsTimeoutHandler>()
            // The token is added inside the primary handler, below IHttpClientFactory's logging handlers, so no logger
            // ever sees it: their header redaction applies to the formatted message only, and the structured state of
            // a Trace-level header record (which OTLP exports as attributes) carried the raw Authorization value.
            .ConfigurePrimaryHttpMessageHandler(provider => DiscogsAuthHandler.Around(new SocketsHttpHandler(), provider))
            .RedactLoggedHeaders(_ => true);

        services.AddTransient<IDiscogsSearch, DiscogsCandidateSearch>();
        services.AddSingleton<IArtistNamesCache, DiscogsArtistNamesStore>();
        services.AddSingleton<DiscogsIdentityMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<DiscogsIdentityMonitor>());
        services.AddHealthChecks()
            .AddCheck<DiscogsTokenHealthCheck>(DiscogsTokenHealthCheck.Name, tags: [HealthTags.Ready])
            .AddCheck<DiscogsReachableHealthCheck>(DiscogsReachableHealthCheck.Name, tags: [HealthTags.Ready]);
        return services;
    }
}
