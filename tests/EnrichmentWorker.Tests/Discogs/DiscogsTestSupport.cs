using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using EnrichmentWorker.Discogs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EnrichmentWorker.Tests.Discogs;

/// <summary>The recorded Discogs responses in tests/discogs-data/api.</summary>
internal static class DiscogsData
{
    public static string ApiDirectory { get; } = Path.Combine(FindRepositoryRoot(), "tests", "discogs-data", "api");

    public static string PathOf(string relative) => Path.Combine(ApiDirectory, relative);

    public static string Body(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>A recorded response: its body, and status and headers from the .headers.json beside it when there is one.</summary>
    public static HttpResponseMessage Response(string relative, HttpStatusCode? status = null)
    {
        var response = new HttpResponseMessage(status ?? HttpStatusCode.OK)
        {
            Content = new StringContent(Body(relative), Encoding.UTF8, "application/json"),
        };
        var headersFile = PathOf(relative[..^".json".Length] + ".headers.json");
        if (File.Exists(headersFile))
        {
            using var recorded = JsonDocument.Parse(File.ReadAllText(headersFile));
            response.StatusCode = status ?? (HttpStatusCode)recorded.RootElement.GetProperty("status").GetInt32();
            foreach (var header in recorded.RootElement.GetProperty("rawHeaders").EnumerateObject())
            {
                if (header.Name.StartsWith("X-Discogs", StringComparison.OrdinalIgnoreCase) || header.Name == "Retry-After")
                {
                    response.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
                }
            }
        }

        return response;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EnrichmentWorker.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EnrichmentWorker.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A primary handler that answers from a script and records what it was sent. Not a database mock: the HTTP edge only.</summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, HttpResponseMessage>> script = new();

    public ConcurrentQueue<HttpRequestMessage> Requests { get; } = new();

    /// <summary>Answers every request once the script is used up.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage>? Fallback { get; set; }

    public ScriptedHandler Then(Func<HttpRequestMessage, HttpResponseMessage> answer)
    {
        script.Enqueue(answer);
        return this;
    }

    public ScriptedHandler Then(Func<HttpResponseMessage> answer) => Then(_ => answer());

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        var answer = script.TryDequeue(out var next) ? next : Fallback ?? throw new InvalidOperationException("The test's script has no answer for " + request.RequestUri);
        var response = answer(request);
        response.RequestMessage = request;
        return Task.FromResult(response);
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }
}

/// <summary>Collects every log line with its exception text, for assertions about what reaches logs.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

    public string AllText => string.Join(Environment.NewLine, Lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {state} {exception}");
        }
    }
}

/// <summary>A clock the test moves by hand (for the budget's pure decisions).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;

    public void Set(DateTimeOffset to) => now = to;
}

/// <summary>
/// The Discogs registrations of the service (AddDiscogsClient) on a real database, with configuration of the test's
/// choosing and an optional primary handler in place of the network.
/// </summary>
internal sealed class DiscogsServices : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    private DiscogsServices(ServiceProvider provider, CapturingLoggerProvider logs)
    {
        this.provider = provider;
        Logs = logs;
    }

    public CapturingLoggerProvider Logs { get; }

    public DiscogsClient Client => provider.GetRequiredService<DiscogsClient>();

    public DiscogsRequestBudget Budget => provider.GetRequiredService<DiscogsRequestBudget>();

    public DiscogsConnectionStatus Status => provider.GetRequiredService<DiscogsConnectionStatus>();

    public T Get<T>()
        where T : notnull => provider.GetRequiredService<T>();

    public static DiscogsServices Create(
        NpgsqlDataSource dataSource,
        IDictionary<string, string?> settings,
        HttpMessageHandler? primary = null,
        TimeProvider? time = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSingleton(dataSource);
        services.AddDiscogsClient(configuration);
        if (primary is not null)
        {
            services.AddHttpClient<DiscogsClient>().ConfigurePrimaryHttpMessageHandler(provider => DiscogsAuthHandler.Around(primary, provider));
        }

        return new DiscogsServices(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), logs);
    }

    /// <summary>Settings for fast tests: tiny retry delays, a window and rate that never make a test wait.</summary>
    public static Dictionary<string, string?> FastSettings(string? token = "test-token", string baseUrl = "https://api.discogs.test") => new()
    {
        ["Discogs:BaseUrl"] = baseUrl,
        ["Discogs:Token"] = token,
        ["Discogs:RequestsPerMinute"] = "1000",
        ["Discogs:Window"] = "00:00:01",
        ["Discogs:MaxRetries"] = "3",
        // The client's own answer to a 429 (the exception, the budget blocked) is what these tests look at; waiting it
        // out in place, as the service does, is tested with the jobs (Resilience, PipelineTelemetryTests).
        ["Discogs:MaxRateLimitWaits"] = "0",
        ["Discogs:RetryBaseDelay"] = "00:00:00.001",
        ["Discogs:RetryMaxDelay"] = "00:00:00.010",
        ["Discogs:RequestTimeout"] = "00:00:05",
    };

    public ValueTask DisposeAsync() => provider.DisposeAsync();
}
