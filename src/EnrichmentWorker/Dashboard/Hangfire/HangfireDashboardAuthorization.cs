using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;

namespace EnrichmentWorker.Dashboard.Hangfire;

/// <summary>
/// The Hangfire dashboard's door, with the project's own sign-in and roles: whoever the dashboard scheme accepts
/// (loopback trust, cookie, bearer token) may look; an anonymous browser is sent to the sign-in page and comes back;
/// only the admin role may POST. Hangfire checks the antiforgery token after this, on every POST.
/// </summary>
public sealed class HangfireDashboardAuthorization : IDashboardAsyncAuthorizationFilter
{
    /// <summary>The realtime graph's poll: a POST that only reads counters, so the read-only role may send it.</summary>
    private const string StatsPath = "/stats";

    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var result = await http.AuthenticateAsync(DashboardAuth.Scheme);
        if (!result.Succeeded)
        {
            // The scheme answers as it does for the project's pages: a browser GET is redirected to the sign-in page
            // (returnUrl = this address), an API call or POST gets 401, a throttled token 429. Starting the response
            // keeps that answer: Hangfire would otherwise overwrite it with a bare 401.
            await http.ChallengeAsync(DashboardAuth.Scheme);
            await http.Response.StartAsync(http.RequestAborted);
            return false;
        }

        http.User = result.Principal;
        // Hangfire answers false with 403, as the user is signed in. Its own read-only check answers 401 and only on
        // command routes; this refuses every state-changing POST for the read-only role.
        return !HttpMethods.IsPost(http.Request.Method) || http.User.IsAdmin()
            || string.Equals(http.Request.Path.Value, StatsPath, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>For <see cref="global::Hangfire.DashboardOptions.IsReadOnlyFunc"/>: no buttons for anyone but an administrator.</summary>
    public static bool IsReadOnly(DashboardContext context) => !context.GetHttpContext().User.IsAdmin();
}
