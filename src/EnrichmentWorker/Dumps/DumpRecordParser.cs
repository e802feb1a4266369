using System.Globalization;
using System.Xml.Linq;

namespace EnrichmentWorker.Dumps;

/// <summary>
/// Maps one record element of a dump into its record. Pure. Empty elements (<c>&lt;anv/&gt;</c>) read as "",
/// missing optional ones as null; a number that is not one refuses the record, naming it.
/// </summary>
public static class DumpRecordParser
{
    public static DumpMaster Master(XElement e)
    {
        var id = Number(e, e.Attribute("id")?.Value, "id") ?? throw Missing(e, "id");
        return new DumpMaster(
            id,
            Text(e, "title") ?? "",
            Credits(e.Element("artists")),
            Year(Number(e, Text(e, "year"), "year")),
            Number(e, Text(e, "main_release"), "main_release") is > 0 and var main ? main : null,
            Words(e.Element("genres")),
            Words(e.Element("styles")),
            NullIfEmpty(Text(e, "data_quality")));
    }

    public static DumpRelease Release(XElement e)
    {
        var id = Number(e, e.Attribute("id")?.Value, "id") ?? throw Missing(e, "id");
        var master = e.Element("master_id");
        return new DumpRelease
        {
            Id = id,
            Status = e.Attribute("status")?.Value,
            Title = Text(e, "title") ?? "",
            Artists = Credits(e.Element("artists")),
            ExtraArtists = Credits(e.Element("extraartists")),
            Labels = [.. Children(e.Element("labels"), "label").Select(l => new DumpLabelCredit(
                Number(e, l.Attribute("id")?.Value, "label id"),
                l.Attribute("name")?.Value ?? "",
                l.Attribute("catno")?.Value ?? ""))],
            Formats = [.. Children(e.Element("formats"), "format").Select(f => new DumpFormat(
                f.Attribute("name")?.Value ?? "",
                f.Attribute("qty")?.Value ?? "",
                f.Attribute("text")?.Value ?? "",
                Words(f.Element("descriptions"))))],
            Genres = Words(e.Element("genres")),
            Styles = Words(e.Element("styles")),
            Country = NullIfEmpty(Text(e, "country")),
            Released = NullIfEmpty(Text(e, "released")),
            Notes = NullIfEmpty(Text(e, "notes")),
            DataQuality = NullIfEmpty(Text(e, "data_quality")),
            MasterId = Number(e, master?.Value, "master_id") is > 0 and var m ? m : null,
            IsMainRelease = string.Equals(master?.Attribute("is_main_release")?.Value, "true", StringComparison.OrdinalIgnoreCase),
            Tracklist = Tracks(e, e.Element("tracklist")),
            Identifiers = [.. Children(e.Element("identifiers"), "identifier").Select(i => new DumpIdentifier(
                i.Attribute("type")?.Value ?? "",
                i.Attribute("description")?.Value ?? "",
                i.Attribute("value")?.Value ?? ""))],
            Companies = [.. Children(e.Element("companies"), "company").Select(c => new DumpCompany(
                Number(e, Text(c, "id"), "company id"),
                Text(c, "name") ?? "",
                Text(c, "catno") ?? "",
                Text(c, "entity_type") ?? "",
                Text(c, "entity_type_name") ?? ""))],
        };
    }

    public static DumpArtist Artist(XElement e)
    {
        var id = Number(e, Text(e, "id"), "id") ?? throw Missing(e, "id");
        return new DumpArtist(
            id,
            Text(e, "name") ?? "",
            NullIfEmpty(Text(e, "realname")),
            Words(e.Element("namevariations")),
            [.. Children(e.Element("aliases"), "name").Select(a => new DumpAlias(Number(e, a.Attribute("id")?.Value, "alias id"), a.Value))],
            NullIfEmpty(Text(e, "data_quality")));
    }

    public static DumpLabel Label(XElement e)
    {
        var id = Number(e, Text(e, "id"), "id") ?? throw Missing(e, "id");
        var parent = e.Element("parentLabel");
        return new DumpLabel(
            id,
            Text(e, "name") ?? "",
            Number(e, parent?.Attribute("id")?.Value, "parentLabel id"),
            NullIfEmpty(parent?.Value),
            // The 2020 files write sublabels as empty <label/> elements: only named ones are kept.
            [.. Children(e.Element("sublabels"), "label").Select(l => l.Value).Where(n => n.Length > 0)],
            NullIfEmpty(Text(e, "data_quality")));
    }

    private static List<DumpCredit> Credits(XElement? list) =>
        [.. Children(list, "artist").Select(a => new DumpCredit(
            Number(a, Text(a, "id"), "artist id") ?? 0,
            Text(a, "name") ?? "",
            Text(a, "anv") ?? "",
            Text(a, "join") ?? "",
            Text(a, "role") ?? "",
            Text(a, "tracks") ?? ""))];

    private static List<DumpTrack> Tracks(XElement record, XElement? list) =>
        [.. Children(list, "track").Select(t => new DumpTrack(
            Text(t, "position") ?? "",
            Text(t, "title") ?? "",
            Text(t, "duration") ?? "",
            Credits(t.Element("artists")),
            Credits(t.Element("extraartists")),
            Tracks(record, t.Element("sub_tracks"))))];

    private static IEnumerable<XElement> Children(XElement? parent, string name) => parent?.Elements(name) ?? [];

    private static List<string> Words(XElement? list) =>
        list is null ? [] : [.. list.Elements().Select(w => w.Value.Trim()).Where(w => w.Length > 0)];

    private static string? Text(XElement parent, string name) => parent.Element(name)?.Value;

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static int? Year(long? year) => year is > 0 and < 10000 ? (int)year : null;

    private static long? Number(XElement record, string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return long.TryParse(text.AsSpan().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new DumpImportException($"<{RecordOf(record).Name.LocalName}> {IdOf(record)}: {field} '{text}' is not a number.");
    }

    private static DumpImportException Missing(XElement record, string field) =>
        new($"a <{record.Name.LocalName}> without its {field}: every record of a dump has one.");

    private static XElement RecordOf(XElement element)
    {
        var record = element;
        while (record.Parent is { } parent)
        {
            record = parent;
        }

        return record;
    }

    private static string IdOf(XElement element)
    {
        var record = RecordOf(element);
        return record.Attribute("id")?.Value ?? record.Element("id")?.Value ?? "(no id)";
    }
}
