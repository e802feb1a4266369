using System.ComponentModel.DataAnnotations;

namespace EnrichmentWorker.Dashboard;

/// <summary>The dashboard and its JSON API. Section "Dashboard".</summary>
public sealed class DashboardOptions : IValidatableObject
{
    public const string Section = "Dashboard";

    /// <summary>Where the dashboard's pages live. The JSON API is always under /api.</summary>
    [Required]
    [RegularExpression("^/[A-Za-z0-9_\\-/]*[A-Za-z0-9_\\-]$", ErrorMessage = "Dashboard:Path must start with / and contain only letters, digits, - and _ (e.g. /dashboard).")]
    public string Path { get; set; } = "/dashboard";

    /// <summary>
    /// A request from a loopback address (the default binding, 127.0.0.1) acts as an administrator without logging in.
    /// Turn this off behind a reverse proxy on the same host, where every request arrives from loopback.
    /// Requests that carry X-Forwarded-For are never trusted this way.
    /// </summary>
    public bool TrustLoopback { get; set; } = true;

    /// <summary>People who may log in from elsewhere: name, PBKDF2 hash from <c>hash-password</c>, role.</summary>
    public List<DashboardUser> Users { get; set; } = [];

    /// <summary>API clients: name, hash of the bearer token from <c>hash-password</c>, role.</summary>
    public List<DashboardToken> Tokens { get; set; } = [];

    /// <summary>
    /// Failed sign-ins or unknown bearer tokens one client address may make within <see cref="FailedSignInWindow"/>;
    /// after that it gets 429 with Retry-After, without any password hashing, until the window ends.
    /// </summary>
    [Range(1, 1000)]
    public int FailedSignInLimit { get; set; } = 10;

    /// <summary>The window <see cref="FailedSignInLimit"/> counts in; it starts at an address's first failure.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailedSignInWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a login lasts without activity.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Rows per page in job lists.</summary>
    [Range(5, 500)]
    public int PageSize { get; set; } = 50;

    /// <summary>The overview's history graph is recomputed at most this often (it scans up to 30 days of finished jobs).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan HistoryCacheDuration { get; set; } = TimeSpan.FromSeconds(60);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var user in Users)
        {
            if (string.IsNullOrWhiteSpace(user.Name) || !PasswordHash.IsWellFormed(user.PasswordHash))
            {
                yield return new ValidationResult($"Dashboard:Users: user '{user.Name}' needs a Name and a PasswordHash made by the hash-password command.");
            }
        }

        foreach (var token in Tokens)
        {
            if (string.IsNullOrWhiteSpace(token.Name) || !PasswordHash.IsWellFormed(token.TokenHash))
            {
                yield return new ValidationResult($"Dashboard:Tokens: token '{token.Name}' needs a Name and a TokenHash made by the hash-password command.");
            }
        }
    }
}

public enum DashboardRole
{
    ReadOnly,
    Admin,
}

public sealed class DashboardUser
{
    public string Name { get; set; } = "";

    public string PasswordHash { get; set; } = "";

    public DashboardRole Role { get; set; } = DashboardRole.ReadOnly;
}

public sealed class DashboardToken
{
    public string Name { get; set; } = "";

    public string TokenHash { get; set; } = "";

    public DashboardRole Role { get; set; } = DashboardRole.ReadOnly;
}
