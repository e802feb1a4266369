using Dapper;
using EnrichmentWorker.Enrichment;
using EnrichmentWorker.Hosting;
using EnrichmentWorker.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace EnrichmentWorker.Tests.Enrichment;

/// <summary>The mode's one mapping, as the settings, the command line and the columns use it.</summary>
public sealed class EnrichmentModeTests
{
    [TestCase(EnrichmentMode.Full, "full")]
    [TestCase(EnrichmentMode.Genres, "genres")]
    public void Each_mode_is_stored_as_its_documented_word_and_read_back(EnrichmentMode mode, string column)
    {
        Assert.Multiple(() =>
        {
            Assert.That(mode.ToColumn(), Is.EqualTo(column));
            Assert.That(EnrichmentModeColumn.FromColumn(column), Is.EqualTo(mode));
        });
    }

    [Test]
    public void Every_mode_has_a_column_word()
    {
        Assert.That(Enum.GetValues<EnrichmentMode>().Select(m => m.ToColumn()), Is.Unique.And.All.Not.Empty);
    }

    [TestCase("genres", EnrichmentMode.Genres)]
    [TestCase("Full", EnrichmentMode.Full)]
    [TestCase(" GENRES ", EnrichmentMode.Genres)]
    public void The_setting_accepts_the_documented_words_in_any_case(string value, EnrichmentMode expected)
    {
        Assert.That(Bind(value).Mode, Is.EqualTo(expected));
    }

    [TestCase("fast")]
    [TestCase("1")]
    [TestCase("")]
    public void The_setting_refuses_anything_else_naming_the_setting_and_the_choices(string value)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Bind(value));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("Enrichment:Mode"));
            Assert.That(ex.InnerException?.Message, Does.Contain("'genres' or 'full'"));
        });
    }

    [Test]
    public void The_enqueue_command_takes_a_mode_and_refuses_an_unknown_one()
    {
        var options = new EnrichmentOptions();

        Assert.Multiple(() =>
        {
            Assert.That(EnqueueVerb.Parse(CliCommand.Parse(["enqueue", "--mode", "genres"]), options).Mode, Is.EqualTo(EnrichmentMode.Genres));
            Assert.That(EnqueueVerb.Parse(CliCommand.Parse(["enqueue", "--mode", "Full"]), options).Mode, Is.EqualTo(EnrichmentMode.Full), "any case, as the setting");
            Assert.That(EnqueueVerb.Parse(CliCommand.Parse(["enqueue"]), options).Mode, Is.Null, "no flag: the service's configured mode");
            Assert.That(() => EnqueueVerb.Parse(CliCommand.Parse(["enqueue", "--mode", "fast"]), options),
                Throws.TypeOf<CliUsageException>().With.Message.EqualTo("--mode must be 'genres' or 'full', not 'fast'."));
        });
    }

    [Test]
    public async Task Enqueue_with_a_mode_stores_it_on_each_album_queued_and_says_how_many()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            // Inserted albums are queued by the database itself; enqueue --force takes those whose job is gone.
            await connection.ExecuteAsync("INSERT INTO albums (source, source_key, artist, title) VALUES ('t', '1', 'A', 'One'), ('t', '2', 'B', 'Two')");
            await connection.ExecuteAsync("DELETE FROM album_jobs");
        }

        var (exitCode, output) = await ServiceProcess.RunCommandAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = db.ConnectionString,
        }, "enqueue", "--force", "--mode", "genres");

        await using var check = await db.DataSource.OpenConnectionAsync();
        var modes = (await check.QueryAsync<string>("SELECT mode FROM album_jobs ORDER BY album_id")).AsList();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Contain("Queued 2 albums"));
            Assert.That(modes, Is.EqualTo(new[] { "genres", "genres" }));
        });
    }

    [Test]
    public async Task The_service_with_an_unknown_mode_does_not_start_and_says_why_in_one_line()
    {
        await using var db = await TestDatabase.CreateAsync();

        var (exitCode, output) = await ServiceProcess.RunCommandAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = db.ConnectionString,
            ["Enrichment__Mode"] = "fast",
        }, "run");

        var errorLines = output.Split('\n').Where(l => l.Contains("cannot start", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ServiceRunner.ExitStartupFailed), output);
            Assert.That(errorLines, Has.Count.EqualTo(1), output);
            Assert.That(errorLines.FirstOrDefault(), Does.Contain("'fast' at 'Enrichment:Mode'").And.Contain("'genres' or 'full'"), output);
            Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
        });
    }

    private static EnrichmentOptions Bind(string value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Enrichment:Mode"] = value }).Build()
            .GetSection(EnrichmentOptions.Section).Get<EnrichmentOptions>()!;
}
