using System.ComponentModel;
using System.Globalization;

namespace EnrichmentWorker.Enrichment;

/// <summary>What each album job fetches and writes.</summary>
[TypeConverter(typeof(EnrichmentModeConverter))]
public enum EnrichmentMode
{
    /// <summary>Match, then fetch the release for credits, tracklist, marketplace and identifiers (about 2 requests an
    /// album).</summary>
    Full,

    /// <summary>Search results only (about 1 request an album).</summary>
    Genres,
}

/// <summary>
/// <see cref="EnrichmentMode"/> as album_jobs.mode and album_matches.mode store it, and as the command line, the
/// settings and the pages spell it: the one mapping. Dapper would send an enum as its number.
/// </summary>
public static class EnrichmentModeColumn
{
    public const string Full = "full";
    public const string Genres = "genres";

    public static string ToColumn(this EnrichmentMode mode) => mode switch
    {
        EnrichmentMode.Full => Full,
        EnrichmentMode.Genres => Genres,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    public static string? ToColumn(this EnrichmentMode? mode) => mode?.ToColumn();

    /// <summary>
    /// The mode a person wrote (<c>enqueue --mode</c>, <c>Enrichment:Mode</c>), in any case and with spaces around it;
    /// null for anything else (the caller says where it came from).
    /// </summary>
    public static EnrichmentMode? Parse(string text) => FromWord(text.Trim().ToLowerInvariant());

    public static EnrichmentMode FromColumn(string column) =>
        FromWord(column) ?? throw new ArgumentOutOfRangeException(nameof(column), column, "mode holds 'genres' or 'full'.");

    private static EnrichmentMode? FromWord(string word) => word switch
    {
        Full => EnrichmentMode.Full,
        Genres => EnrichmentMode.Genres,
        _ => null,
    };
}

/// <summary>
/// Reads Enrichment:Mode through the same mapping as <c>enqueue --mode</c>, so the setting and the command line accept
/// the same words; the configuration binder puts the setting's name before this message.
/// </summary>
public sealed class EnrichmentModeConverter() : EnumConverter(typeof(EnrichmentMode))
{
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) => value is string text
        ? EnrichmentModeColumn.Parse(text)
            ?? throw new FormatException($"the mode must be '{EnrichmentModeColumn.Genres}' or '{EnrichmentModeColumn.Full}'.")
        : base.ConvertFrom(context, culture, value);
}
