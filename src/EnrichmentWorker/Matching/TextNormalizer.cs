using System.Globalization;
using System.Text;

namespace EnrichmentWorker.Matching;

/// <summary>
/// Folds a title or an artist name into tokens that compare across the ways tags and Discogs spell the same thing.
/// Pure and allocation-light: it runs once per candidate on the hot path of scoring.
/// </summary>
/// <remarks>
/// Rules, in order: NFKC (full-width and ligature forms become plain); letters that NFKD does not decompose are
/// mapped first (æ→ae, œ→oe, ø→o, ß→ss, ł→l, đ→d, þ→th, ð→d), then Latin letters lose their diacritics (Björk =
/// Bjork, Sigur Rós = Sigur Ros). Only Latin letters are folded: CJK, Cyrillic, Greek, Indic scripts are compared
/// as they are, never transliterated (the old pipeline's ASCII-only tokens turned "Beyoncé" into "beyonc" and every
/// CJK title into nothing). Apostrophes vanish (Guns N' Roses = Guns N Roses), &amp; and + read "and", a dotted
/// initialism collapses (R.E.M. = REM), any other punctuation separates tokens. CJK characters are one token each,
/// so token overlap works on titles written without spaces. Roman numerals become digits so that they are compared
/// as numbers (Led Zeppelin III = Led Zeppelin 3, and differs from IV).
/// </remarks>
public static class TextNormalizer
{
    private const char FoldRangeStart = '\u00C0';
    private const char FoldRangeEnd = '\u024F';
    private const char ExtendedRangeStart = '\u1E00';
    private const char ExtendedRangeEnd = '\u1EFF';

    // Immutable lookup tables built once: the folded form of every Latin letter with a diacritic.
    private static readonly string[] FoldTable = BuildFoldTable(FoldRangeStart, FoldRangeEnd);
    private static readonly string[] ExtendedFoldTable = BuildFoldTable(ExtendedRangeStart, ExtendedRangeEnd);

