using System.Globalization;
using System.Text;

namespace EnrichmentWorker.Discogs;

/// <summary>The parameters of <c>/database/search</c>; unset ones are not sent.</summary>
public sealed record DiscogsSearchQuery
{
    /// <summary>release, master, artist or label.</summary>
    public string? Type { get; init; }

    public string? Query { get; init; }

    public string? Artist { get; init; }

    public string? ReleaseTitle { get; init; }

    public string? Title { get; init; }

    public string? Year { get; init; }

    public string? Format { get; init; }

    public string? CatalogNumber { get; init; }

    public string? Barcode { get; init; }

    /// <summary>1..100 (Discogs' default is 50).</summary>
    public int? PerPage { get; init; }

    public int? Page { get; init; }

    /// <summary>The relative URL, every value escaped (RFC 3986), in a fixed parameter order.</summary>
    public string ToRelativeUrl()
    {
        if (PerPage is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(PerPage), PerPage, "Discogs allows per_page from 1 to 100.");
        }

        if (Page is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Page), Page, "Pages start at 1.");
        }

        return QueryString.Build("database/search", [
            ("type", Type),
            ("q", Query),
            ("artist", Artist),
            ("release_title", ReleaseTitle),
            ("title", Title),
            ("year", Year),
            ("format", Format),
            ("catno", CatalogNumber),
            ("barcode", Barcode),
            ("per_page", PerPage?.ToString(CultureInfo.InvariantCulture)),
            ("page", Page?.ToString(CultureInfo.InvariantCulture)),
        ]);
    }
}

internal static class QueryString
{
    /// <summary>Appends the non-empty parameters, each name and value escaped with <see cref="Uri.EscapeDataString(string)"/>.</summary>
    public static string Build(string path, IEnumerable<(string Name, string? Value)> parameters)
    {
        var builder = new StringBuilder(path);
        var separator = '?';
        foreach (var (name, value) in parameters)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            builder.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value.Trim()));
            separator = '&';
        }

        return builder.ToString();
    }
}
