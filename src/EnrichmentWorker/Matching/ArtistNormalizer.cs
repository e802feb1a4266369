using System.Text.RegularExpressions;

namespace EnrichmentWorker.Matching;

/// <summary>An artist credit in the forms the scorer compares.</summary>
/// <param name="Whole">All credits together ("Stan Getz, João Gilberto" → "stan getz joao gilberto").</param>
/// <param name="Credits">Each credit on its own; a single credit is also the whole.</param>
/// <param name="IsVarious">A compilation credit: "Various", "Various Artists", "VA".</param>
public sealed record ArtistText(NormalizedText Whole, IReadOnlyList<NormalizedText> Credits, bool IsVarious);

/// <summary>
/// Cleans artist credits as tags and Discogs write them: Discogs' " (2)" disambiguation suffix and trailing "*"
/// (a name variation) go, "feat."/"ft."/"featuring"/"with" tails go (the guest is not the album artist), a leading
/// "The" goes (tags drop it as often as they keep it), credits separated by ", " " / " or "; " are also compared one
/// by one.
/// </summary>
public static partial class ArtistNormalizer
{
    private static readonly System.Buffers.SearchValues<char> Separators = System.Buffers.SearchValues.Create("(),;/*[");

    public static ArtistText Normalize(string? artist) =>
        Normalize(string.IsNullOrWhiteSpace(artist) ? [] : [artist]);

    /// <summary>Normalises a list of credits as Discogs returns them (one entry per credited artist).</summary>
    public static ArtistText Normalize(IReadOnlyList<string> credits)
    {
        var parts = new List<string>(credits.Count + 2);
        foreach (var credit in credits)
        {
            if (string.IsNullOrWhiteSpace(credit))
            {
                continue;
            }

            if (IsPlain(credit))
            {
                parts.Add(credit.Trim());
                continue;
            }

            var head = FeaturingTail().Replace(credit, string.Empty);
            foreach (var part in CreditSeparator().Split(head))
            {
                var cleaned = CleanCredit(part);
                if (cleaned.Length > 0)
                {
                    parts.Add(cleaned);
                }
            }
        }

        if (parts.Count == 0)
        {
            return new ArtistText(NormalizedText.Empty, [], false);
        }

        var normalizedCredits = new NormalizedText[parts.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            normalizedCredits[i] = DropLeadingThe(TextNormalizer.Normalize(parts[i]));
        }

        var whole = parts.Count == 1 ? normalizedCredits[0] : Join(normalizedCredits);
        var isVarious = whole.Compact is "various" or "variousartists" or "variousartist" or "va";
        return new ArtistText(whole, normalizedCredits, isVarious);
    }

    /// <summary>
    /// The credit a search query should name: the first credit without disambiguation suffix or featured guests,
    /// still readable (not folded).
    /// </summary>
    public static string QueryName(string artist)
    {
        var head = FeaturingTail().Replace(artist, string.Empty);
        var first = CreditSeparator().Split(head)[0];
        var cleaned = CleanCredit(first);
        return cleaned.Length == 0 ? artist.Trim() : cleaned;
    }

    /// <summary>No separator, suffix, star or guest word: nothing for the regular expressions to do.</summary>
    private static bool IsPlain(string credit) =>
        credit.AsSpan().IndexOfAny(Separators) < 0
        && !credit.Contains("feat", StringComparison.OrdinalIgnoreCase)
        && !credit.Contains("ft.", StringComparison.OrdinalIgnoreCase)
        && !credit.Contains("with", StringComparison.OrdinalIgnoreCase);

    private static string CleanCredit(string credit)
    {
        var cleaned = DisambiguationSuffix().Replace(credit.Trim(), string.Empty);
        return cleaned.TrimEnd('*', ' ');
    }

    private static NormalizedText DropLeadingThe(NormalizedText text)
    {
        if (text.Tokens.Count < 2 || text.Tokens[0] != "the")
        {
            return text;
        }

        var tokens = new string[text.Tokens.Count - 1];
        for (var i = 1; i < text.Tokens.Count; i++)
        {
            tokens[i - 1] = text.Tokens[i];
        }

        return new NormalizedText(tokens, string.Concat(tokens));
    }

    private static NormalizedText Join(NormalizedText[] credits)
    {
        var tokens = new List<string>();
        foreach (var credit in credits)
        {
            tokens.AddRange(credit.Tokens);
        }

        return new NormalizedText([.. tokens], string.Concat(tokens));
    }

    // The guest tail: "Artist feat. Guest", "Artist (ft. Guest)", "Artist featuring Guest", "Artist with Guest".
    [GeneratedRegex(@"(?<=\S)\s*[\(\[]?\s*\b(feat\.?|ft\.|featuring|with)\s.*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FeaturingTail();

    // ", " and "; " separate credits; "/" only with spaces around it, so that AC/DC stays one name.
    [GeneratedRegex(@"\s*[,;]\s+|\s+/\s+", RegexOptions.CultureInvariant)]
    private static partial Regex CreditSeparator();

    [GeneratedRegex(@"\s*\(\d+\)$", RegexOptions.CultureInvariant)]
    private static partial Regex DisambiguationSuffix();
}
