using System.Xml.Linq;
using EnrichmentWorker.Dumps;

namespace EnrichmentWorker.Tests.Dumps;

/// <summary>The parser against the real 2020-08-06 dump samples (the first 1,000 records of each file) and single records.</summary>
public sealed class DumpParsingTests
{
    [Test]
    public void The_masters_sample_reads_as_a_thousand_masters_with_credits_genres_styles_and_year()
    {
        var masters = DumpSamples.ReadAll(DumpSamples.Masters, DumpRecordParser.Master);

        Assert.That(masters, Has.Count.EqualTo(1000));
        var first = masters[0];
        Assert.Multiple(() =>
        {
            Assert.That(first.Id, Is.EqualTo(113));
            Assert.That(first.MainReleaseId, Is.EqualTo(116925));
            Assert.That(first.Title, Is.EqualTo("Moments In Time"));
            Assert.That(first.Year, Is.EqualTo(2002));
            Assert.That(first.Artists, Is.EqualTo(new[] { new DumpCredit(3225, "Vince Watson", "", "", "", "") }));
            Assert.That(first.Genres, Is.EqualTo(new[] { "Electronic" }));
            Assert.That(first.Styles, Is.EqualTo(new[] { "Techno", "Tech House" }));
            Assert.That(first.DataQuality, Is.EqualTo("Correct"));
            Assert.That(masters[^1].Title, Is.EqualTo("Go Bargain Hunting With..."));
            Assert.That(masters[^1].Artists[0].Name, Is.EqualTo("The Low Budgets"));
            Assert.That(masters.Count(m => m.Styles.Count == 0), Is.EqualTo(102), "masters without <styles> read as none");
            Assert.That(masters.All(m => m.MainReleaseId > 0 && m.Title.Length > 0), Is.True);
        });
    }

    [Test]
    public void The_releases_sample_reads_labels_formats_credits_tracklist_identifiers_companies_and_master()
    {
        var releases = DumpSamples.ReadAll(DumpSamples.Releases, DumpRecordParser.Release);

        Assert.That(releases, Has.Count.EqualTo(1000));
        var stockholm = releases[0];
        Assert.Multiple(() =>
        {
            Assert.That(stockholm.Id, Is.EqualTo(1));
            Assert.That(stockholm.Status, Is.EqualTo("Accepted"));
            Assert.That(stockholm.Title, Is.EqualTo("Stockholm"));
            Assert.That(stockholm.Artists.Single().Name, Is.EqualTo("The Persuader"));
            Assert.That(stockholm.Labels, Is.EqualTo(new[] { new DumpLabelCredit(5, "Svek", "SK032") }));
            Assert.That(stockholm.ExtraArtists.Single(), Is.EqualTo(new DumpCredit(239, "Jesper Dahlbäck", "", "", "Music By [All Tracks By]", "")));
            Assert.That(stockholm.Formats.Single().Name, Is.EqualTo("Vinyl"));
            Assert.That(stockholm.Formats.Single().Qty, Is.EqualTo("2"));
            Assert.That(stockholm.Formats.Single().Text, Is.Empty);
            Assert.That(stockholm.Formats.Single().Descriptions, Is.EqualTo(new[] { "12\"", "33 ⅓ RPM" }));
            Assert.That(stockholm.Genres, Is.EqualTo(new[] { "Electronic" }));
            Assert.That(stockholm.Styles, Is.EqualTo(new[] { "Deep House" }));
            Assert.That(stockholm.Country, Is.EqualTo("Sweden"));
            Assert.That(stockholm.Released, Is.EqualTo("1999-03-00"));
            Assert.That(stockholm.Year, Is.EqualTo(1999));
            Assert.That(stockholm.Notes, Does.StartWith("The song titles are the names"));
            Assert.That(stockholm.DataQuality, Is.EqualTo("Needs Vote"));
            Assert.That(stockholm.MasterId, Is.EqualTo(1660109));
            Assert.That(stockholm.IsMainRelease, Is.True);
            Assert.That(stockholm.Tracklist.Select(t => (t.Position, t.Title, t.Duration)), Is.EqualTo(new[]
            {
                ("A", "Östermalm", "4:45"), ("B1", "Vasastaden", "6:11"), ("B2", "Kungsholmen", "2:49"),
                ("C1", "Södermalm", "5:38"), ("C2", "Norrmalm", "4:52"), ("D", "Gamla Stan", "5:16"),
            }));
            Assert.That(stockholm.Identifiers, Has.Count.EqualTo(5));
            Assert.That(stockholm.Identifiers[0], Is.EqualTo(new DumpIdentifier("Matrix / Runout", "A-Side Runout", "MPO SK 032 A1")));
        });

        Assert.Multiple(() =>
        {
            Assert.That(releases.Sum(r => r.Tracklist.Sum(t => 1 + t.SubTracks.Count)), Is.EqualTo(9430), "every <track>, sub-tracks included");
            Assert.That(releases.Sum(r => r.Tracklist.Count(t => t.SubTracks.Count > 0)), Is.EqualTo(57), "<sub_tracks> elements");
            Assert.That(releases.Sum(r => r.Companies.Count), Is.EqualTo(1678));
            Assert.That(releases.Sum(r => r.Identifiers.Count), Is.EqualTo(1672));
            Assert.That(releases.Count(r => r.MasterId is not null), Is.EqualTo(615));
            Assert.That(releases.Count(r => r.Country is null), Is.EqualTo(30), "releases without <country>");
            Assert.That(releases.Count(r => r.Released is null), Is.EqualTo(118), "releases without <released>");
            var company = releases.SelectMany(r => r.Companies).First(c => c.Id == 348559);
            Assert.That(company, Is.EqualTo(new DumpCompany(348559, "Tivoli Koncertsalen, Copenhagen", "", "23", "Recorded At")));
        });
    }

