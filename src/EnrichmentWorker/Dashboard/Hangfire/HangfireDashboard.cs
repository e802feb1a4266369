using Hangfire;
using Hangfire.Dashboard;

namespace EnrichmentWorker.Dashboard.Hangfire;

/// <summary>
/// Hangfire's dashboard at /hangfire, where a person watches the album jobs: behind the project's sign-in and roles
/// (<see cref="HangfireDashboardAuthorization"/>), with the project's pages in its navigation and each album job's
/// album and match decision on its job page (<see cref="HangfireDashboardExtras"/>).
/// </summary>
public static class HangfireDashboard
{
    public const string Path = "/hangfire";

    /// <summary>
    /// The project's policy (DashboardServiceCollectionExtensions) relaxed only as Hangfire's pages need, checked in
    /// Chromium (HangfireBrowserTests): its job and recurring pages colour state cards and labels with inline style
    /// attributes (style-src-attr); its stylesheet loads the glyphicon font. Chart.js's inline &lt;style&gt; element is
    /// switched off instead of allowed (Assets/hangfire-chart.js). Scripts stay 'self': Hangfire's pages carry none inline.
    /// </summary>
    public const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; "
        + "style-src 'self'; style-src-attr 'unsafe-inline'; "
        + "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static bool Serves(HttpRequest request) => request.Path.StartsWithSegments(Path);

    public static void Map(WebApplication app, EnrichmentWorker.Dashboard.DashboardOptions options)
    {
        HangfireDashboardExtras.RegisterOnce(app.Services.GetRequiredService<IGlobalConfiguration>());
        app.MapHangfireDashboard(Path, new global::Hangfire.DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [new HangfireDashboardAuthorization()],
            IsReadOnlyFunc = HangfireDashboardAuthorization.IsReadOnly,
            AppPath = options.Path,
            DashboardTitle = "EnrichmentWorker jobs",
            // The storage's description names the database server; the footer needs no such detail.
            DisplayStorageConnectionString = false,
        });
    }
}
