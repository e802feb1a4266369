using EnrichmentWorker.Hosting.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Tests.Hosting;

public sealed class JournalConsoleFormatterTests
{
    private static string Format(LogLevel level, string message, Exception? exception = null, Action<IExternalScopeProvider>? scopes = null)
    {
        var options = new StaticOptions(new ConsoleFormatterOptions { IncludeScopes = true });
        var formatter = new JournalConsoleFormatter(options);
        var scopeProvider = new LoggerExternalScopeProvider();
        using var writer = new StringWriter();
        using (scopeProvider.Push("Job 12, album 345"))
        {
            formatter.Write(new LogEntry<string>(level, "EnrichmentWorker.Jobs", new EventId(0), message, exception, (s, _) => s), scopeProvider, writer);
        }

        return writer.ToString();
    }

    [TestCase(LogLevel.Trace, 7)]
    [TestCase(LogLevel.Debug, 7)]
    [TestCase(LogLevel.Information, 6)]
    [TestCase(LogLevel.Warning, 4)]
    [TestCase(LogLevel.Error, 3)]
    [TestCase(LogLevel.Critical, 2)]
    public void Each_level_gets_its_syslog_severity_prefix(LogLevel level, int severity)
    {
        Assert.That(Format(level, "hello"), Is.EqualTo($"<{severity}>EnrichmentWorker.Jobs: hello => Job 12, album 345\n"));
    }

    [Test]
    public void A_multi_line_message_stays_on_one_line_and_the_exception_follows_with_the_prefix_on_every_line()
    {
        Exception exception;
        try
        {
            throw new InvalidOperationException("boom");
        }
        catch (InvalidOperationException ex)
        {
            exception = ex;
        }

        var lines = Format(LogLevel.Error, "first\nsecond", exception).TrimEnd('\n').Split('\n');

        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo("<3>EnrichmentWorker.Jobs: first second => Job 12, album 345"));
            Assert.That(lines[1], Does.StartWith("<3>    System.InvalidOperationException: boom"));
            Assert.That(lines.Length, Is.GreaterThan(2), "the stack trace");
            Assert.That(lines, Has.All.Match("^<3>"));
        });
    }

    private sealed class StaticOptions(ConsoleFormatterOptions value) : IOptionsMonitor<ConsoleFormatterOptions>
    {
        public ConsoleFormatterOptions CurrentValue => value;

        public ConsoleFormatterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ConsoleFormatterOptions, string?> listener) => null;
    }
}
