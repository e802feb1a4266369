using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Console;

namespace EnrichmentWorker.Hosting.Logging;

/// <summary>
/// The console logger the service uses everywhere, including the start-up logger that runs before the host (which
/// <c>AddSystemd()</c> does not reach): under systemd the package's journal formatter (<c>&lt;N&gt;</c> syslog
/// severity prefixes, no colours), otherwise the simple console; scopes on in both, so a job's lines carry its ids.
/// </summary>
public static class ServiceConsoleLogging
{
    public static ILoggingBuilder AddServiceConsole(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.AddConsole();
        logging.Services.Configure<ConsoleFormatterOptions>(o => o.IncludeScopes = true);
        logging.Services.Configure<SimpleConsoleFormatterOptions>(o => o.IncludeScopes = true);
        if (SystemdHelpers.IsSystemdService())
        {
            // Wins over Logging:Console:FormatterName: under the journal anything else loses the severity.
            logging.Services.PostConfigure<ConsoleLoggerOptions>(o => o.FormatterName = ConsoleFormatterNames.Systemd);
        }

        return logging;
    }
}