    [Test]
    public void A_release_with_sub_tracks_keeps_them_under_their_index_track_with_track_credits()
    {
        var release = DumpRecordParser.Release(XElement.Load(DumpSamples.PathOf("release.xml")));

        var first = release.Tracklist[0];
        Assert.Multiple(() =>
        {
            Assert.That(release.Id, Is.EqualTo(3));
            Assert.That(release.MasterId, Is.EqualTo(66526));
            Assert.That(release.IsMainRelease, Is.False);
            Assert.That(release.Released, Is.EqualTo("1999-07-13"));
            Assert.That(first.Title, Is.EqualTo("Untitled 8"));
            Assert.That(first.SubTracks.Select(t => (t.Position, t.Title, t.Duration)), Is.EqualTo(new[]
            {
                ("11.a", "909 Shuffle", "3:10"), ("11.b", "Laser 101 Rmx", "4:26"), ("11.c", "Adrenalin (Ciborg Rmx)", "5:38"),
            }));
            Assert.That(first.Artists, Is.EqualTo(new[] { new DumpCredit(5, "Heiko Laux", "", "&", "", ""), new DumpCredit(4, "Johannes Heil", "", "", "", "") }));
            Assert.That(first.ExtraArtists.Single(), Is.EqualTo(new DumpCredit(11233, "Chris Lum", "", "", "Producer", "")));
            Assert.That(release.Tracklist[1].Artists.Single().Anv, Is.EqualTo("K.A.B."));
            Assert.That(release.Tracklist[1].SubTracks, Is.Empty);
        });
    }

    [Test]
    public void Artists_read_with_real_name_name_variations_and_aliases()
    {
        var artists = DumpSamples.ReadAll(DumpSamples.Artists, DumpRecordParser.Artist);
        var single = DumpRecordParser.Artist(XElement.Load(DumpSamples.PathOf("artist.xml")));

        Assert.That(artists, Has.Count.EqualTo(1000));
        Assert.Multiple(() =>
        {
            Assert.That(artists[0].Name, Is.EqualTo("The Persuader"));
            Assert.That(artists[0].RealName, Is.EqualTo("Jesper Dahlbäck"));
            Assert.That(artists[0].NameVariations, Is.EqualTo(new[] { "Persuader", "The Presuader" }));
            Assert.That(artists[0].Aliases, Has.Count.EqualTo(7));
            Assert.That(artists[0].Aliases[0], Is.EqualTo(new DumpAlias(239, "Jesper Dahlbäck")));
            Assert.That(artists[^1], Is.EqualTo(new DumpArtist(7347455, "Jacob Randal", null, [], [], "Needs Major Changes")).Using<DumpArtist>(SameArtist));
            Assert.That(single.Id, Is.EqualTo(27));
            Assert.That(single.RealName, Is.EqualTo("Kari Pekka Lekebusch"));
            Assert.That(single.NameVariations, Is.EqualTo(new[] { "C Lekebusch", "Cari Lekebusch den rykande Bönsyrsan" }));
            Assert.That(single.Aliases, Is.EqualTo(new[] { new DumpAlias(89, "Mr. James Barth"), new DumpAlias(1294, "Braincell") }));
        });
    }

    [Test]
    public void Labels_read_with_parent_label_and_named_sublabels_and_skip_the_empty_ones()
    {
        var labels = DumpSamples.ReadAll(DumpSamples.Labels, DumpRecordParser.Label);
        var single = DumpRecordParser.Label(XElement.Load(DumpSamples.PathOf("label.xml")));

        Assert.That(labels, Has.Count.EqualTo(1000));
        Assert.Multiple(() =>
        {
            Assert.That(labels[0].Name, Is.EqualTo("Planet E"));
            Assert.That(labels[0].Sublabels, Is.Empty, "the 2020 file writes <sublabels><label/>...: nothing to keep");
            Assert.That(labels.Count(l => l.ParentLabelId is not null), Is.GreaterThan(0));
            Assert.That(labels.First(l => l.ParentLabelId == 1866).ParentLabel, Is.EqualTo("Columbia"));
            Assert.That(single.Sublabels, Has.Count.EqualTo(8));
            Assert.That(single.Sublabels[0], Is.EqualTo("Antidote (4)"));
        });
    }

    [TestCase("discogs_20200806_masters.xml.gz", DumpEntity.Masters, 2020, 8, 6)]
    [TestCase("/data/philipmat-discogs-xml2db__discogs_20260101_releases.xml.gz", DumpEntity.Releases, 2026, 1, 1)]
    public void A_dump_file_name_gives_its_entity_and_date(string path, DumpEntity entity, int year, int month, int day)
    {
        var file = DumpFile.Parse(path);

        Assert.That((file.Entity, file.Date), Is.EqualTo((entity, new DateOnly(year, month, day))));
    }

    [TestCase("masters.xml.gz")]
    [TestCase("discogs_20200806_masters.xml")]
    [TestCase("discogs_2020086_masters.xml.gz")]
    [TestCase("discogs_20200806_images.xml.gz")]
    public void A_file_not_named_like_a_dump_is_refused_with_the_name_expected(string path)
    {
        var refused = Assert.Throws<DumpImportException>(() => DumpFile.Parse(path));

        Assert.That(refused!.Message, Does.Contain("discogs_YYYYMMDD_"));
    }

    private static bool SameArtist(DumpArtist a, DumpArtist b) =>
        a.Id == b.Id && a.Name == b.Name && a.RealName == b.RealName && a.NameVariations.SequenceEqual(b.NameVariations)
        && a.Aliases.SequenceEqual(b.Aliases) && a.DataQuality == b.DataQuality;
}
