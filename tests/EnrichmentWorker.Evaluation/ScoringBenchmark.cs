using System.Diagnostics;
using System.Globalization;
using EnrichmentWorker.Library;
using EnrichmentWorker.Matching;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Evaluation;

/// <summary>
/// A micro-benchmark (not a test): scoring 50 candidates for one album, candidate normalisation included (the
/// search results arrive as raw text), over many iterations after a warm-up.
/// </summary>
public static class ScoringBenchmark
{
    public static void Run(IReadOnlyList<CatalogAlbum> catalog, TextWriter output)
    {
        var scorer = new CandidateScorer(Options.Create(new MatchingOptions()));
        var decider = new MatchDecider(Options.Create(new MatchingOptions()));
        var album = CandidateScorer.Prepare(new AlbumTags("Led Zeppelin feat. Somebody", null, "Led Zeppelin III (Deluxe Edition) [2014 Remaster]", 2014));
        var candidates = catalog.Where(static a => a.InDiscogs).Take(49)
            .Select(static a => new MatchCandidate { Kind = CandidateKind.Master, Id = a.Id!.Value, Title = a.Title, Artists = [a.Artist], Year = a.Year })
            .Append(new MatchCandidate { Kind = CandidateKind.Master, Id = 1, Title = "Led Zeppelin III", Artists = ["Led Zeppelin"], Year = 1970 })
            .ToArray();

        var scored = new ScoredCandidate[candidates.Length];
        void ScoreAll()
        {
            for (var i = 0; i < candidates.Length; i++)
            {
                scored[i] = scorer.Score(album, candidates[i]);
            }
        }

        for (var i = 0; i < 500; i++)
        {
            ScoreAll();
        }

        const int iterations = 5_000;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            ScoreAll();
        }

        stopwatch.Stop();
        var cpuPerAlbum = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / iterations;
        var perAlbum = stopwatch.Elapsed.TotalMilliseconds / iterations;
        var perSecond = iterations * candidates.Length / stopwatch.Elapsed.TotalSeconds;

        stopwatch.Restart();
        for (var i = 0; i < iterations; i++)
        {
            decider.Decide(scored, []);
        }

        var decide = stopwatch.Elapsed.TotalMilliseconds / iterations;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Scoring {candidates.Length} candidates for one album: {perAlbum * 1000:0.0} µs per album ({perSecond:N0} candidates scored per second), over {iterations:N0} iterations; CPU time {cpuPerAlbum * 1000:0.0} µs per album (wall time suffers when the machine is shared)."));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Deciding over the {candidates.Length} scored candidates: {decide * 1000:0.0} µs."));
        output.WriteLine($"Best: {decider.Decide(scored, []).Explanation}");
    }
}
