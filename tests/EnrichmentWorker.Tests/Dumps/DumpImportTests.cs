using System.IO.Compression;
using Dapper;
using EnrichmentWorker.Dumps;
using EnrichmentWorker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EnrichmentWorker.Tests.Dumps;

/// <summary>Importing dump files into the slot tables, and every way a file is refused with the dump in service unharmed.</summary>
public sealed class DumpImportTests
{
    private TestDatabase db = null!;
    private string folder = null!;

    [SetUp]
    public async Task SetUp()
    {
        db = await TestDatabase.CreateAsync();
        folder = Directory.CreateTempSubdirectory("dumps-").FullName;
    }

    [TearDown]
    public async Task TearDown()
    {
        await db.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Test]
    public async Task Each_entity_of_the_real_samples_is_installed_with_its_date_and_row_count()
    {
        var importer = Importer();

        foreach (var path in new[] { DumpSamples.Masters, DumpSamples.Releases, DumpSamples.Artists, DumpSamples.Labels })
        {
            var result = await importer.ImportAsync(DumpFile.Parse(path), onlyLibraryReleases: false, CancellationToken.None);
            Assert.That(result.RowsWritten, Is.EqualTo(1000), path);
        }

        var installed = await new InstalledDumps(db.DataSource).ListAsync(CancellationToken.None);
        Assert.That(installed.Select(d => (d.Entity, d.Date, d.RowCount)), Is.EqualTo(new[]
        {
            ("artists", new DateOnly(2020, 8, 6), 1000L), ("labels", new DateOnly(2020, 8, 6), 1000L),
            ("masters", new DateOnly(2020, 8, 6), 1000L), ("releases", new DateOnly(2020, 8, 6), 1000L),
        }));
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var master = await connection.QuerySingleAsync<(string Title, string TitleKey, string[] ArtistKeys)>(
            "SELECT title, title_key, artist_keys FROM dump_masters_0 WHERE id = 113");
        Assert.That(master, Is.EqualTo(("Moments In Time", "momentsintime", new[] { "vincewatson" })).Using<(string, string, string[])>((a, b) =>
            a.Item1 == b.Item1 && a.Item2 == b.Item2 && a.Item3.SequenceEqual(b.Item3)));
        var subTracks = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM dump_releases_0, jsonb_array_elements(tracklist) t WHERE jsonb_array_length(t -> 'sub_tracks') > 0");
        Assert.That(subTracks, Is.EqualTo(57));
        var persuader = await connection.ExecuteScalarAsync<string[]>("SELECT name_keys FROM dump_artists_0 WHERE id = 1");
        Assert.That(persuader, Is.EqualTo(new[] { "persuader", "presuader" }), "'The' goes, so the name and its variation share a key");
    }

    [Test]
    public async Task An_installed_slot_leaves_nothing_in_its_gin_indexes_pending_lists_for_the_lookups_to_read()
    {
        var importer = Importer();
        foreach (var path in new[] { DumpSamples.Masters, DumpSamples.Releases, DumpSamples.Artists })
        {
            await importer.ImportAsync(DumpFile.Parse(path), onlyLibraryReleases: false, CancellationToken.None);
        }

        // gin_clean_pending_list answers how many pending pages it merged: none left means the import merged them.
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var pending = (await connection.QueryAsync<(string Index, long Pages)>("""
            SELECT c.relname, gin_clean_pending_list(c.oid::regclass)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
            WHERE am.amname = 'gin' AND i.indrelid IN ('dump_masters_0'::regclass, 'dump_releases_0'::regclass, 'dump_artists_0'::regclass)
            ORDER BY c.relname
            """)).ToList();
        Assert.That(pending, Has.Count.EqualTo(3));
        Assert.That(pending.Where(p => p.Pages > 0), Is.Empty);
    }

    [Test]
    public async Task A_newer_dump_replaces_the_one_in_service_by_switching_slots()
    {
        var importer = Importer();
        await importer.ImportAsync(DumpFile.Parse(DumpSamples.Masters), false, CancellationToken.None);
        var newer = Variant("discogs_20200906_masters.xml.gz", xml => xml.Replace("<title>Moments In Time</title>", "<title>Moments In Time (Renamed)</title>", StringComparison.Ordinal));

        var result = await importer.ImportAsync(DumpFile.Parse(newer), false, CancellationToken.None);

        Assert.That(result.Slot, Is.EqualTo(1));
        Assert.That(await MasterTitleInServiceAsync(113), Is.EqualTo("Moments In Time (Renamed)"));
        Assert.That((await InstalledMastersAsync()).Date, Is.EqualTo(new DateOnly(2020, 9, 6)));
    }

    [Test]
    public async Task A_truncated_gzip_file_is_refused_and_the_previous_dump_keeps_serving()
    {
        await InstallSampleMastersAsync();
        var bytes = await File.ReadAllBytesAsync(DumpSamples.Masters);
        var truncated = Path.Combine(folder, "discogs_20200906_masters.xml.gz");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);

        var refused = await RefusedAsync(truncated);

