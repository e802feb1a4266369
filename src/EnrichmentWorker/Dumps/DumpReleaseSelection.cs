using Dapper;
using EnrichmentWorker.Matching;
using Npgsql;

namespace EnrichmentWorker.Dumps;

/// <summary>
/// Which releases a library needs, chosen during the streaming pass over the releases file: those of a master by
/// one of the library's artists (masters installed), those credited to one of its artists (releases without a master
/// among them), and those its tags name.
/// </summary>
public sealed class DumpReleaseSelection(HashSet<string> artistKeys, HashSet<long> masterIds, HashSet<long> releaseIds)
{
    public int ArtistCount => artistKeys.Count;

    public int MasterCount => masterIds.Count;

    public bool Keeps(DumpRelease release)
    {
        if (release.MasterId is { } master && masterIds.Contains(master))
        {
            return true;
        }

        if (releaseIds.Contains(release.Id))
        {
            return true;
        }

        foreach (var key in DumpKeys.Artist(release.Artists.Select(a => a.Name).ToArray()))
        {
            if (artistKeys.Contains(key))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads the library (and the masters in service, if any) into the three sets.</summary>
    public static async Task<DumpReleaseSelection> ForLibraryAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var artistKeys = new HashSet<string>(StringComparer.Ordinal);
        var masterIds = new HashSet<long>();
        var releaseIds = new HashSet<long>();
        var albums = await connection.QueryAsync<(string Artist, string? AlbumArtist, long? MasterId, long? ReleaseId)>(new CommandDefinition(
            "SELECT artist, album_artist, discogs_master_id, discogs_release_id FROM albums", cancellationToken: cancellationToken));
        foreach (var album in albums)
        {
            foreach (var name in new[] { album.Artist, album.AlbumArtist })
            {
                var artist = ArtistNormalizer.Normalize(name);
                if (!artist.IsVarious)
                {
                    artistKeys.UnionWith(DumpKeys.Artist(artist));
                }
            }

            if (album.MasterId is { } m)
            {
                masterIds.Add(m);
            }

            if (album.ReleaseId is { } r)
            {
                releaseIds.Add(r);
            }
        }

        if (await InstalledDumps.GetAsync(connection, DumpEntity.Masters, cancellationToken) is { } masters)
        {
            masterIds.UnionWith(await connection.QueryAsync<long>(new CommandDefinition(
                $"SELECT id FROM {DumpRowWriter.Partition(DumpEntity.Masters, masters.Slot)} WHERE artist_keys && @keys",
                new { keys = artistKeys.ToArray() },
                cancellationToken: cancellationToken,
                commandTimeout: 0)));
        }

        return new DumpReleaseSelection(artistKeys, masterIds, releaseIds);
    }
}
