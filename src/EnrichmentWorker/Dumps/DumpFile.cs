using System.Globalization;
using System.Text.RegularExpressions;

namespace EnrichmentWorker.Dumps;

public enum DumpEntity
{
    Artists,
    Labels,
    Masters,
    Releases,
}

/// <summary>
/// A monthly dump file, known by Discogs' own name for it: <c>discogs_YYYYMMDD_{artists|labels|masters|releases}.xml.gz</c>
/// (anything may come before it in the file name, e.g. a download tool's prefix).
/// </summary>
public sealed partial record DumpFile(string Path, DumpEntity Entity, DateOnly Date)
{
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>The entity as the database and the XML name it: "masters".</summary>
    public string EntityName => Names(Entity).Plural;

    /// <summary>The XML root element and record element of an entity's file.</summary>
    public static (string Plural, string Singular) Names(DumpEntity entity) => entity switch
    {
        DumpEntity.Artists => ("artists", "artist"),
        DumpEntity.Labels => ("labels", "label"),
        DumpEntity.Masters => ("masters", "master"),
        _ => ("releases", "release"),
    };

    public static bool TryParse(string path, out DumpFile file)
    {
        var match = FileName().Match(System.IO.Path.GetFileName(path));
        if (match.Success
            && DateOnly.TryParseExact(match.Groups["date"].Value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var entity = Enum.Parse<DumpEntity>(match.Groups["entity"].Value, ignoreCase: true);
            file = new DumpFile(path, entity, date);
            return true;
        }

        file = null!;
        return false;
    }

    /// <summary>The file named as a Discogs dump, or a refusal that says what the name must look like.</summary>
    public static DumpFile Parse(string path) => TryParse(path, out var file)
        ? file
        : throw new DumpImportException(
            $"{System.IO.Path.GetFileName(path)}: not named like a Discogs dump file; expected discogs_YYYYMMDD_artists|labels|masters|releases.xml.gz "
            + "(the date and the entity are read from the name).");

    [GeneratedRegex(@"discogs_(?<date>\d{8})_(?<entity>artists|labels|masters|releases)\.xml\.gz$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FileName();
}

/// <summary>A dump file was refused: the message says which file, where in it, and why. Nothing of it was installed.</summary>
public sealed class DumpImportException(string message, Exception? inner = null) : Exception(message, inner);
