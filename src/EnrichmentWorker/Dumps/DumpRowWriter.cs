using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace EnrichmentWorker.Dumps;

/// <summary>The COPY statement and the binary row of each entity, in the column order of migration 0012.</summary>
internal static class DumpRowWriter
{
    private static JsonSerializerOptions Json => DumpReleaseReader.Json;

    /// <summary>The partition to fill: the table name is chosen from the enum and a slot of 0 or 1, never from input.</summary>
    public static string Partition(DumpEntity entity, short slot) => $"dump_{DumpFile.Names(entity).Plural}_{(slot == 0 ? 0 : 1)}";

    public static string Copy(DumpEntity entity, short slot) => $"COPY {Partition(entity, slot)} ({Columns(entity)}) FROM STDIN (FORMAT BINARY)";

    private static string Columns(DumpEntity entity) => entity switch
    {
        DumpEntity.Masters => "slot, id, title, artists, artist_ids, year, main_release_id, genres, styles, data_quality, title_key, artist_keys",
        DumpEntity.Releases => "slot, id, master_id, is_main, status, title, artists, artist_ids, year, released, country, genres, styles, data_quality, notes, "
            + "formats, labels, extraartists, tracklist, identifiers, companies, title_key, artist_keys",
        DumpEntity.Artists => "slot, id, name, real_name, name_variations, aliases, alias_ids, data_quality, name_keys",
        _ => "slot, id, name, parent_label_id, parent_label, sublabels, data_quality",
    };

    public static async Task MasterAsync(NpgsqlBinaryImporter copy, short slot, DumpMaster m, CancellationToken ct)
    {
        var names = m.Artists.Select(a => a.Name).ToArray();
        await copy.StartRowAsync(ct);
        await copy.WriteAsync(slot, NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync(m.Id, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(m.Title, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(names, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        await copy.WriteAsync(m.Artists.Select(a => a.Id).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint, ct);
        await NullableAsync(copy, m.Year, NpgsqlDbType.Integer, ct);
        await NullableAsync(copy, m.MainReleaseId, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(m.Genres.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        await copy.WriteAsync(m.Styles.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        await TextAsync(copy, m.DataQuality, ct);
        await copy.WriteAsync(DumpKeys.Title(m.Title), NpgsqlDbType.Text, ct);
        await copy.WriteAsync(DumpKeys.Artist(names), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
    }

    public static async Task ReleaseAsync(NpgsqlBinaryImporter copy, short slot, DumpRelease r, CancellationToken ct)
    {
        var names = r.Artists.Select(a => a.Name).ToArray();
        await copy.StartRowAsync(ct);
        await copy.WriteAsync(slot, NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync(r.Id, NpgsqlDbType.Bigint, ct);
        await NullableAsync(copy, r.MasterId, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(r.IsMainRelease, NpgsqlDbType.Boolean, ct);
        await TextAsync(copy, r.Status, ct);
        await copy.WriteAsync(r.Title, NpgsqlDbType.Text, ct);
        await copy.WriteAsync(names, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        await copy.WriteAsync(r.Artists.Select(a => a.Id).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint, ct);
        await NullableAsync(copy, r.Year, NpgsqlDbType.Integer, ct);
        await TextAsync(copy, r.Released, ct);
        await TextAsync(copy, r.Country, ct);
        await copy.WriteAsync(r.Genres.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        await copy.WriteAsync(r.Styles.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        await TextAsync(copy, r.DataQuality, ct);
        await TextAsync(copy, r.Notes, ct);
        await copy.WriteAsync(JsonSerializer.Serialize(r.Formats, Json), NpgsqlDbType.Jsonb, ct);
        await copy.WriteAsync(JsonSerializer.Serialize(r.Labels, Json), NpgsqlDbType.Jsonb, ct);
        await copy.WriteAsync(JsonSerializer.Serialize(r.ExtraArtists, Json), NpgsqlDbType.Jsonb, ct);
        await copy.WriteAsync(JsonSerializer.Serialize(r.Tracklist, Json), NpgsqlDbType.Jsonb, ct);
        await copy.WriteAsync(JsonSerializer.Serialize(r.Identifiers, Json), NpgsqlDbType.Jsonb, ct);
        await copy.WriteAsync(JsonSerializer.Serialize(r.Companies, Json), NpgsqlDbType.Jsonb, ct);

        // Only a release without a master is a candidate of its own; the others are found through their master.
        if (r.MasterId is null)
        {
            await copy.WriteAsync(DumpKeys.Title(r.Title), NpgsqlDbType.Text, ct);
            await copy.WriteAsync(DumpKeys.Artist(names), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        }
        else
        {
            await copy.WriteNullAsync(ct);
            await copy.WriteNullAsync(ct);
        }
    }

    public static async Task ArtistAsync(NpgsqlBinaryImporter copy, short slot, DumpArtist a, CancellationToken ct)
    {
        var keys = new List<string>(a.NameVariations.Count + 1);
        foreach (var name in a.NameVariations.Prepend(a.Name))
        {
            foreach (var key in DumpKeys.Artist([name]))
            {
                if (!keys.Contains(key))
                {
                    keys.Add(key);
                }
            }
        }

        await copy.StartRowAsync(ct);
        await copy.WriteAsync(slot, NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync(a.Id, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(a.Name, NpgsqlDbType.Text, ct);
        await TextAsync(copy, a.RealName, ct);
        await copy.WriteAsync(a.NameVariations.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        await copy.WriteAsync(a.Aliases.Select(x => x.Name).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        await copy.WriteAsync(a.Aliases.Select(x => x.Id ?? 0).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint, ct);
        await TextAsync(copy, a.DataQuality, ct);
        await copy.WriteAsync(keys.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
    }

    public static async Task LabelAsync(NpgsqlBinaryImporter copy, short slot, DumpLabel l, CancellationToken ct)
    {
        await copy.StartRowAsync(ct);
        await copy.WriteAsync(slot, NpgsqlDbType.Smallint, ct);
        await copy.WriteAsync(l.Id, NpgsqlDbType.Bigint, ct);
        await copy.WriteAsync(l.Name, NpgsqlDbType.Text, ct);
        await NullableAsync(copy, l.ParentLabelId, NpgsqlDbType.Bigint, ct);
        await TextAsync(copy, l.ParentLabel, ct);
        await copy.WriteAsync(l.Sublabels.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
        await TextAsync(copy, l.DataQuality, ct);
    }

    private static Task NullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct)
        where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, ct) : copy.WriteNullAsync(ct);

    private static Task TextAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, NpgsqlDbType.Text, ct);
}
