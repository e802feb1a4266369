using Microsoft.Extensions.Options;
using Npgsql;

namespace EnrichmentWorker.Discogs;

/// <summary>
/// Checks the token with <c>/oauth/identity</c> at start-up and keeps <see cref="DiscogsConnectionStatus"/> current:
/// again every <see cref="DiscogsOptions.IdentityRecheckInterval"/> while the token is missing or invalid or Discogs is
/// unreachable, and at once when the configuration changes or a request is answered 401. A connected token is not
/// re-checked on a timer (each request proves it); a 401 brings the check back.
/// </summary>
public sealed class DiscogsIdentityMonitor(
    DiscogsClient client,
    DiscogsConnectionStatus status,
    IOptionsMonitor<DiscogsOptions> options,
    TimeProvider time,
    ILogger<DiscogsIdentityMonitor> logger) : BackgroundService
{
    public const string MissingTokenMessage =
        "Discogs token required: set DISCOGS_TOKEN or Discogs:Token. Get one at https://www.discogs.com/settings/developers";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var onChange = options.OnChange(_ => status.RequestRecheck());
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = status.RecheckRequested;
            DiscogsConnection? result = null;
            try
            {
                result = await CheckOnceAsync(stoppingToken);
            }
            catch (NpgsqlException ex)
            {
                // The check takes a slot of the request budget, which lives in the database; the last known state
                // stands until the next try.
                logger.LogWarning("Could not check the Discogs token, the database is unavailable ({Reason}); trying again in {Delay}",
                    ex.Message, options.CurrentValue.IdentityRecheckInterval);
                wake = status.RecheckRequested; // the request that led here is served by that next try, not at once
            }

            if (result?.State == DiscogsConnectionState.Connected)
            {
                await wake.WaitAsync(stoppingToken);
            }
            else
            {
                try
                {
                    await wake.WaitAsync(options.CurrentValue.IdentityRecheckInterval, time, stoppingToken);
                }
                catch (TimeoutException)
                {
                    // Time for the periodic re-check.
                }
            }
        }
    }

    /// <summary>One check: updates the status, logs a change, returns what it found.</summary>
    public async Task<DiscogsConnection> CheckOnceAsync(CancellationToken cancellationToken)
    {
        var before = status.Current;
        DiscogsConnection result;
        if (!options.CurrentValue.HasToken)
        {
            result = new DiscogsConnection(DiscogsConnectionState.MissingToken, null, MissingTokenMessage, time.GetUtcNow());
        }
        else
        {
            try
            {
                var identity = await client.GetIdentityAsync(cancellationToken);
                result = new DiscogsConnection(DiscogsConnectionState.Connected, identity.Username, null, time.GetUtcNow());
            }
            catch (DiscogsUnauthorizedException ex)
            {
                result = new DiscogsConnection(DiscogsConnectionState.Invalid, null, ex.Message, time.GetUtcNow());
            }
            catch (DiscogsException ex) when (ex is DiscogsTransientException or DiscogsRateLimitedException or DiscogsBadRequestException)
            {
                result = new DiscogsConnection(DiscogsConnectionState.Unreachable, null, "Cannot check the Discogs token: " + ex.Message, time.GetUtcNow());
            }
        }

        status.Set(result);
        if (result.State != before.State || result.Username != before.Username)
        {
            switch (result.State)
            {
                case DiscogsConnectionState.Connected:
                    logger.LogInformation("Connected to Discogs as {Username}", result.Username);
                    break;
                case DiscogsConnectionState.MissingToken:
                    logger.LogWarning(MissingTokenMessage);
                    break;
                default:
                    logger.LogWarning("Discogs is not usable: {Reason}", result.Reason);
                    break;
            }
        }

        return result;
    }
}
