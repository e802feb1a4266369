using System.Text.Json;
using System.Text.Json.Serialization;

namespace EnrichmentWorker.Library;

/// <summary>
/// An album as stored: its identity, its tags and when it was added, last changed and (for a music folder's album)
/// found missing. The HTTP API and the dashboard both show it, as JSON with the same field names the intake accepts.
/// </summary>
[JsonConverter(typeof(StoredAlbumJsonConverter))]
public sealed record StoredAlbum(long Id, string Source, string SourceKey, AlbumTags Tags, DateTime AddedAt, DateTime UpdatedAt, DateTime? MissingSince);

/// <summary>
/// Writes a <see cref="StoredAlbum"/> flat, its tags named by <see cref="AlbumFieldNames"/>: the intake's names are the
/// output's names, so a new tag needs no change here. Reading one back is not offered: albums come in through the intake.
/// </summary>
public sealed class StoredAlbumJsonConverter : JsonConverter<StoredAlbum>
{
    public override StoredAlbum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("A stored album is written, never read: albums come in through the intake's fields.");

    public override void Write(Utf8JsonWriter writer, StoredAlbum value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("id", value.Id);
        writer.WriteString(AlbumFieldNames.NameOf(AlbumField.Source), value.Source);
        writer.WriteString(AlbumFieldNames.NameOf(AlbumField.SourceKey), value.SourceKey);
        foreach (var (field, tag) in AlbumFieldNames.TagsOf(value.Tags))
        {
            writer.WritePropertyName(AlbumFieldNames.NameOf(field));
            JsonSerializer.Serialize(writer, tag, options);
        }

        writer.WriteString("added_at", value.AddedAt);
        writer.WriteString("updated_at", value.UpdatedAt);
        if (value.MissingSince is { } missing)
        {
            writer.WriteString("missing_since", missing);
        }

        writer.WriteEndObject();
    }
}
