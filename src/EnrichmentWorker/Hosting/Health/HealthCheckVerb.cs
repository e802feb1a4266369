namespace EnrichmentWorker.Hosting.Health;

/// <summary>
/// <c>healthcheck [--url URL] [--live]</c>: asks the running service on this machine for /health/ready (or
/// /health/live) and exits 0 when it answers 200, 1 otherwise. For container HEALTHCHECKs: the runtime image has no
/// curl or wget. It talks HTTP only and never opens the database, so ServiceRunner runs it before start-up.
/// </summary>
public sealed class HealthCheckVerb(IConfiguration configuration) : ICliVerb
{
    public const string VerbName = "healthcheck";

    public string Name => VerbName;

    public async Task<int> RunAsync(CliCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var baseUrl = command.Option("url") is { Length: > 0 } url ? new Uri(url) : LocalUrl(configuration["Urls"]);
        var target = new Uri(baseUrl, command.Has("live") ? HealthEndpoints.LivePath : HealthEndpoints.ReadyPath);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await http.GetAsync(target, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            Console.WriteLine($"{(int)response.StatusCode} {target}");
            Console.WriteLine(body);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"No answer from {target}: {ex.Message}");
            return 1;
        }
    }

    /// <summary>
    /// The first configured URL, with a wildcard host (0.0.0.0, [::], +, *) replaced by loopback: the service
    /// listens everywhere, the probe asks on this machine.
    /// </summary>
    public static Uri LocalUrl(string? urls)
    {
        var first = (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
            ?? "http://127.0.0.1:5080";
        var wildcard = System.Text.RegularExpressions.Regex.Replace(first, @"^(https?://)(\+|\*|0\.0\.0\.0|\[::\])(?=[:/]|$)", "${1}127.0.0.1",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
        return new Uri(wildcard);
    }
}
