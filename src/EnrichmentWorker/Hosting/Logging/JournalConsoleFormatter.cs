using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Hosting.Logging;

/// <summary>
/// Console lines for systemd's journal: each line starts with the syslog severity <c>&lt;N&gt;</c> (sd-daemon(3)),
/// which journald strips and stores as PRIORITY, so <c>journalctl -p warning</c> works. No colours, no timestamps
/// (the journal adds its own), one line per entry; an exception's lines follow, each with the same prefix, because
/// journald treats every line as its own record.
/// </summary>
public sealed class JournalConsoleFormatter(IOptionsMonitor<ConsoleFormatterOptions> options)
    : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "journal";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        var prefix = "<" + Severity(logEntry.LogLevel) + ">";
        var line = new System.Text.StringBuilder(prefix).Append(logEntry.Category);
        if (logEntry.EventId.Id != 0)
        {
            line.Append('[').Append(logEntry.EventId.Id).Append(']');
        }

        line.Append(": ").Append(OneLine(message));
        if (options.CurrentValue.IncludeScopes && scopeProvider is not null)
        {
            scopeProvider.ForEachScope((scope, builder) => builder.Append(" => ").Append(OneLine(Convert.ToString(scope, System.Globalization.CultureInfo.InvariantCulture))), line);
        }

        textWriter.Write(line.Append('\n').ToString());
        if (logEntry.Exception is not null)
        {
            foreach (var exceptionLine in logEntry.Exception.ToString().Split('\n'))
            {
                textWriter.Write(prefix + "    " + exceptionLine.TrimEnd('\r') + "\n");
            }
        }
    }

    /// <summary>syslog levels as systemd's own formatter maps them: debug 7, info 6, warning 4, err 3, crit 2.</summary>
    public static int Severity(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => 7,
        LogLevel.Information => 6,
        LogLevel.Warning => 4,
        LogLevel.Error => 3,
        LogLevel.Critical => 2,
        _ => 6,
    };

    private static string OneLine(string? text) => (text ?? string.Empty).ReplaceLineEndings(" ");
}
