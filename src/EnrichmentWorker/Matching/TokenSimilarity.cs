namespace EnrichmentWorker.Matching;

/// <summary>
/// Similarity of two normalised strings by token overlap.
/// </summary>
/// <remarks>
/// The measure is the Sørensen–Dice coefficient over tokens, 2·|A∩B| / (|A|+|B|). The old pipeline divided the
/// overlap by the larger set, which punishes a one-word difference on a short title twice as hard as Dice does
/// ("Dark Side Of The Moon" vs "The Dark Side Of The Moon": 0.83 there, 0.91 here) while ranking candidates the same
/// way for a fixed query. Dice is monotone in Jaccard (D = 2J/(1+J)), so it orders candidates exactly like Jaccard
/// but sits on a scale where 0.8 reads as "one token in five differs". Two shortcuts sit on top: equal compact forms
/// (the tokens joined without spaces) count as identical, which covers "N*E*R*D" vs "N.E.R.D" and "AC/DC" vs "ACDC";
/// and for titles, numbers are identity: when the numbers in two titles differ, the score is cut to a fraction, so
/// "Led Zeppelin" vs "Led Zeppelin III" cannot pass as one extra token among several.
/// </remarks>
public static class TokenSimilarity
{
    /// <summary>What is left of a title score when the titles' numbers differ.</summary>
    public const double NumberMismatchFactor = 0.3;

    /// <summary>The floor for an artist credit fully contained in the other ("Duke Ellington" in "Duke Ellington And His Orchestra").</summary>
    public const double ArtistContainmentScore = 0.8;

    public static double Dice(NormalizedText a, NormalizedText b)
    {
        var countA = a.Tokens.Count;
        var countB = b.Tokens.Count;
        if (countA == 0 || countB == 0)
        {
            return 0;
        }

        return 2.0 * CommonTokens(a, b) / (countA + countB);
    }

    public static double Title(NormalizedText library, NormalizedText candidate)
    {
        if (library.IsEmpty || candidate.IsEmpty)
        {
            return 0;
        }

        var score = library.CompactKey == candidate.CompactKey ? 1.0 : Dice(library, candidate);
        return SameNumbers(library, candidate) ? score : score * NumberMismatchFactor;
    }

    public static double Artist(NormalizedText library, NormalizedText candidate)
    {
        if (library.IsEmpty || candidate.IsEmpty)
        {
            return 0;
        }

        if (library.CompactKey == candidate.CompactKey)
        {
            return 1.0;
        }

        var common = CommonTokens(library, candidate);
        var dice = 2.0 * common / (library.Tokens.Count + candidate.Tokens.Count);
        var smaller = Math.Min(library.Tokens.Count, candidate.Tokens.Count);

        // A two-word name wholly inside the other credit is the same act credited more or less fully; a one-word
        // name inside a longer one ("Prince" in "Prince Buster") is not evidence enough, so it keeps its Dice score.
        return smaller >= 2 && common == smaller ? Math.Max(dice, ArtistContainmentScore) : dice;
    }

    /// <summary>Whether every token of <paramref name="part"/> occurs in <paramref name="whole"/>.</summary>
    public static bool Contains(NormalizedText whole, NormalizedText part) => CommonTokens(part, whole) == part.Tokens.Count;

    /// <summary>Tokens of <paramref name="a"/> matched one-to-one in <paramref name="b"/> (a multiset intersection).</summary>
    private static int CommonTokens(NormalizedText a, NormalizedText b)
    {
        var tokensB = b.Keys;
        Span<bool> used = tokensB.Count <= 64 ? stackalloc bool[tokensB.Count] : new bool[tokensB.Count];
        var common = 0;
        foreach (var token in a.Keys)
        {
            for (var j = 0; j < tokensB.Count; j++)
            {
                if (!used[j] && string.Equals(token, tokensB[j], StringComparison.Ordinal))
                {
                    used[j] = true;
                    common++;
                    break;
                }
            }
        }

        return common;
    }

    /// <summary>Whether both titles carry the same numbers (as multisets), in any order.</summary>
    private static bool SameNumbers(NormalizedText a, NormalizedText b)
    {
        if (a.NumberCount != b.NumberCount)
        {
            return false;
        }

        if (a.NumberCount == 0)
        {
            return true;
        }

        var tokensB = b.Tokens;
        Span<bool> used = tokensB.Count <= 64 ? stackalloc bool[tokensB.Count] : new bool[tokensB.Count];
        foreach (var token in a.Tokens)
        {
            if (!NormalizedText.IsNumber(token))
            {
                continue;
            }

            var found = false;
            for (var j = 0; j < tokensB.Count; j++)
            {
                if (!used[j] && string.Equals(token, tokensB[j], StringComparison.Ordinal))
                {
                    used[j] = true;
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }
}