        Assert.That(refused, Does.Contain("discogs_20200906_masters.xml.gz").And.Contain("records"));
        await AssertSampleStillServesAsync();
    }

    [Test]
    public async Task A_corrupt_gzip_file_is_refused_and_the_previous_dump_keeps_serving()
    {
        await InstallSampleMastersAsync();
        var bytes = await File.ReadAllBytesAsync(DumpSamples.Masters);
        for (var i = bytes.Length / 2; i < (bytes.Length / 2) + 64; i++)
        {
            bytes[i] ^= 0x5a;
        }

        var corrupt = Path.Combine(folder, "discogs_20200906_masters.xml.gz");
        await File.WriteAllBytesAsync(corrupt, bytes);

        var refused = await RefusedAsync(corrupt);

        Assert.That(refused, Does.Contain("discogs_20200906_masters.xml.gz"));
        await AssertSampleStillServesAsync();
    }

    [Test]
    public async Task An_xml_error_in_the_middle_is_refused_with_its_line_and_the_previous_dump_keeps_serving()
    {
        await InstallSampleMastersAsync();
        var broken = Variant("discogs_20200906_masters.xml.gz", xml =>
        {
            var middle = xml.IndexOf("<master id=", xml.Length / 2, StringComparison.Ordinal);
            return xml[..middle] + "<master id=\"1\"><title>Broken</titel></master>\n" + xml[middle..];
        });

        var refused = await RefusedAsync(broken);

        Assert.That(refused, Does.Contain("XML error at line 5788, column 31, after 415 records"));
        await AssertSampleStillServesAsync();
    }

    [Test]
    public async Task A_file_of_another_entity_is_refused_and_the_previous_dump_keeps_serving()
    {
        await InstallSampleMastersAsync();
        var releasesNamedMasters = Path.Combine(folder, "discogs_20200906_masters.xml.gz");
        File.Copy(DumpSamples.Releases, releasesNamedMasters);

        var refused = await RefusedAsync(releasesNamedMasters);

        Assert.That(refused, Does.Contain("holds <releases>, but its name says masters"));
        await AssertSampleStillServesAsync();
    }

    [Test]
    public async Task A_dump_older_than_the_one_in_service_is_refused_and_the_previous_dump_keeps_serving()
    {
        await InstallSampleMastersAsync();
        var older = Path.Combine(folder, "discogs_20200706_masters.xml.gz");
        File.Copy(DumpSamples.Masters, older);

        var refused = await RefusedAsync(older);

        Assert.That(refused, Does.Contain("2020-07-06 is older than the one in service (2020-08-06"));
        await AssertSampleStillServesAsync();
    }

    [Test]
    public async Task Releases_for_the_library_keep_only_those_of_its_artists_and_their_masters()
    {
        await Importer().ImportAsync(DumpFile.Parse(DumpSamples.Masters), false, CancellationToken.None);
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO albums (artist, title) VALUES ('Persuader', 'Stockholm')");
        }

        var result = await Importer().ImportAsync(DumpFile.Parse(DumpSamples.Releases), onlyLibraryReleases: true, CancellationToken.None);

        var all = DumpSamples.ReadAll(DumpSamples.Releases, DumpRecordParser.Release);
        var expected = all.Where(r => r.Artists.Any(a => a.Name == "The Persuader")).Select(r => r.Id).ToList();
        Assert.That(expected, Is.Not.Empty);
        Assert.That(result.RowsWritten, Is.EqualTo(expected.Count));
        await using var read = await db.DataSource.OpenConnectionAsync();
        Assert.That(await read.QueryAsync<long>("SELECT id FROM dump_releases_0 ORDER BY id"), Is.EqualTo(expected.Order()));
        Assert.That(await read.ExecuteScalarAsync<string>("SELECT scope FROM dump_installed WHERE entity = 'releases'"), Is.EqualTo("library"));
    }

    private DumpImporter Importer() =>
        new(db.DataSource, TimeProvider.System, Options.Create(new DumpOptions()), NullLogger<DumpImporter>.Instance);

    private string Variant(string name, Func<string, string> edit) =>
        DumpSamples.WriteGzip(folder, name, edit(DumpSamples.Text(DumpSamples.Masters)));

    private Task InstallSampleMastersAsync() => Importer().ImportAsync(DumpFile.Parse(DumpSamples.Masters), false, CancellationToken.None);

    private async Task<string> RefusedAsync(string path)
    {
        var refused = Assert.ThrowsAsync<DumpImportException>(() => Importer().ImportAsync(DumpFile.Parse(path), false, CancellationToken.None));
        return refused!.Message;
    }

    private async Task AssertSampleStillServesAsync()
    {
        var installed = await InstalledMastersAsync();
        Assert.Multiple(async () =>
        {
            Assert.That(installed.Date, Is.EqualTo(new DateOnly(2020, 8, 6)));
            Assert.That(installed.RowCount, Is.EqualTo(1000));
            Assert.That(await MasterTitleInServiceAsync(113), Is.EqualTo("Moments In Time"));
        });
        await using var connection = await db.DataSource.OpenConnectionAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM dump_masters_{installed.Slot}"), Is.EqualTo(1000));
    }

    private async Task<InstalledDump> InstalledMastersAsync() =>
        (await new InstalledDumps(db.DataSource).GetAsync(DumpEntity.Masters, CancellationToken.None))!;

    private async Task<string?> MasterTitleInServiceAsync(long id)
    {
        var installed = await InstalledMastersAsync();
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>($"SELECT title FROM dump_masters_{installed.Slot} WHERE id = @id", new { id });
    }
}
