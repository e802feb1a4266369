using System.Globalization;
using System.Text;

namespace EnrichmentWorker.DiscogsSimulator;

/// <summary>
/// Search normalisation: case- and diacritic-insensitive like Discogs' search (which finds "Björk" for "bjork"),
/// apostrophes dropped inside words, everything else that is not a letter or digit separates tokens.
/// </summary>
internal static class TextFolding
{
    public static string Fold(string text)
    {
        if (Ascii.IsValid(text))
        {
            // Most names are plain ASCII: no decomposition (an ICU call) needed.
            return text.Contains('\'') || text.Contains('`') ? text.ToLowerInvariant().Replace("'", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal) : text.ToLowerInvariant();
        }

        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            switch (char.ToLowerInvariant(c))
            {
                case 'ø': builder.Append('o'); break;
                case 'æ': builder.Append("ae"); break;
                case 'œ': builder.Append("oe"); break;
                case 'ß': builder.Append("ss"); break;
                case 'ł': builder.Append('l'); break;
                case 'đ': builder.Append('d'); break;
                case 'þ': builder.Append("th"); break;
                case '\'' or '’' or '`': break;
                case var lower: builder.Append(lower); break;
            }
        }

        return builder.ToString();
    }

    public static string[] Tokens(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var folded = Fold(text);
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var isWordChar = i < folded.Length && char.IsLetterOrDigit(folded[i]);
            if (isWordChar && start < 0)
            {
                start = i;
            }
            else if (!isWordChar && start >= 0)
            {
                tokens.Add(folded[start..i]);
                start = -1;
            }
        }

        return [.. tokens];
    }

    /// <summary>Letters and digits only, folded: how catalogue numbers and barcodes are compared.</summary>
    public static string Compact(string? text) => string.Concat(Tokens(text));

    /// <summary>The URL slug Discogs puts in web URIs: "/Radiohead-OK-Computer/master/21491".</summary>
    public static string Slug(string text)
    {
        var builder = new StringBuilder(text.Length);
        var dash = false;
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                builder.Append(c);
                dash = false;
            }
            else if (!dash && builder.Length > 0)
            {
                builder.Append('-');
                dash = true;
            }
        }

        return builder.ToString().TrimEnd('-');
    }

    /// <summary>A stable hash (string.GetHashCode is randomised per process; the catalogue must not be).</summary>
    public static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    public static uint StableHash(long value) => StableHash(value.ToString(CultureInfo.InvariantCulture));
}
