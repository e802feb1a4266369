namespace EnrichmentWorker.Matching;

/// <summary>
/// A string reduced to what matching compares: folded tokens, the numbers among them (numbers and Roman numerals
/// are an album's identity: Led Zeppelin III is not Led Zeppelin IV), and a space-free compact form that makes
/// "X&amp;Y" equal "X &amp; Y" and "N*E*R*D" equal "N.E.R.D".
/// </summary>
public sealed class NormalizedText
{
    public static readonly NormalizedText Empty = new([], string.Empty);

    public NormalizedText(string[] tokens, string compact)
    {
        Tokens = tokens;
        Compact = compact;
        var numbers = 0;
        foreach (var token in tokens)
        {
            if (IsNumber(token))
            {
                numbers++;
            }
        }

        NumberCount = numbers;
        var keys = tokens;
        for (var i = 0; i < tokens.Length; i++)
        {
            var key = TransliterationKey(tokens[i]);
            if (!ReferenceEquals(key, tokens[i]))
            {
                if (ReferenceEquals(keys, tokens))
                {
                    keys = (string[])tokens.Clone();
                }

                keys[i] = key;
            }
        }

        Keys = keys;
        CompactKey = ReferenceEquals(keys, tokens) ? compact : string.Concat(keys);
    }

    /// <summary>Folded tokens in their original order (CJK characters are one token each).</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>The tokens joined without separators.</summary>
    public string Compact { get; }

    /// <summary>
    /// The tokens as matching compares them: the same, except that the fallbacks writers use where a keyboard lacks a
    /// letter are read as the letter itself. German ä ö ü written ae oe ue (Motoerhead, Huesker Due), ß written ss,
    /// Scandinavian å written aa and æ written ae: folding already turned the accented letters into a, o, u, ss, a and
    /// ae, so an "e" after a, o or u, a second "a" after "a" and a second "s" after "s" are dropped on both sides.
    /// Polish fallbacks (ł as l, ż as z) are plain folding. The rule is applied to library and Discogs text alike, so
    /// it works in either direction, and two words it makes equal ("blue" and "blu") are not two albums' difference.
    /// </summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>The keys joined without separators.</summary>
    public string CompactKey { get; }

    /// <summary>How many tokens are numbers (Roman numerals are already converted to digits).</summary>
    public int NumberCount { get; }

    public bool IsEmpty => Tokens.Count == 0;

    /// <summary>The tokens joined by single spaces: the form a person reads in an explanation.</summary>
    public override string ToString() => string.Join(' ', Tokens);

    /// <summary>The token with transliteration fallbacks collapsed (see <see cref="Keys"/>); the same instance when none occurs.</summary>
    internal static string TransliterationKey(string token)
    {
        var found = false;
        for (var i = 1; i < token.Length; i++)
        {
            if (Collapses(token[i - 1], token[i]))
            {
                found = true;
                break;
            }
        }

        if (!found)
        {
            return token;
        }

        var builder = new System.Text.StringBuilder(token.Length);
        foreach (var c in token)
        {
            if (builder.Length > 0 && Collapses(builder[^1], c))
            {
                continue;
            }

            builder.Append(c);
        }

        return builder.ToString();

        static bool Collapses(char previous, char c) =>
            (c == 'e' && previous is 'a' or 'o' or 'u') || (c == 'a' && previous == 'a') || (c == 's' && previous == 's');
    }

    internal static bool IsNumber(string token)
    {
        foreach (var c in token)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return token.Length > 0;
    }
}
