using EnrichmentWorker.Library;
using EnrichmentWorker.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EnrichmentWorker.Tests.Library;

/// <summary>The album endpoints alone, hosted in-process on loopback Kestrel (port 0) over a test database.</summary>
internal sealed class AlbumApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AlbumApiHost(WebApplication app, Uri baseUrl)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = baseUrl };
    }

    public HttpClient Client { get; }

    public static async Task<AlbumApiHost> StartAsync(TestDatabase db, Action<LibraryOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(db.DataSource);
        builder.Services.AddAlbumLibrary();
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        var app = builder.Build();
        app.MapAlbumApi();
        await app.StartAsync();
        return new AlbumApiHost(app, new Uri(app.Urls.First()));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
