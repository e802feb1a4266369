using EnrichmentWorker.Matching;

namespace EnrichmentWorker.Dumps;

/// <summary>
/// The lookup keys of the local tables: the compact forms of the matcher's own normalisers, so an album and a dump
/// record meet in the index exactly when the scorer would read their names alike (case, accents, punctuation,
/// "The", " (2)" suffixes and edition text all gone). The same function keys both sides.
/// </summary>
public static class DumpKeys
{
    /// <summary>The whole credit and each credit on its own: "Stan Getz, João Gilberto" gives three keys.</summary>
    public static string[] Artist(IReadOnlyList<string> credits) => Artist(ArtistNormalizer.Normalize(credits));

    public static string[] Artist(ArtistText artist)
    {
        if (artist.Whole.IsEmpty)
        {
            return [];
        }

        if (artist.Credits.Count < 2)
        {
            return [artist.Whole.Compact];
        }

        var keys = new List<string>(artist.Credits.Count + 1) { artist.Whole.Compact };
        foreach (var credit in artist.Credits)
        {
            if (!credit.IsEmpty && !keys.Contains(credit.Compact))
            {
                keys.Add(credit.Compact);
            }
        }

        return [.. keys];
    }

    public static string Title(string title) => TitleNormalizer.Normalize(title).Variants[0].Compact;

    /// <summary>Every form of an album's title the scorer compares: the whole, each side of "A = B", the title without its subtitle.</summary>
    public static string[] TitleForms(TitleText title)
    {
        var keys = new List<string>(3);
        foreach (var variant in title.Variants)
        {
            Add(variant);
        }

        if (title.WithoutSubtitle is { } shortened)
        {
            Add(shortened);
        }

        return [.. keys];

        void Add(NormalizedText text)
        {
            if (!text.IsEmpty && !keys.Contains(text.Compact))
            {
                keys.Add(text.Compact);
            }
        }
    }
}
