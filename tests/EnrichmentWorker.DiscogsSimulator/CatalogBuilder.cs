using System.Text.RegularExpressions;

namespace EnrichmentWorker.DiscogsSimulator;

/// <summary>
/// Builds the simulated Discogs from catalog/albums.csv and the dump samples. Ids: catalogue masters and masterless
/// releases keep their real ids; generated releases, decoy masters, decoy artists and simulator labels live in reserved
/// ranges far above real ids (see the constants), so nothing collides with the real data.
/// </summary>
internal static partial class CatalogBuilder
{
    public const long VariousArtistId = 194;
    public const long DecoyMasterIdBase = 8_000_000;
    public const long DecoyArtistIdBase = 95_000_000;
    public const long SyntheticArtistIdBase = 96_000_000;

    private static readonly string[] CoverActs =
    [
        "The Karaoke Kings", "Studio 99 Players", "The Tribute Ensemble", "Sound-A-Like Allstars", "The Cover Collective",
        "Karaoke Classics Band", "The Session Heroes", "Tribute Sound Orchestra",
    ];

    public static SimulatorCatalog Build(string dataDirectory)
    {
        var rows = CatalogFile.Read(Path.Combine(dataDirectory, "catalog", "albums.csv"));
        var artists = new ArtistRegistry();
        var labels = new LabelRegistry();
        var nextSynthetic = SyntheticArtistIdBase;
        var nextDecoyArtist = DecoyArtistIdBase;

        // Artist names: one canonical name per id (its first row), then Discogs' " (N)" suffixes.
        var namesById = new Dictionary<long, string>();
        var creditsByRow = new List<List<(long Id, string Join)>>(rows.Count);
        foreach (var row in rows)
        {
            var ids = row.ArtistIds.Distinct().ToList();
            if (ids.Count == 0)
            {
                ids.Add(nextSynthetic++);
            }

            var parts = SplitArtists(row.Artist);
            var credits = new List<(long, string)>();
            if (parts.Count == ids.Count && ids.Count > 1)
            {
                for (var i = 0; i < ids.Count; i++)
                {
                    namesById.TryAdd(ids[i], parts[i].Name);
                    credits.Add((ids[i], parts[i].Join));
                }
            }
            else
            {
                namesById.TryAdd(ids[0], row.Artist);
                credits.Add((ids[0], ""));
            }

            creditsByRow.Add(credits);
        }

        var namesakes = new List<(long Id, string PlainName)>();
        foreach (var group in namesById.GroupBy(p => TextFolding.Fold(p.Value)))
        {
            var ordered = group.OrderBy(p => p.Key).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                var (id, name) = ordered[i];
                if (i > 0)
                {
                    name = $"{name} ({i + 1})";
                }
                else if (ordered.Count == 1 && id != VariousArtistId && TextFolding.StableHash(id) % 20 == 0)
                {
                    // Another, unrelated artist of that name exists on Discogs; ours is the second.
                    namesakes.Add((id, name));
                    name = $"{name} (2)";
                }

                artists.GetOrAdd(id, name);
            }
        }

        AddRecordedNames(Path.Combine(dataDirectory, "api", "artists"), artists);

        var dumpsDirectory = Path.Combine(dataDirectory, "dumps");
        var dumps = Directory.Exists(dumpsDirectory) ? DumpReader.Read(dumpsDirectory, artists, labels) : new DumpData();
        var factory = new ReleaseFactory(dumps.TrackTitles.Distinct().ToList(), dumps.ExtraArtists, labels);

