using EnrichmentWorker.Dashboard;
using EnrichmentWorker.Hosting.Health;
using EnrichmentWorker.Hosting.Logging;
using EnrichmentWorker.Hosting.Systemd;
using EnrichmentWorker.Storage;
using Microsoft.Extensions.Logging.Console;

namespace EnrichmentWorker.Hosting;

/// <summary>Starts the database, applies migrations, then runs the service or one CLI command.</summary>
public static class ServiceRunner
{
    public const int ExitUsage = 64;
    public const int ExitStartupFailed = 78;

    /// <summary>sysexits.h EX_SOFTWARE: a command failed in a way it had no specific answer for.</summary>
    public const int ExitSoftware = 70;

    public static async Task<int> RunAsync(string[] args, Action<WebApplicationBuilder, PostgresDatabase> configureServices, Action<WebApplication> mapEndpoints)
    {
        CliCommand command;
        try
        {
            command = CliCommand.Parse(args);
        }
        catch (CliUsageException ex)
        {
            return await UsageErrorAsync(ex);
        }

        if (command.HelpText is not null)
        {
            Console.WriteLine(command.HelpText);
            return 0;
        }

        if (command.Verb != "run")
        {
            // What a command prints may carry values from files and the database: no escape sequence reaches the terminal.
            Console.SetOut(TextWriter.Synchronized(new TerminalTextWriter(Console.Out)));
            Console.SetError(TextWriter.Synchronized(new TerminalTextWriter(Console.Error)));
        }

        // The content root is the binary's folder, not the caller's working directory, so appsettings.json is found
        // the same way under dotnet run, systemd (WorkingDirectory=/) and the Windows service control manager.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = command.HostArgs,
            ContentRootPath = AppContext.BaseDirectory,
        });

        builder.Configuration.AddSystemdCredentials(Environment.GetEnvironmentVariable(SystemdCredentials.DirectoryVariable));

        // A probe for container health checks: HTTP only, so it must not start (or wait for) a database.
        if (command.Verb == HealthCheckVerb.VerbName)
        {
            return await new HealthCheckVerb(builder.Configuration).RunAsync(command, CancellationToken.None);
        }

        // Hashing a dashboard password is pure computation: it must work on a laptop with no database in reach.
        if (command.Verb == HashPasswordVerb.VerbName)
        {
            return await new HashPasswordVerb(Console.In, Console.Out, Console.Error).RunAsync(command, CancellationToken.None);
        }

        if (command.Verb != "run")
        {
            // A command's answer is its own output; start-up chatter (info: lines) would bury it. Warnings still show.
            builder.Logging.AddFilter<ConsoleLoggerProvider>(null, LogLevel.Warning);
        }

        // The host logs a failed start as an error with the whole stack, then throws the same exception here, where it
        // becomes one line (or, if unforeseen, the runtime's report anyway); a failing background service is still
        // reported, at Critical, with its exception. (A filter for one category replaces the configured minimum: keep it.)
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => level is >= LogLevel.Information and not LogLevel.Error);

        using var bootLoggers = LoggerFactory.Create(logging => logging.AddConfiguration(builder.Configuration.GetSection("Logging"))
            .AddServiceConsole()
            .AddFilter<ConsoleLoggerProvider>(null, command.Verb == "run" ? LogLevel.Trace : LogLevel.Warning));
        var bootLogger = bootLoggers.CreateLogger("EnrichmentWorker.Startup");
        PostgresDatabase database;
        try
        {
            database = await PostgresDatabase.OpenAsync(builder.Configuration, bootLogger, CancellationToken.None);
        }
        catch (EmbeddedPostgresException ex)
        {
            await Console.Error.WriteLineAsync("EnrichmentWorker cannot start: " + ex.Message);
            return ExitStartupFailed;
        }

        await using (database)
        {
            configureServices(builder, database);

            await using var app = builder.Build();
            try
            {
                await app.Services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is SchemaTooNewException or Npgsql.NpgsqlException)
            {
                await Console.Error.WriteLineAsync("EnrichmentWorker cannot start: " + ex.Message);
                return ExitStartupFailed;
            }

            if (command.Verb == "run")
            {
                mapEndpoints(app);
                try
                {
                    // The settings checked at start (ValidateOnStart), before the host would log the failure with a stack trace.
                    app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
                }
                catch (Microsoft.Extensions.Options.OptionsValidationException ex)
                {
                    await Console.Error.WriteLineAsync("EnrichmentWorker cannot start: " + string.Join(" ", ex.Failures));
                    return ExitStartupFailed;
                }
                catch (InvalidOperationException ex) when (ex.InnerException is FormatException or ArgumentException or OverflowException)
                {
                    // The configuration binder's own refusal ("Failed to convert configuration value 'x' at 'Section:Key'
                    // to type …") names the setting; the converter's reason says what it takes.
                    await Console.Error.WriteLineAsync($"EnrichmentWorker cannot start: {ex.Message.TrimEnd('.')}: {ex.InnerException.Message}");
                    return ExitStartupFailed;
                }

                bootLogger.LogInformation("Using {Database}", database.Description);
                try
                {
                    await app.StartAsync();
                }
                catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
                {
                    // Kestrel's message names the address ("Failed to bind to address http://127.0.0.1:5080: address
                    // already in use."); the person needs that and what to change, not the runtime's stack. Stopping
                    // what did start lets each background service end on its stopping token, not as a failure.
                    await Console.Error.WriteLineAsync($"EnrichmentWorker cannot start: {ex.Message.TrimEnd('.')}; stop what listens there or set Urls to a free address.");
                    await app.StopAsync();
                    return ExitStartupFailed;
                }

                await app.WaitForShutdownAsync();
                return 0;
            }

            var verb = app.Services.GetServices<ICliVerb>().FirstOrDefault(v => v.Name == command.Verb);
            if (verb is null)
            {
                await Console.Error.WriteLineAsync($"The command '{command.Verb}' is not available in this build.");
                return ExitUsage;
            }

            var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
            using var cancel = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
            try
            {
                return await verb.RunAsync(command, cancel.Token);
            }
            catch (CliUsageException ex)
            {
                return await UsageErrorAsync(ex.Verb is null ? new CliUsageException(ex.Message, command.Verb) : ex);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A command is run by a person or a script: one line they can act on, never a runtime crash dump
                // (an unhandled exception aborts the process with 134 and a stack trace).
                await Console.Error.WriteLineAsync($"EnrichmentWorker {command.Verb} failed: {ex.Message.ReplaceLineEndings(" ")}");
                return ExitSoftware;
            }
            finally
            {
                _ = lifetime;
            }
        }
    }

    /// <summary>A usage mistake: one line saying what, one saying where the help is; never the whole help.</summary>
    private static async Task<int> UsageErrorAsync(CliUsageException ex)
    {
        await Console.Error.WriteLineAsync(TerminalText.Clean(ex.Message).ReplaceLineEndings(" "));
        await Console.Error.WriteLineAsync($"Run 'EnrichmentWorker {(ex.Verb is null ? "" : ex.Verb + " ")}--help' for usage.");
        return ExitUsage;
    }
}
