using EnrichmentWorker.Hosting;
using EnrichmentWorker.Library;
using EnrichmentWorker.Tests.Library;
using EnrichmentWorker.Tests.Support;

namespace EnrichmentWorker.Tests.Hosting;

/// <summary>The command line as a person meets it: help per verb, one-line mistakes, clean output.</summary>
public sealed class CommandLineTests
{
    private static readonly Dictionary<string, string?> NoDatabase = new() { ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Port=9;Timeout=1" };

    [Test]
    public void Health_is_accepted_as_well_as_healthcheck()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CliCommand.Parse(["health", "--live"]), Has.Property(nameof(CliCommand.Verb)).EqualTo("healthcheck"));
            Assert.That(CliCommand.Parse(["health", "--live"]).Has("live"), Is.True);
            Assert.That(CliCommand.Parse(["healthcheck"]).Verb, Is.EqualTo("healthcheck"));
        });
    }

    [Test]
    public void Configuration_switches_pass_to_the_host_and_the_verb_gets_its_own_options()
    {
        var command = CliCommand.Parse(["import", "lib.csv", "--Discogs:Token", "t0k", "--urls=http://127.0.0.1:1", "--source", "mine", "--ignore-unknown-columns"]);

        Assert.Multiple(() =>
        {
            Assert.That(command.Verb, Is.EqualTo("import"));
            Assert.That(command.Arguments, Is.EqualTo(new[] { "lib.csv" }));
            Assert.That(command.Option("source"), Is.EqualTo("mine"));
            Assert.That(command.Has("ignore-unknown-columns"), Is.True);
            Assert.That(command.HostArgs, Is.EqualTo(new[] { "--Discogs:Token", "t0k", "--urls=http://127.0.0.1:1" }));
            Assert.That(CliCommand.Parse([]).Verb, Is.EqualTo("run"));
            Assert.That(CliCommand.Parse(["--Dashboard:Port=1"]).Verb, Is.EqualTo("run"));
            Assert.That(CliCommand.Parse(["enqueue", "--dry-run=online"]).Option("dry-run"), Is.EqualTo("online"));
            Assert.That(CliCommand.Parse(["enqueue", "--recheck-misses"]).Has("recheck-misses"), Is.True);
            Assert.That(CliCommand.Parse(["enqueue"]).Options, Is.Empty, "an option not given is not there");
        });
    }

    [TestCase("bogus", "Unknown command 'bogus'.", "Run 'EnrichmentWorker --help' for usage.")]
    [TestCase("enqueue --frce", "Unrecognized command or argument '--frce'.", "Run 'EnrichmentWorker enqueue --help' for usage.")]
    [TestCase("import", "Required argument missing for command: 'import'.", "Run 'EnrichmentWorker import --help' for usage.")]
    [TestCase("import a.csv --format", "Required argument missing for option: '--format'.", "Run 'EnrichmentWorker import --help' for usage.")]
    public async Task A_usage_mistake_prints_one_line_and_a_hint_and_exits_64(string args, string error, string hint)
    {
        var (exitCode, output) = await ServiceProcess.RunCommandAsync(Fresh(), args.Split(' '));

        Assert.That(exitCode, Is.EqualTo(ServiceRunner.ExitUsage), output);
        Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { error, hint }));
    }

    [Test]
    public async Task Each_verb_has_its_own_help()
    {
        var (exitCode, output) = await ServiceProcess.RunCommandAsync(NoDatabase, "import", "--help");
        var (helpExit, helpOutput) = await ServiceProcess.RunCommandAsync(NoDatabase, "help", "enqueue");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Contain("EnrichmentWorker import <FILE> [options]").And.Contain("--ignore-unknown-columns").And.Not.Contain("--dry-run"));
            Assert.That(helpExit, Is.Zero, helpOutput);
            Assert.That(helpOutput, Does.Contain("--dry-run <offline|online>").And.Not.Contain("--ignore-unknown-columns"));
        });
    }

    [Test]
    public async Task A_command_prints_its_answer_without_log_lines_and_strips_escape_sequences_from_values()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var files = new LibraryTestData();
        var path = files.WriteFile("tags.csv", "artist,title,\u001b[31mgenre\u001b[0m,\u202Epath\nAir,Moon Safari,Pop,/x\n");

        var (exitCode, output) = await ServiceProcess.RunCommandAsync(new Dictionary<string, string?> { ["ConnectionStrings__Postgres"] = db.ConnectionString },
            "import", path, "--ignore-unknown-columns");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Contain("Ignored 2 unknown columns: [31mgenre[0m, path.").And.Contain("Imported 1 album from"));
            Assert.That(output, Does.Not.Contain("info:"), "no start-up log lines around a command's answer");
            Assert.That(output.Where(c => TerminalText.IsUnsafe(c)), Is.Empty, "no escape or bidirectional control character reaches the terminal");
        });
    }

    [Test]
    public void Terminal_text_keeps_line_breaks_and_tabs_and_drops_other_controls_and_bidi_overrides()
    {
        Assert.That(TerminalText.Clean("a\u001b[2Jb\tc\r\nd\u202Ee\u2066f\u0007"), Is.EqualTo("a[2Jb\tc\r\ndef"));
    }

    private static Dictionary<string, string?> Fresh() => new(NoDatabase);
}
