using System.Globalization;
using EnrichmentWorker.Hosting;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Enrichment;

/// <summary>
/// <c>enqueue</c>: queue albums again. Without flags, albums with no result yet; <c>--force</c> every album;
/// <c>--recheck-misses[=DAYS]</c> automatic no-match results older than DAYS (default Enrichment:RecheckMissesAfter);
/// <c>--limit N</c> after that filtering; <c>--dry-run</c> (offline) lists, <c>--dry-run=online</c> matches against
/// Discogs and prints what it would write, writing nothing.
/// </summary>
public sealed class EnqueueVerb(AlbumSelection selection, AlbumReader albums, AlbumEnricher enricher, IOptions<EnrichmentOptions> options) : ICliVerb
{
    public string Name => "enqueue";

    public async Task<int> RunAsync(CliCommand command, CancellationToken cancellationToken)
    {
        var request = Parse(command, options.Value);
        var dryRun = command.Has("dry-run") ? command.Option("dry-run") ?? "offline" : null;
        if (dryRun is not (null or "offline" or "online"))
        {
            throw new CliUsageException($"--dry-run takes 'offline' or 'online', not '{dryRun}'.");
        }

        if (dryRun is null)
        {
            var queued = await selection.EnqueueAsync(request, "enqueue command", cancellationToken);
            Console.WriteLine($"Queued {queued} albums ({Describe(request)}).");
            return 0;
        }

        var selected = await selection.ListAsync(request, cancellationToken);
        Console.WriteLine($"Dry run ({dryRun}): {selected.Count} albums would be queued ({Describe(request)}); nothing is written.");
        foreach (var album in selected)
        {
            if (dryRun == "offline")
            {
                Console.WriteLine($"  {album.Id}\t{album.Artist} - {album.Title}{(album.Year is { } y ? $" ({y})" : "")}");
                continue;
            }

            var toEnrich = await albums.GetAsync(album.Id, cancellationToken);
            if (toEnrich is null)
            {
                continue;
            }

            var result = await enricher.EnrichAsync(toEnrich, request.Mode ?? options.Value.Mode, request.OverwriteManual, cancellationToken);
            Console.WriteLine($"  {album.Id}\t{album.Artist} - {album.Title}: {result.Summary}; genres: {string.Join(", ", result.Genres.Select(g => g.Genre))}");
        }

        return 0;
    }

    internal static AlbumSelectionRequest Parse(CliCommand command, EnrichmentOptions options)
    {
        int? limit = null;
        if (command.Option("limit") is { } limitText)
        {
            limit = int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new CliUsageException($"--limit must be a positive whole number, not '{limitText}'.");
        }

        EnrichmentMode? mode = null;
        if (command.Option("mode") is { } modeText)
        {
            mode = EnrichmentModeColumn.Parse(modeText) ?? throw new CliUsageException($"--mode must be 'genres' or 'full', not '{modeText}'.");
        }

        var force = command.Has("force");
        var recheck = command.Has("recheck-misses");
        if (force && recheck)
        {
            throw new CliUsageException("--force already includes misses; use one of --force and --recheck-misses.");
        }

        TimeSpan? missAge = null;
        if (recheck)
        {
            var days = command.Option("recheck-misses");
            missAge = days is null
                ? options.RecheckMissesAfter
                : int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var d)
                    ? TimeSpan.FromDays(d)
                    : throw new CliUsageException($"--recheck-misses takes a number of days, not '{days}'.");
        }

        var kind = force ? AlbumSelectionKind.All : recheck ? AlbumSelectionKind.Misses : AlbumSelectionKind.Unfinished;
        return new AlbumSelectionRequest(kind, limit, missAge, mode, command.Has("overwrite-manual"));
    }

    private static string Describe(AlbumSelectionRequest request) => request.Kind switch
    {
        AlbumSelectionKind.All => "every album",
        AlbumSelectionKind.Misses => $"no-match results older than {request.MissAge?.TotalDays:0.#} days",
        _ => "albums with no result yet",
    } + (request.Limit is { } l ? $", at most {l}" : "") + (request.OverwriteManual ? ", overwriting manual decisions" : "");
}
