using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Dashboard;

/// <summary>
/// Who is asking. Three ways in: the loopback trust (the default binding is 127.0.0.1, so whoever can reach it is
/// already on the machine), a login cookie, or a bearer token. The scheme "dashboard" picks one per request.
/// </summary>
public static class DashboardAuth
{
    public const string Scheme = "dashboard";
    public const string CookieScheme = "dashboard-cookie";
    public const string TokenScheme = "dashboard-token";
    public const string LocalScheme = "dashboard-local";
    public const string ReadPolicy = "dashboard-read";
    public const string AdminPolicy = "dashboard-admin";
    public const string AdminRole = "admin";
    public const string ReadOnlyRole = "read-only";

    /// <summary>The claim that says how the caller authenticated; a bearer token carries no ambient credential.</summary>
    public const string MethodClaim = "dashboard-auth";

    public static string RoleName(DashboardRole role) => role == DashboardRole.Admin ? AdminRole : ReadOnlyRole;

    public static ClaimsPrincipal Principal(string name, DashboardRole role, string scheme) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, RoleName(role)), new Claim(MethodClaim, scheme)], scheme));

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(AdminRole);

    public static bool UsesBearerToken(this ClaimsPrincipal user) => user.FindFirstValue(MethodClaim) == TokenScheme;

    public static string Actor(this ClaimsPrincipal user) => user.Identity?.Name ?? "someone";

    /// <summary>The machine's own administrator: see <see cref="LoopbackTrust"/>.</summary>
    public static bool IsLocal(HttpContext context) => LoopbackTrust.Allows(context);

    public static IServiceCollection AddDashboardAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<TokenVerifier>();
        services.AddSingleton<AuthenticationThrottle>();
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Dashboard", policy => policy.ForwardDefaultSelector = context =>
            {
                if (context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                {
                    return TokenScheme;
                }

                var trustLoopback = context.RequestServices.GetRequiredService<IOptions<DashboardOptions>>().Value.TrustLoopback;
                return trustLoopback && IsLocal(context) ? LocalScheme : CookieScheme;
            })
            .AddScheme<AuthenticationSchemeOptions, LocalHandler>(LocalScheme, null)
            .AddScheme<AuthenticationSchemeOptions, TokenHandler>(TokenScheme, null)
            .AddCookie(CookieScheme, _ => { });
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<IOptions<DashboardOptions>>((cookie, dashboard) =>
        {
            var path = dashboard.Value.Path;
            cookie.Cookie.Name = "enrichment-dashboard";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = dashboard.Value.SessionLifetime;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = path + "/login";
            cookie.LogoutPath = path + "/logout";
            cookie.AccessDeniedPath = path + "/forbidden";
            cookie.Events.OnRedirectToLogin = context => ApiAware(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => ApiAware(context, StatusCodes.Status403Forbidden);
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(ReadPolicy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser())
            .AddPolicy(AdminPolicy, policy => policy.AddAuthenticationSchemes(Scheme).RequireRole(AdminRole));
        return services;
    }

    /// <summary>API callers get a status code; a browser on a page gets the login form.</summary>
    private static Task ApiAware(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    private sealed class LocalHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(IsLocal(Context)
            ? AuthenticateResult.Success(new AuthenticationTicket(Principal("local", DashboardRole.Admin, LocalScheme), LocalScheme))
            : AuthenticateResult.NoResult());
    }

    private sealed class TokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
        TokenVerifier verifier, AuthenticationThrottle throttle)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        private TimeSpan? _refusedFor;

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var header = Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var presented = header["Bearer ".Length..].Trim();
            var address = Context.Connection.RemoteIpAddress;
            // A token verified before passes even from a throttled address: it costs one SHA-256, and a script sharing
            // an address with someone guessing keeps working.
            var token = verifier.Remembered(presented);
            if (token is null && throttle.RetryAfter(address) is { } wait)
            {
                _refusedFor = wait;
                return Task.FromResult(AuthenticateResult.Fail("Too many failed sign-ins from this address."));
            }

            token ??= verifier.Verify(presented);
            if (token is null)
            {
                throttle.Failed(address);
                return Task.FromResult(AuthenticateResult.Fail("The bearer token is not one of Dashboard:Tokens."));
            }

            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(Principal(token.Name, token.Role, TokenScheme), TokenScheme)));
        }

        protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            if (_refusedFor is { } wait)
            {
                Response.Headers.RetryAfter = AuthenticationThrottle.RetryAfterHeader(wait);
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed sign-ins",
                    detail: $"Too many failed sign-ins or unknown tokens from your address. Try again in {AuthenticationThrottle.RetryAfterHeader(wait)} s.")
                    .ExecuteAsync(Context);
                return;
            }

            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.WWWAuthenticate = "Bearer";
        }
    }
}

/// <summary>
/// Checks bearer tokens against the configured PBKDF2 hashes. PBKDF2 is slow on purpose, so a token once verified is
/// remembered by its SHA-256 (never the token itself) for the life of the process; unknown tokens are not remembered
/// (the table holds at most one entry per configured token), and AuthenticationThrottle caps how often they are tried.
/// </summary>
public sealed class TokenVerifier(IOptions<DashboardOptions> options)
{
    private readonly ConcurrentDictionary<string, DashboardToken> _verified = new(StringComparer.Ordinal);

    /// <summary>The token if it was verified before: one SHA-256, no PBKDF2.</summary>
    public DashboardToken? Remembered(string presented) =>
        IsPlausible(presented) && _verified.TryGetValue(KeyOf(presented), out var known) ? known : null;

    public DashboardToken? Verify(string presented)
    {
        if (!IsPlausible(presented))
        {
            return null;
        }

        var key = KeyOf(presented);
        if (_verified.TryGetValue(key, out var known))
        {
            return known;
        }

        var match = options.Value.Tokens.FirstOrDefault(t => PasswordHash.Verify(presented, t.TokenHash));
        if (match is not null)
        {
            _verified[key] = match;
        }

        return match;
    }

    private static bool IsPlausible(string presented) => presented.Length is > 0 and <= 512;

    private static string KeyOf(string presented) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