        var masters = new Dictionary<long, SimMaster>();
        var releases = new Dictionary<long, SimRelease>();
        var albums = new List<CatalogAlbum>(rows.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var credits = creditsByRow[r].Select(c => new Credit(artists.ById[c.Id], Join: c.Join)).ToList();
            var popularity = 300 * row.ListCount;
            var year = row.Year ?? 0;
            if (row.MasterId is { } masterId && !masters.ContainsKey(masterId))
            {
                var master = new SimMaster
                {
                    Id = masterId, Title = row.Title, Artists = credits, Year = year, Genres = row.Genres, Styles = row.Styles,
                };
                master.Versions.AddRange(factory.VersionsFor(masterId, row.Title, credits, year, row.Genres, row.Styles, popularity));
                masters[masterId] = master;
                master.Versions.ForEach(v => releases[v.Id] = v);
                albums.Add(Album(CatalogAlbumKind.Master, row, master.Id, master.Versions, credits));
            }
            else if (row.ReleaseId is { } releaseId && !releases.ContainsKey(releaseId))
            {
                var release = factory.Standalone(releaseId, row.Title, credits, year, row.Genres, row.Styles, popularity);
                releases[releaseId] = release;
                albums.Add(Album(CatalogAlbumKind.ReleaseWithoutMaster, row, null, [release], credits));
            }
            else if (row.MasterId is { } seenMaster)
            {
                // The same master listed twice (two lists name it): one entity, two catalogue rows.
                albums.Add(Album(CatalogAlbumKind.Master, row, seenMaster, masters[seenMaster].Versions, masters[seenMaster].Artists));
            }
            else if (row.ReleaseId is { } seenRelease)
            {
                albums.Add(Album(CatalogAlbumKind.ReleaseWithoutMaster, row, null, [releases[seenRelease]], releases[seenRelease].Artists));
            }
            else
            {
                // No URL: an album Discogs lacks.
                albums.Add(Album(CatalogAlbumKind.Missing, row, null, [], credits));
            }
        }

        // Decoys: popular titles get a "Various" tribute or a cover act with the very same title.
        var decoys = new List<CatalogAlbum>();
        var nextDecoyMaster = DecoyMasterIdBase;
        var coverArtists = new Dictionary<string, SimArtist>(StringComparer.Ordinal);
        for (var r = 0; r < albums.Count; r++)
        {
            var album = albums[r];
            var row = rows[r];
            if (album.Kind != CatalogAlbumKind.Master || album.Year is not > 0 || row.ListCount < 2
                || album.ArtistIds.Contains(VariousArtistId))
            {
                continue;
            }

            var pick = TextFolding.StableHash(album.MasterId!.Value) % 3;
            if (pick == 2)
            {
                continue;
            }

            SimArtist decoyArtist;
            string title;
            CatalogAlbumKind kind;
            if (pick == 0)
            {
                decoyArtist = artists.GetOrAdd(VariousArtistId, "Various");
                title = $"{album.Title} (A Tribute To {album.Artist})";
                kind = CatalogAlbumKind.Tribute;
            }
            else
            {
                var actName = CoverActs[(int)(TextFolding.StableHash(album.Title) % (uint)CoverActs.Length)];
                if (!coverArtists.TryGetValue(actName, out decoyArtist!))
                {
                    decoyArtist = artists.GetOrAdd(nextDecoyArtist++, actName);
                    coverArtists[actName] = decoyArtist;
                }

                title = album.Title;
                kind = CatalogAlbumKind.Cover;
            }

            var decoyYear = Math.Min(2021, album.Year!.Value + 3 + (int)(TextFolding.StableHash(title) % 30));
            var decoy = AddDecoyMaster(nextDecoyMaster++, title, decoyArtist, decoyYear, row, factory, masters, releases);
            decoys.Add(Album(kind, row, decoy.Id, decoy.Versions, decoy.Artists) with { Title = title, Artist = decoyArtist.Name, Year = decoyYear, Imitates = album });
        }