    public static NormalizedText Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return NormalizedText.Empty;
        }

        var source = text.Normalize(NormalizationForm.FormKC);
        var folded = new StringBuilder(source.Length + 8);
        var chunkStart = 0;
        for (var i = 0; i <= source.Length; i++)
        {
            if (i < source.Length && !char.IsWhiteSpace(source[i]))
            {
                continue;
            }

            if (i > chunkStart)
            {
                AppendChunk(folded, source.AsSpan(chunkStart, i - chunkStart));
            }

            folded.Append(' ');
            chunkStart = i + 1;
        }

        return Tokenize(folded);
    }

    /// <summary>Whether the character belongs to a script written without spaces between words.</summary>
    internal static bool IsCjk(char c) =>
        c is (>= '\u3040' and <= '\u30FA') or (>= '\u30FC' and <= '\u30FF')
            or (>= '\u3400' and <= '\u4DBF') or (>= '\u4E00' and <= '\u9FFF')
            or (>= '\uAC00' and <= '\uD7AF') or (>= '\uF900' and <= '\uFAFF')
            or (>= '\u3005' and <= '\u3007');

    private static void AppendChunk(StringBuilder folded, ReadOnlySpan<char> chunk)
    {
        if (IsDottedInitialism(chunk))
        {
            foreach (var c in chunk)
            {
                if (c != '.')
                {
                    AppendLetter(folded, c);
                }
            }

            return;
        }

        foreach (var c in chunk)
        {
            AppendChar(folded, c);
        }
    }

    private static void AppendChar(StringBuilder folded, char c)
    {
        switch (c)
        {
            // Apostrophes join: "Guns N' Roses", "Taylor's", "Don`t" all lose them without splitting the word.
            case '\'' or '\u2019' or '\u2018' or '`' or '\u00B4' or '\u02BC' or '\u2032':
                return;
            case '&' or '+':
                folded.Append(" and ");
                return;
        }

        if (IsCjk(c))
        {
            folded.Append(' ').Append(c).Append(' ');
            return;
        }

        if (char.IsLetterOrDigit(c))
        {
            AppendLetter(folded, c);
            return;
        }

        var category = CharUnicodeInfo.GetUnicodeCategory(c);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
        {
            // A stray combining mark after a Latin letter is a diacritic (dropped); in Indic scripts it is part of
            // the word (kept).
            var last = folded.Length > 0 ? folded[^1] : ' ';
            if (last > '\u007F')
            {
                folded.Append(c);
            }

            return;
        }

        folded.Append(' ');
    }

    private static void AppendLetter(StringBuilder folded, char c)
    {
        var lower = char.ToLowerInvariant(c);
        if (lower < FoldRangeStart)
        {
            folded.Append(lower);
        }
        else if (lower <= FoldRangeEnd)
        {
            folded.Append(FoldTable[lower - FoldRangeStart]);
        }
        else if (lower is >= ExtendedRangeStart and <= ExtendedRangeEnd)
        {
            folded.Append(ExtendedFoldTable[lower - ExtendedRangeStart]);
        }
        else
        {
            folded.Append(lower);
        }
    }

    /// <summary>"R.E.M.", "N.W.A", "E.P.O": single letters each followed by a dot, at least two of them.</summary>
    private static bool IsDottedInitialism(ReadOnlySpan<char> chunk)
    {
        var letters = 0;
        var expectLetter = true;
        foreach (var c in chunk)
        {
            if (expectLetter)
            {
                if (!char.IsLetter(c))
                {
                    return false;
                }

                letters++;
            }
            else if (c != '.')
            {
                return false;
            }

            expectLetter = !expectLetter;
        }

        return letters >= 2;
    }

    private static NormalizedText Tokenize(StringBuilder folded)
    {
        var tokens = new List<string>(8);
        var start = -1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var isSpace = i == folded.Length || folded[i] == ' ';
            if (!isSpace)
            {
                if (start < 0)
                {
                    start = i;
                }

                continue;
            }

            if (start >= 0)
            {
                tokens.Add(folded.ToString(start, i - start));
                start = -1;
            }
        }

        if (tokens.Count == 0)
        {
            return NormalizedText.Empty;
        }

        var compact = new StringBuilder(folded.Length);
        for (var i = 0; i < tokens.Count; i++)
        {
            tokens[i] = CanonicalNumber(tokens[i], i, tokens.Count);
            compact.Append(tokens[i]);
        }

        return new NormalizedText([.. tokens], compact.ToString());
    }

    /// <summary>Digits without leading zeros; Roman numerals as digits.</summary>
    /// <remarks>
    /// Only numerals made of i, v and x (1..39) are read as Roman: "mix", "dc" or "civil" are valid Roman numerals
    /// too but are words. A lone "i", "v" or "x" is a numeral only as the last of several tokens ("Chapter V",
    /// "Led Zeppelin I"), never "I" as a pronoun at the start.
    /// </remarks>
    private static string CanonicalNumber(string token, int index, int count)
    {
        if (NormalizedText.IsNumber(token))
        {
            var trimmed = token.TrimStart('0');
            return trimmed.Length == 0 ? "0" : trimmed.Length == token.Length ? token : trimmed;
        }

        if (token.Length == 1 && (index != count - 1 || count < 2))
        {
            return token;
        }

        var value = RomanValue(token);
        return value > 0 ? value.ToString(CultureInfo.InvariantCulture) : token;
    }

    private static int RomanValue(string token)
    {
        // x{0,3} then one of ix, iv, v, vi, vii, viii, i, ii, iii: the only well-formed numerals of i, v, x.
        var i = 0;
        var value = 0;
        while (i < token.Length && token[i] == 'x' && value < 30)
        {
            value += 10;
            i++;
        }

        var rest = token.AsSpan(i);
        var units = rest switch
        {
            "" => 0,
            "i" => 1,
            "ii" => 2,
            "iii" => 3,
            "iv" => 4,
            "v" => 5,
            "vi" => 6,
            "vii" => 7,
            "viii" => 8,
            "ix" => 9,
            _ => -1,
        };
        return units < 0 || value + units == 0 ? 0 : value + units;
    }

    private static string[] BuildFoldTable(char first, char last)
    {
        var table = new string[last - first + 1];
        for (var c = first; c <= last; c++)
        {
            table[c - first] = FoldLetter(c);
        }

        return table;
    }

    private static string FoldLetter(char c)
    {
        // Letters that are not a base letter plus a mark, so NFKD leaves them alone: map them by hand.
        switch (c)
        {
            case 'æ' or 'Æ':
                return "ae";
            case 'œ' or 'Œ':
                return "oe";
            case 'ø' or 'Ø':
                return "o";
            case 'ß':
                return "ss";
            case 'ł' or 'Ł':
                return "l";
            case 'đ' or 'Đ' or 'ð' or 'Ð':
                return "d";
            case 'þ' or 'Þ':
                return "th";
            case 'ı':
                return "i";
        }

        var decomposed = c.ToString().Normalize(NormalizationForm.FormKD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var part in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(part) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(char.ToLowerInvariant(part));
            }
        }

        return builder.Length == 0 ? char.ToLowerInvariant(c).ToString() : builder.ToString();
    }
}
