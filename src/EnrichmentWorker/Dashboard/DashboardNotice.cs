using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace EnrichmentWorker.Dashboard;

/// <summary>
/// The notice an action's redirect shows ("Retry: job #1 done."). It travels in the query string, so it is protected
/// and short-lived: a crafted link cannot make the dashboard show words it did not write ("sign in again at ...").
/// </summary>
internal static class DashboardNotice
{
    public const string QueryKey = "done";
    private const string Purpose = "EnrichmentWorker.Dashboard.Notice";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public static string Protect(HttpContext http, string message) => Protector(http).Protect(message, Lifetime);

    /// <summary>The notice this request carries, or null when it has none, or one the dashboard did not write.</summary>
    public static string? Read(HttpContext http)
    {
        var value = http.Request.Query[QueryKey].ToString();
        if (value.Length == 0)
        {
            return null;
        }

        try
        {
            return Protector(http).Unprotect(value);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static ITimeLimitedDataProtector Protector(HttpContext http) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).ToTimeLimitedDataProtector();
}
