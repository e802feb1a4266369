using System.IO.Compression;
using System.Xml;
using System.Xml.Linq;

namespace EnrichmentWorker.Dumps;

/// <summary>
/// Reads a dump file record by record, straight from the gzip stream: one record's element is in memory at a time,
/// the file is never unpacked. Every failure of the gzip stream or the XML becomes a <see cref="DumpImportException"/>
/// naming the file, the line and column, and the last record read.
/// </summary>
public sealed class DumpXmlReader : IDisposable
{
    private readonly DumpFile file;
    private readonly FileStream stream;
    private readonly GZipStream gzip;
    private readonly XmlReader xml;
    private readonly string recordName;
    private bool started;

    public DumpXmlReader(DumpFile file)
    {
        this.file = file;
        try
        {
            stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DumpImportException($"{file.Name}: cannot be read: {ex.Message}", ex);
        }

        gzip = new GZipStream(stream, CompressionMode.Decompress);
        xml = XmlReader.Create(gzip, new XmlReaderSettings
        {
            IgnoreWhitespace = true,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            DtdProcessing = DtdProcessing.Prohibit,
            // Old dumps carry control characters as character references; they are text to us, not an error.
            CheckCharacters = false,
        });
        recordName = DumpFile.Names(file.Entity).Singular;
    }

    /// <summary>Records read so far.</summary>
    public long Records { get; private set; }

    /// <summary>How far into the compressed file the reader is, for progress and ETA.</summary>
    public long CompressedPosition => stream.CanSeek ? stream.Position : 0;

    public long CompressedLength => stream.CanSeek ? stream.Length : 0;

    /// <summary>The next record's element, or null at the end of a complete file.</summary>
    public XElement? Next()
    {
        try
        {
            if (!started)
            {
                started = true;
                ReadRoot();
            }

            while (xml.NodeType != XmlNodeType.Element || xml.Depth != 1)
            {
                if (xml.NodeType == XmlNodeType.EndElement && xml.Depth == 0)
                {
                    // The root closed: read on to the end so that trailing garbage or a broken gzip trailer is seen.
                    while (xml.Read())
                    {
                    }

                    return null;
                }

                if (!xml.Read())
                {
                    throw new DumpImportException($"{file.Name}: the file ends before </{file.EntityName}> after {Records:N0} records: truncated?");
                }
            }

            if (xml.LocalName != recordName)
            {
                throw new DumpImportException($"{file.Name}: unexpected <{xml.LocalName}> at {Where()} where a <{recordName}> was expected.");
            }

            var element = (XElement)XNode.ReadFrom(xml);
            Records++;
            return element;
        }
        catch (XmlException ex)
        {
            throw new DumpImportException($"{file.Name}: XML error at line {ex.LineNumber}, column {ex.LinePosition}, after {Records:N0} records: {ex.Message}", ex);
        }
        catch (InvalidDataException ex)
        {
            throw new DumpImportException($"{file.Name}: the gzip data is corrupt near byte {CompressedPosition:N0} of {CompressedLength:N0}, after {Records:N0} records: {ex.Message}", ex);
        }
        catch (EndOfStreamException ex)
        {
            throw new DumpImportException($"{file.Name}: the gzip data ends early (byte {CompressedPosition:N0}), after {Records:N0} records: truncated?", ex);
        }
        catch (IOException ex)
        {
            throw new DumpImportException($"{file.Name}: cannot be read after {Records:N0} records: {ex.Message}", ex);
        }
    }

    private void ReadRoot()
    {
        if (!xml.Read() || xml.MoveToContent() != XmlNodeType.Element)
        {
            throw new DumpImportException($"{file.Name}: empty, or not XML.");
        }

        if (xml.LocalName != file.EntityName)
        {
            throw new DumpImportException(
                $"{file.Name}: the file holds <{xml.LocalName}>, but its name says {file.EntityName}: a file of another entity, or renamed?");
        }

        if (xml.IsEmptyElement)
        {
            throw new DumpImportException($"{file.Name}: <{file.EntityName}/> holds no records.");
        }

        xml.Read();
    }

    private string Where() => xml is IXmlLineInfo info && info.HasLineInfo() ? $"line {info.LineNumber}, column {info.LinePosition}" : "an unknown position";

    public void Dispose()
    {
        xml.Dispose();
        gzip.Dispose();
        stream.Dispose();
    }
}
