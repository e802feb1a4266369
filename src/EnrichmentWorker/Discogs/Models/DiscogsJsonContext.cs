using System.Text.Json.Serialization;

namespace EnrichmentWorker.Discogs.Models;

/// <summary>Source-generated (de)serialisers for every wire model: no reflection, and a typo in a type fails the build.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(DiscogsSearchPage))]
[JsonSerializable(typeof(DiscogsRelease))]
[JsonSerializable(typeof(DiscogsMaster))]
[JsonSerializable(typeof(DiscogsMasterVersionsPage))]
[JsonSerializable(typeof(DiscogsMasterVersion))]
[JsonSerializable(typeof(DiscogsArtist))]
[JsonSerializable(typeof(DiscogsArtistReleasesPage))]
[JsonSerializable(typeof(DiscogsLabel))]
[JsonSerializable(typeof(DiscogsMarketplaceStats))]
[JsonSerializable(typeof(Dictionary<string, DiscogsPrice>))]
[JsonSerializable(typeof(DiscogsIdentity))]
[JsonSerializable(typeof(DiscogsErrorBody))]
public sealed partial class DiscogsJsonContext : JsonSerializerContext;
