using EnrichmentWorker.Library;
using EnrichmentWorker.Matching;

namespace EnrichmentWorker.Enrichment;

/// <summary>An album's tags and a person's earlier decision about it, if any.</summary>
public sealed record AlbumToEnrich(long Id, AlbumTags Tags, ManualDecision? Manual);

/// <summary>"Use this candidate" or "no match", decided by a person in the dashboard.</summary>
public sealed record ManualDecision(MatchOutcome Status, long? MasterId, long? ReleaseId);
