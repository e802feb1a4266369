using System.Net.Http.Headers;
using EnrichmentWorker.Dashboard;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Dashboard;

/// <summary>
/// The real service on its own database with no workers (rows are inserted by the tests), the loopback trust off so
/// that requests from the test must authenticate like remote ones, and four known credentials.
/// </summary>
public sealed class DashboardService : IAsyncDisposable
{
    public const string AdminPassword = "correct horse battery staple";
    public const string ReaderPassword = "look but do not touch";
    public const string AdminToken = "admin-token-0123456789abcdef";
    public const string ReaderToken = "reader-token-0123456789abcdef";

    private DashboardService(TestDatabase database, ServiceProcess service, EnrichmentWorker.DiscogsSimulator.DiscogsSimulatorServer simulator)
    {
        Database = database;
        Service = service;
        Simulator = simulator;
    }

    /// <summary>A configured, valid Discogs token: without one the service pauses its queue, as it should.</summary>
    public EnrichmentWorker.DiscogsSimulator.DiscogsSimulatorServer Simulator { get; }

    public TestDatabase Database { get; }

    public ServiceProcess Service { get; }

    public Uri BaseUrl => Service.BaseUrl;

    /// <summary>Starts the service; <paramref name="settings"/> adds or overrides environment configuration.</summary>
    public static async Task<DashboardService> StartAsync(bool trustLoopback = false, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await TestDatabase.CreateAsync();
        var simulator = await EnrichmentWorker.DiscogsSimulator.DiscogsSimulatorServer.StartAsync(
            new EnrichmentWorker.DiscogsSimulator.SimulatorOptions { Window = TimeSpan.FromSeconds(1) });
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["Discogs__BaseUrl"] = simulator.BaseUrl.ToString(),
            ["DISCOGS_TOKEN"] = "test-token",
            ["Jobs__Workers"] = "0",
            ["Dashboard__TrustLoopback"] = trustLoopback ? "true" : "false",
            ["Dashboard__HistoryCacheDuration"] = "00:00:00",
            ["Dashboard__Users__0__Name"] = "admin",
            ["Dashboard__Users__0__PasswordHash"] = PasswordHash.Create(AdminPassword),
            ["Dashboard__Users__0__Role"] = "Admin",
            ["Dashboard__Users__1__Name"] = "reader",
            ["Dashboard__Users__1__PasswordHash"] = PasswordHash.Create(ReaderPassword),
            ["Dashboard__Users__1__Role"] = "ReadOnly",
            ["Dashboard__Tokens__0__Name"] = "admin-script",
            ["Dashboard__Tokens__0__TokenHash"] = PasswordHash.Create(AdminToken),
            ["Dashboard__Tokens__0__Role"] = "Admin",
            ["Dashboard__Tokens__1__Name"] = "reader-script",
            ["Dashboard__Tokens__1__TokenHash"] = PasswordHash.Create(ReaderToken),
            ["Dashboard__Tokens__1__Role"] = "ReadOnly",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var service = ServiceProcess.Start(environment);
        await service.WaitUntilServingAsync();
        return new DashboardService(database, service, simulator);
    }

    /// <summary>A client that follows no redirects, so tests see the 302 to the login page.</summary>
    public HttpClient Client(string? bearerToken = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseUrl };
        if (bearerToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return client;
    }

    /// <summary>
    /// A request as an attacker (or a browser) shapes it: any Host, a cookie, the antiforgery header, a form, and the
    /// Origin and Referer it claims to come from. Follows no redirects.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? host, string? cookie = null,
        string? token = null, Dictionary<string, string>? form = null, string? origin = null, string? referer = null)
    {
        using var client = Client();
        using var request = new HttpRequestMessage(method, path);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        foreach (var (name, value) in new[] { ("Cookie", cookie), ("X-CSRF-TOKEN", token), ("Origin", origin), ("Referer", referer) })
        {
            if (value is not null)
            {
                request.Headers.Add(name, value);
            }
        }

        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Posts the sign-in form as a browser would, with the form's antiforgery token; returns the answer and the cookies sent.</summary>
    public async Task<(HttpResponseMessage Response, string Cookies)> SignInAsync(string user, string password)
    {
        using var client = Client();
        using var form = await client.GetAsync("/dashboard/login");
        var cookies = Cookies(form);
        var html = await form.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/dashboard/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = user, ["password"] = password, ["__RequestVerificationToken"] = token }),
        };
        post.Headers.Add("Cookie", cookies);
        return (await client.SendAsync(post), cookies);
    }

    /// <summary>The cookies a response sets, as a Cookie header value.</summary>
    public static string Cookies(HttpResponseMessage response) => response.Headers.TryGetValues("Set-Cookie", out var values)
        ? string.Join("; ", values.Select(v => v.Split(';')[0]))
        : "";

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        await Simulator.DisposeAsync();
        await Database.DisposeAsync();
    }
}
