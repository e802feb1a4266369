using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using EnrichmentWorker.DiscogsSimulator;

namespace EnrichmentWorker.Tests.Simulator;

/// <summary>Small helpers for talking to the simulator as a well-behaved Discogs client would.</summary>
internal static class SimulatorTestKit
{
    public const string Token = "test-token";

    public static HttpClient Client(DiscogsSimulatorServer server, string? token = Token, string? userAgent = "EnrichmentWorkerTests/1.0 +https://example.invalid")
    {
        var client = new HttpClient { BaseAddress = server.BaseUrl };
        if (userAgent is not null)
        {
            // Discogs's recommended form "App/1.0 +url" is not a valid product token list for ParseAdd.
            client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
        }

        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Discogs", $"token={token}");
        }

        return client;
    }

    public static async Task<JsonObject> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), $"GET {path}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static string Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    public static string DataPath(params string[] parts) =>
        Path.Combine([DiscogsSimulatorServer.FindDataDirectory(), .. parts]);

    public static JsonObject Fixture(params string[] parts) =>
        JsonNode.Parse(File.ReadAllText(DataPath(parts)))!.AsObject();
}

/// <summary>A clock the test moves by hand, so the moving window can be tested without sleeping.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
