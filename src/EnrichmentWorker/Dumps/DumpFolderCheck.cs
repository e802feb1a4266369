using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Dumps;

/// <summary>
/// The monthly check of <see cref="DumpOptions.Folder"/>: imports each entity's newest file there when it is newer
/// than the dump in service (masters and artists before releases, which may be chosen by them). Meant to run as a
/// recurring job; a refused file is logged and left, the dump in service unchanged, and the next entity still tried.
/// Once files are installed, the library's misses are queued for a re-check against them (<see cref="DumpMissRecheck"/>).
/// </summary>
public sealed class DumpFolderCheck(DumpImporter importer, InstalledDumps installed, DumpMissRecheck recheck, IOptions<DumpOptions> options, ILogger<DumpFolderCheck> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var folder = options.Value.Folder;
        if (string.IsNullOrWhiteSpace(folder))
        {
            return;
        }

        if (!Directory.Exists(folder))
        {
            logger.LogWarning("Dumps:Folder {Folder} does not exist; no dump file imported", folder);
            return;
        }

        var inService = (await installed.ListAsync(cancellationToken)).ToDictionary(d => d.Entity, d => d.Date);
        var newest = Directory.EnumerateFiles(folder, "*.xml.gz")
            .Select(path => DumpFile.TryParse(path, out var file) ? file : null)
            .OfType<DumpFile>()
            .GroupBy(f => f.Entity)
            .Select(g => g.MaxBy(f => f.Date)!)
            .Where(f => !inService.TryGetValue(f.EntityName, out var date) || f.Date > date);

        DateOnly? imported = null;
        foreach (var file in DumpImportOrder.Order(newest))
        {
            try
            {
                await importer.ImportAsync(file, options.Value.Releases == "library", cancellationToken);
                imported = file.Entity == DumpEntity.Labels ? imported : file.Date; // labels play no part in matching
            }
            catch (DumpImportException ex)
            {
                logger.LogError("Dump file refused: {Reason} The dump in service is unchanged.", ex.Message);
            }
        }

        if (imported is { } date)
        {
            await recheck.QueueAsync(date, cancellationToken);
        }
    }
}