        // Namesakes: the plain-named artist that made ours "X (2)", with an unrelated album of its own.
        var dumpTitles = dumps.Masters.Select(m => m.Title).ToList();
        foreach (var (id, plainName) in namesakes)
        {
            var namesake = artists.GetOrAdd(nextDecoyArtist++, plainName);
            var r = albums.FindIndex(a => a.ArtistIds.Contains(id));
            var original = albums[r];
            var title = dumpTitles.Count == 0 ? "Untitled" : dumpTitles[(int)(TextFolding.StableHash(id) % (uint)dumpTitles.Count)];
            var row = rows[r];
            var year = 1970 + (int)(TextFolding.StableHash(plainName) % 50);
            var decoy = AddDecoyMaster(nextDecoyMaster++, title, namesake, year, row, factory, masters, releases);
            decoys.Add(Album(CatalogAlbumKind.Namesake, row, decoy.Id, decoy.Versions, decoy.Artists) with { Title = title, Artist = plainName, Year = year, Imitates = original });
        }

        // The dump samples: real masters and releases, background that search also finds.
        foreach (var release in dumps.Releases)
        {
            releases.TryAdd(release.Id, release);
        }

        foreach (var master in dumps.Masters)
        {
            masters.TryAdd(master.Id, master);
        }

        var index = SearchIndex.Build(masters.Values, releases.Values, artists.ById.Values, labels.ById.Values);
        return new SimulatorCatalog(albums, decoys, masters, releases, artists.ById, labels.ById, index);
    }

    /// <summary>
    /// Name variations and aliases exactly as Discogs answered for the catalogue artists whose /artists answer was
    /// recorded (David Bowie, Nirvana, Eminem, ...): nothing is invented, other artists have none.
    /// </summary>
    private static void AddRecordedNames(string artistsDirectory, ArtistRegistry artists)
    {
        if (!Directory.Exists(artistsDirectory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(artistsDirectory, "artist-*.json").Where(static f => !f.EndsWith(".headers.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            if (json["id"] is not { } idNode || !artists.ById.TryGetValue((long)idNode, out var artist))
            {
                continue;
            }

            artists.ById[artist.Id] = artist with
            {
                NameVariations = [.. (json["namevariations"]?.AsArray() ?? []).Select(static n => (string)n!)],
                Aliases = [.. (json["aliases"]?.AsArray() ?? []).Select(static a => ((long)a!["id"]!, (string)a["name"]!))],
            };
        }
    }

    private static SimMaster AddDecoyMaster(long id, string title, SimArtist artist, int year, CatalogRow row,
        ReleaseFactory factory, Dictionary<long, SimMaster> masters, Dictionary<long, SimRelease> releases)
    {
        Credit[] credits = [new Credit(artist)];
        var master = new SimMaster { Id = id, Title = title, Artists = credits, Year = year, Genres = row.Genres, Styles = row.Styles, DataQuality = "Needs Vote" };
        master.Versions.AddRange(factory.VersionsFor(id, title, credits, year, row.Genres, row.Styles, 20).Take(2));
        masters[id] = master;
        master.Versions.ForEach(v => releases[v.Id] = v);
        return master;
    }

    private static CatalogAlbum Album(CatalogAlbumKind kind, CatalogRow row, long? masterId, IReadOnlyList<SimRelease> versions, IReadOnlyList<Credit> credits) =>
        new(kind, row.Title, row.Artist, row.Year, masterId, versions.Count > 0 ? versions[0].Id : null, [.. versions.Select(v => v.Id)],
            [.. credits.Select(c => c.Artist.Id)], [.. credits.Select(c => c.Artist.Name)], row.Genres, row.Styles);

    /// <summary>Splits "Stan Getz, Charlie Byrd" or "Louis Prima, Keely Smith And The Witnesses" into credits with their join words.</summary>
    private static List<(string Name, string Join)> SplitArtists(string artist)
    {
        var pieces = ArtistSeparator().Split(artist);
        var result = new List<(string, string)>();
        for (var i = 0; i < pieces.Length; i += 2)
        {
            var join = i + 1 < pieces.Length ? pieces[i + 1].Trim() : "";
            result.Add((pieces[i].Trim(), join));
        }

        return result;
    }

    [GeneratedRegex(@"(, | & | And | and | With | with | Featuring )")]
    private static partial Regex ArtistSeparator();
}
