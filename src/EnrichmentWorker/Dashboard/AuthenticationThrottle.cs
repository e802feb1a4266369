using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Dashboard;

/// <summary>
/// Counts failed sign-ins and unknown bearer tokens per client address. Every failure costs a PBKDF2 verification
/// (slow on purpose), so an address that failed Dashboard:FailedSignInLimit times within Dashboard:FailedSignInWindow
/// is refused with 429 before any hashing until its window ends: a cap on both the CPU an anonymous caller can burn
/// and the guesses it can make. A success does not reset the count, or one known account would unlock guessing at
/// another. The table is bounded: past <see cref="MaxTrackedAddresses"/> live entries, new addresses share one
/// overflow entry, so a caller with many addresses cannot grow memory and is still limited as a group.
/// </summary>
public sealed class AuthenticationThrottle(IOptions<DashboardOptions> options, TimeProvider time, ILogger<AuthenticationThrottle> logger)
{
    public const int MaxTrackedAddresses = 10_000;

    private const string OverflowKey = "overflow";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    internal int TrackedAddresses
    {
        get
        {
            lock (_gate)
            {
                return _failures.Count;
            }
        }
    }

    /// <summary>How long this address must wait before it may try again; null while it may try now.</summary>
    public TimeSpan? RetryAfter(IPAddress? address)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var key = KeyOf(address);
            if (!_failures.ContainsKey(key) && _failures.Count >= MaxTrackedAddresses)
            {
                key = OverflowKey; // where this address's failures would be counted now
            }

            return _failures.TryGetValue(key, out var failures) && failures.Count >= options.Value.FailedSignInLimit
                && failures.Ends > now ? failures.Ends - now : null;
        }
    }

    public void Failed(IPAddress? address)
    {
        var now = time.GetUtcNow();
        var window = options.Value.FailedSignInWindow;
        var key = KeyOf(address);
        int count;
        lock (_gate)
        {
            if (!_failures.ContainsKey(key) && _failures.Count >= MaxTrackedAddresses)
            {
                // Expired entries go first; only a table full of live ones sends newcomers to the shared entry.
                foreach (var expired in _failures.Where(f => f.Value.Ends <= now).Select(f => f.Key).ToList())
                {
                    _failures.Remove(expired);
                }

                if (_failures.Count >= MaxTrackedAddresses)
                {
                    key = OverflowKey;
                }
            }

            var failures = _failures.TryGetValue(key, out var known) && known.Ends > now ? known : new Failures(0, now + window);
            count = failures.Count + 1;
            _failures[key] = failures with { Count = count };
        }

        if (count == options.Value.FailedSignInLimit)
        {
            logger.LogWarning("Dashboard: {Failures} failed sign-ins or unknown bearer tokens from {Client} within {Window}; it is refused until the window ends",
                count, key, window);
        }
    }

    /// <summary>
    /// One entry per IPv4 address, and per IPv6 /64: a single host is usually given a whole /64, so counting its
    /// addresses one by one would give it 2^64 fresh allowances.
    /// </summary>
    private static string KeyOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes).ToString() + "/64";
    }

    private sealed record Failures(int Count, DateTimeOffset Ends);

    /// <summary>Retry-After in whole seconds, rounded up so a client that waits that long is let in.</summary>
    public static string RetryAfterHeader(TimeSpan wait) => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
