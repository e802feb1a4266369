using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;

namespace EnrichmentWorker.Dashboard;

/// <summary>What every page needs to know about the request: where the dashboard lives, who asks, the form token.</summary>
public sealed class PageContext(HttpContext http, DashboardOptions options, DateTime now)
{
    private string? _token;

    public string Base { get; } = options.Path;

    public bool IsAdmin { get; } = http.User.IsAdmin();

    public string UserName { get; } = http.User.Actor();

    /// <summary>Only people who logged in can log out; the loopback trust has no session.</summary>
    public bool HasSession { get; } = http.User.FindFirst(DashboardAuth.MethodClaim)?.Value == DashboardAuth.CookieScheme;

    public DateTime Now { get; } = now;

    public string? Notice { get; } = DashboardNotice.Read(http);

    public string Url(string relative) => Base + relative;

    /// <summary>The antiforgery request token, for forms (hidden field) and for the scripts (meta tag → header).</summary>
    public string Token => _token ??= http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http).RequestToken ?? "";

    public Markup TokenField => Html.Of($"<input type=\"hidden\" name=\"__RequestVerificationToken\" value=\"{Token}\">");

    /// <summary>A one-button form posting to <paramref name="action"/>; only administrators get it.</summary>
    public Markup ActionButton(string action, string label, string style = "", string? confirm = null) => IsAdmin
        ? Html.Of($"<form method=\"post\" action=\"{action}\" class=\"inline\">{TokenField}<button type=\"submit\" class=\"btn {style}\"{(confirm is null ? Markup.Empty : Html.Of($" data-confirm=\"{confirm}\""))}>{label}</button></form>")
        : Markup.Empty;
}

/// <summary>Numbers, times and scores as people read them.</summary>
public static class Fmt
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Time(DateTime? value) => value is null ? "—" : value.Value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Ago(DateTime? value, DateTime now)
    {
        if (value is null)
        {
            return "—";
        }

        var span = now - value.Value.ToUniversalTime();
        return span.Duration() < TimeSpan.FromSeconds(1) ? "now"
            : span < TimeSpan.Zero ? "in " + Duration(-span) : Duration(span) + " ago";
    }

    public static string Duration(TimeSpan? span)
    {
        if (span is null)
        {
            return "unknown";
        }

        var s = span.Value;
        return s.TotalSeconds < 1 ? "now"
            : s.TotalSeconds < 90 ? $"{s.TotalSeconds:0} s"
            : s.TotalMinutes < 90 ? $"{s.TotalMinutes:0} min"
            : s.TotalHours < 48 ? $"{s.TotalHours:0.#} h"
            : $"{s.TotalDays:0.#} days";
    }

    public static string Score(double? value) => value is null ? "—" : (value.Value * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    public static string Rate(double perMinute) => perMinute.ToString(perMinute < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + "/min";
}
