using System.ComponentModel.DataAnnotations;

namespace EnrichmentWorker.Matching;

/// <summary>
/// How sure the matcher must be. The weights themselves (0.6 title, 0.3 artist, 0.1 year) are the users' rule and
/// not configurable. Defaults were chosen on the evaluation set (tests/EnrichmentWorker.Evaluation), where a wrong
/// match costs more than a miss.
/// </summary>
public sealed class MatchingOptions
{
    public const string Section = "Matching";

    /// <summary>The total score a candidate needs to be matched without a person.</summary>
    [Range(0.0, 1.0)]
    public double MatchThreshold { get; set; } = 0.8;

    /// <summary>How far the best candidate must lead the next-best distinct master to be matched.</summary>
    [Range(0.0, 1.0)]
    public double Margin { get; set; } = 0.05;

    /// <summary>The total score below which a candidate is not worth a person's review.</summary>
    [Range(0.0, 1.0)]
    public double ReviewThreshold { get; set; } = 0.6;

    /// <summary>The artist similarity below which a candidate is rejected whatever its title.</summary>
    [Range(0.0, 1.0)]
    public double ArtistGate { get; set; } = 0.6;

    /// <summary>Results asked for per search request.</summary>
    [Range(5, 100)]
    public int SearchPageSize { get; set; } = 25;
}
