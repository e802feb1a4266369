using System.Diagnostics;
using EnrichmentWorker.Benchmarks.Support;
using EnrichmentWorker.Library;
using EnrichmentWorker.Matching;
using Microsoft.Extensions.Options;
using static EnrichmentWorker.Benchmarks.Support.Stats;

namespace EnrichmentWorker.Benchmarks.Scenarios;

/// <summary>
/// The matcher's scorer called directly, one thread: noisy library albums each scored against 25 catalogue candidates
/// (its own entry among them when it has one), every candidate normalised afresh as a search result would be.
/// </summary>
public sealed class MatchingThroughputScenario : IScenario
{
    private const int CandidatesPerAlbum = 25;

    public string Name => "matching";

    public IReadOnlyList<string> Rows(BenchSettings settings) => [FigureNames.Matching];

    public Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var catalog = context.Catalog;
        var candidates = catalog.Select(c => new MatchCandidate
        {
            Kind = c.MasterId is not null ? CandidateKind.Master : CandidateKind.Release,
            Id = c.MasterId ?? c.ReleaseId ?? 0,
            MasterId = c.MasterId,
            Title = c.Title,
            Artists = [c.Artist],
            Year = c.Year,
            Genres = c.Genres,
        }).ToArray();
        var albums = context.Library(1000)
            .Select(a => (Album: CandidateScorer.Prepare(new AlbumTags(a.Artist, null, a.Title, a.Year)), Own: a.Truth is null ? -1 : IndexOf(catalog, a.Truth)))
            .ToArray();
        var scorer = new CandidateScorer(Options.Create(new MatchingOptions()));

        var scored = 0L;
        var accepted = 0L;
        var clock = Stopwatch.StartNew();
        for (var round = 0; clock.Elapsed < context.Settings.MatchingDuration; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (album, own) = albums[round % albums.Length];
            var start = own >= 0 ? own : round % candidates.Length;
            for (var k = 0; k < CandidatesPerAlbum; k++)
            {
                var result = scorer.Score(album, candidates[(start + (k * 97)) % candidates.Length]);
                scored++;
                if (result.Total > 0.8)
                {
                    accepted++;
                }
            }
        }

        var elapsed = clock.Elapsed;
        context.Table.Measured(FigureNames.Matching, $"{F(scored / elapsed.TotalSeconds, 0)} /s", "(report)",
            $"{scored:N0} candidates in {F(elapsed.TotalSeconds, 1)} s on one thread, {CandidatesPerAlbum} per album; {accepted:N0} scored above 0.8");
        return Task.CompletedTask;
    }

    private static int IndexOf(IReadOnlyList<Library.CatalogAlbum> catalog, Library.CatalogAlbum album)
    {
        for (var i = 0; i < catalog.Count; i++)
        {
            if (ReferenceEquals(catalog[i], album))
            {
                return i;
            }
        }

        return -1;
    }
}
