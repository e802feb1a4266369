using Hangfire;
using Hangfire.Dashboard;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Dashboard.Hangfire;

/// <summary>
/// Ties Hangfire's dashboard to the project's pages: the albums, needs-review and overview pages in its navigation,
/// and the album card on each album job's page; and keeps its charts inside the /hangfire content policy. Hangfire keeps navigation items and job renderers in process-wide
/// lists, so they are added once per process (a second host in the same process, as in tests, adds nothing), and
/// each one reads what it needs from the request's own services, never from the host that registered it.
/// </summary>
public static class HangfireDashboardExtras
{
    /// <summary>After Hangfire's own cards (state history comes later on the page; renderers sort by this).</summary>
    public const int AlbumCardOrder = 100;

    private static int _registered;

    public static void RegisterOnce(IGlobalConfiguration configuration)
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        configuration.UseJobDetailsRenderer(AlbumCardOrder, AlbumJobCard.Render);
        DashboardRoutes.AddJavaScript(typeof(HangfireDashboardExtras).Assembly, "EnrichmentWorker.Dashboard.Assets.hangfire-chart.js");
        NavigationMenu.Items.Add(page => new MenuItem("Albums", ProjectUrl(page, "/albums")));
        NavigationMenu.Items.Add(page => new MenuItem("Needs review", ProjectUrl(page, "/review")));
        NavigationMenu.Items.Add(page => new MenuItem("Overview", ProjectUrl(page, "")));
    }

    /// <summary>An address on the project's dashboard, wherever Dashboard:Path puts it.</summary>
    public static string ProjectUrl(RazorPage page, string relative) =>
        page.Context.GetHttpContext().RequestServices.GetRequiredService<IOptions<DashboardOptions>>().Value.Path + relative;
}
