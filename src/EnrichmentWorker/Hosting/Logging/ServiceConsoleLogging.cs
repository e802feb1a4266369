using EnrichmentWorker.Hosting.Systemd;
using Microsoft.Extensions.Logging.Console;

namespace EnrichmentWorker.Hosting.Logging;

/// <summary>
/// The console logger the service uses everywhere (including the start-up logger that runs before the host):
/// the journal format with <c>&lt;N&gt;</c> severity prefixes when stderr/stdout go to the journal (JOURNAL_STREAM
/// is set), otherwise the usual simple console; scopes on in both, so a job's lines carry its job and album ids.
/// </summary>
public static class ServiceConsoleLogging
{
    public static ILoggingBuilder AddServiceConsole(this ILoggingBuilder logging, SystemdEnvironment systemd)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(systemd);
        logging.AddConsole();
        logging.AddConsoleFormatter<JournalConsoleFormatter, ConsoleFormatterOptions>();
        logging.Services.Configure<ConsoleFormatterOptions>(o => o.IncludeScopes = true);
        logging.Services.Configure<SimpleConsoleFormatterOptions>(o => o.IncludeScopes = true);
        if (systemd.IsJournalStream)
        {
            // Wins over Logging:Console:FormatterName: under the journal anything else loses the severity.
            logging.Services.PostConfigure<ConsoleLoggerOptions>(o => o.FormatterName = JournalConsoleFormatter.FormatterName);
        }

        return logging;
    }
}
