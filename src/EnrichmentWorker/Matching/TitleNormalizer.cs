using System.Text.RegularExpressions;

namespace EnrichmentWorker.Matching;

/// <summary>An album title in the forms the scorer compares.</summary>
/// <param name="Variants">The edition-stripped title, then each side of a Discogs "A = B" title.</param>
/// <param name="WithoutSubtitle">
/// The title without its remaining bracketed subtitle ("Legend (The Best Of Bob Marley...)" → "Legend"), or null when
/// it has none. Only a candidate's title is shortened this way, and at a discount: a library title that carries the
/// bracket itself (`1989 (Taylor's Version)`) is never shortened, because there the bracket names another album.
/// </param>
/// <param name="Qualifier">
/// The words of the brackets left after edition text is stripped ("taylors version" in `1989 (Taylor's Version)`), or
/// null. When the album's title has a qualifier that a candidate's title lacks, the candidate is another album (a
/// re-recording, a live or instrumental version), whatever the rest of the title.
/// </param>
public sealed record TitleText(IReadOnlyList<NormalizedText> Variants, NormalizedText? WithoutSubtitle, NormalizedText? Qualifier);

/// <summary>
/// Strips edition text (and only edition text) from album titles: tags add "(Remastered 2011)", "[Deluxe Edition]",
/// " - 2009 Remaster", "CD 2" to the album's real title, while a bracket that names the album itself stays:
/// `(What's The Story) Morning Glory?` keeps its words, `1989 (Taylor's Version)` stays another album.
/// </summary>
public static partial class TitleNormalizer
{
    private static readonly System.Buffers.SearchValues<char> Brackets = System.Buffers.SearchValues.Create("([{");
    private static readonly System.Buffers.SearchValues<char> EditionMarkers = System.Buffers.SearchValues.Create("([{-–—");

    public static TitleText Normalize(string? title)
    {
        var stripped = StripEditionText(title ?? string.Empty);
        var whole = TextNormalizer.Normalize(stripped);
        var sides = stripped.Contains('=', StringComparison.Ordinal) ? EqualsSeparator().Split(stripped) : [stripped];
        NormalizedText[] variants;
        if (sides.Length > 1)
        {
            variants = new NormalizedText[sides.Length + 1];
            variants[0] = whole;
            for (var i = 0; i < sides.Length; i++)
            {
                variants[i + 1] = TextNormalizer.Normalize(sides[i]);
            }
        }
        else
        {
            variants = [whole];
        }

        if (stripped.AsSpan().IndexOfAny(Brackets) < 0)
        {
            return new TitleText(variants, null, null);
        }

        var qualifierWords = new List<string>();
        foreach (Match group in BracketGroup().Matches(stripped))
        {
            qualifierWords.Add(group.Groups["content"].Value);
        }

        var qualifier = qualifierWords.Count == 0 ? null : TextNormalizer.Normalize(string.Join(' ', qualifierWords));
        var withoutSubtitle = Subtitle().Replace(stripped, " ").Trim();
        var shortened = withoutSubtitle.Length > 0 && withoutSubtitle.Length < stripped.Length
            ? TextNormalizer.Normalize(withoutSubtitle)
            : null;
        return new TitleText(
            variants,
            shortened is { IsEmpty: false } ? shortened : null,
            qualifier is { IsEmpty: false } ? qualifier : null);
    }

    /// <summary>
    /// The title with edition text removed, still readable (not folded): what the matcher sends as a search query.
    /// Never returns an empty string for a non-empty title: "(Deluxe Edition)" alone stays as it is.
    /// </summary>
    public static string StripEditionText(string title)
    {
        // Most titles carry no bracket, dash or disc word: skip the regular expressions for them (the scorer runs this
        // for every candidate).
        if (title.AsSpan().IndexOfAny(EditionMarkers) < 0
            && !title.Contains("cd", StringComparison.OrdinalIgnoreCase)
            && !title.Contains("dis", StringComparison.OrdinalIgnoreCase))
        {
            return title.Trim();
        }

        var result = BracketGroup().Replace(title, static match =>
            IsEditionText(match.Groups["content"].Value) ? " " : match.Value);

        // " - 2009 Remaster", " - Deluxe Version": cut dash segments from the end while they are edition text, so
        // "Samurai Champloo Music Record - Departure - Deluxe Version" keeps "Departure".
        for (var dash = DashTail().Match(result); dash.Success && IsEditionText(dash.Groups["tail"].Value); dash = DashTail().Match(result))
        {
            result = result[..dash.Index];
        }

        result = DiscSuffix().Replace(result, string.Empty);
        result = MultipleSpaces().Replace(result, " ").Trim();
        return result.Length == 0 ? title.Trim() : result;
    }

    internal static bool IsEditionText(string text) =>
        (EditionWords().IsMatch(text) || YearOnly().IsMatch(text)) && !AnotherRecording().IsMatch(text);

    // Words that only ever describe an edition, a format or a pressing, never the album itself. "Version" is left
    // out on purpose: "(Taylor's Version)" names a re-recording, which is another album. Soundtrack descriptors are
    // in: tags drop "(Original Motion Picture Soundtrack)" as often as Discogs keeps it. Packaging and carrier words
    // too ("[3CD Box Set]", "(180g Vinyl)", "(SHM-CD)", "(Japan Import)"): a library records the copy it owns.
    [GeneratedRegex(
        @"\b(re-?master(ed|s)?|deluxe|expanded|anniversary|edition|bonus|re-?issued?|mono|stereo|(disc|disk|cd)\s*\d+|legacy|special|collector'?s|limited|explicit|digitally|hi-?res|\d+\s*-?\s*bit|sound\s*track|motion\s+picture|o\.?s\.?t\.?"
        + @"|box(ed)?\s*-?\s*set|boxset|box|digi-?pac?k|vinyl|(\d+\s*x?\s*-?\s*)?(lp|cd)s?|\d+\s*-?\s*g(ram)?|gatefold|import|pressing|shm|blu-?spec|sacd|hdcd|mfsl|mobile\s+fidelity|audiophile|half-?speed|picture\s+disc)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EditionWords();

    // A bracket that names another recording is never edition text, whatever else it says: "(Live 2011 Remaster)",
    // "(Deluxe Acoustic Edition)" are other albums than the studio one.
    [GeneratedRegex(
        @"\b(live|unplugged|acoustic|demos?|remix(es|ed)?|instrumentals?|karaoke|re-?recorded|a\s+tribute)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AnotherRecording();

    [GeneratedRegex(@"^\s*\d{4}\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex YearOnly();

    [GeneratedRegex(@"\s*[\(\[\{](?<content>[^\(\)\[\]\{\}]*)[\)\]\}]", RegexOptions.CultureInvariant)]
    private static partial Regex BracketGroup();

    [GeneratedRegex(@"\s+[-–—]\s+(?<tail>(?:(?!\s[-–—]\s).)+)$", RegexOptions.CultureInvariant)]
    private static partial Regex DashTail();

    [GeneratedRegex(@"(?<=\S)[\s,:\-]*\b(cd|disc|disk)\s*\d+\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DiscSuffix();

    [GeneratedRegex(@"\s+=\s*|\s*=\s+", RegexOptions.CultureInvariant)]
    private static partial Regex EqualsSeparator();

    [GeneratedRegex(@"\s*[\(\[\{][^\(\)\[\]\{\}]*[\)\]\}]", RegexOptions.CultureInvariant)]
    private static partial Regex Subtitle();

    [GeneratedRegex(@"\s{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex MultipleSpaces();
}
