using System.Text.Json;

namespace EnrichmentWorker.Library;

/// <summary>
/// Reads the fields of one album from a JSON object (a JSON-lines line or an HTTP batch item). Keys are the column
/// names, matched case-insensitively; numbers may be JSON numbers or numeric strings; null means absent.
/// </summary>
internal static class AlbumJson
{
    public static Dictionary<AlbumField, string?> ReadFields(JsonElement item, bool sourceAllowed, List<FieldProblem> problems)
    {
        var raw = new Dictionary<AlbumField, string?>();
        if (item.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new FieldProblem((string?)null, $"is a JSON {Describe(item.ValueKind)}, not an object"));
            return raw;
        }

        foreach (var property in item.EnumerateObject())
        {
            if (!AlbumFieldNames.TryParse(property.Name, out var field))
            {
                problems.Add(new FieldProblem(property.Name, $"is not a known field (known: {(sourceAllowed ? AlbumFieldNames.ApiFieldList : AlbumFieldNames.FileFieldList)})"));
                continue;
            }

            if (field == AlbumField.Source && !sourceAllowed)
            {
                problems.Add(new FieldProblem(property.Name, "is not allowed in a file: the source is named for the whole file (--source)"));
                continue;
            }

            if (raw.ContainsKey(field))
            {
                problems.Add(new FieldProblem(property.Name, "is given twice"));
                continue;
            }

            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String:
                    try
                    {
                        raw[field] = property.Value.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        problems.Add(new FieldProblem(property.Name, "is not valid Unicode text"));
                    }

                    break;
                case JsonValueKind.Number:
                    raw[field] = property.Value.GetRawText();
                    break;
                case JsonValueKind.Null:
                    raw[field] = null;
                    break;
                default:
                    problems.Add(new FieldProblem(property.Name, $"must be a string or a number, not a JSON {Describe(property.Value.ValueKind)}"));
                    break;
            }
        }

        return raw;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => "number",
        JsonValueKind.String => "string",
        _ => "null",
    };
}
