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
    }

    /// <summary>Folded tokens in their original order (CJK characters are one token each).</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>The tokens joined without separators.</summary>
    public string Compact { get; }

    /// <summary>How many tokens are numbers (Roman numerals are already converted to digits).</summary>
    public int NumberCount { get; }

    public bool IsEmpty => Tokens.Count == 0;

    /// <summary>The tokens joined by single spaces: the form a person reads in an explanation.</summary>
    public override string ToString() => string.Join(' ', Tokens);

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
