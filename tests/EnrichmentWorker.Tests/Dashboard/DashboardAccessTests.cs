using EnrichmentWorker.Dashboard;

namespace EnrichmentWorker.Tests.Dashboard;

/// <summary>The password hashes behind Dashboard:Users and Dashboard:Tokens.</summary>
public sealed class PasswordHashTests
{
    [Test]
    public void A_password_hash_verifies_only_its_own_password()
    {
        var hash = PasswordHash.Create("s3cret");
        Assert.Multiple(() =>
        {
            Assert.That(hash, Does.StartWith("pbkdf2-sha256$210000$").And.Not.Contain("s3cret"));
            Assert.That(PasswordHash.Verify("s3cret", hash), Is.True);
            Assert.That(PasswordHash.Verify("s3cret ", hash), Is.False);
            Assert.That(PasswordHash.Verify("s3cret", "pbkdf2-sha256$210000$bad$hash"), Is.False);
            Assert.That(PasswordHash.IsWellFormed("plain-text-password"), Is.False);
        });
    }
}

/// <summary>The default: a request from the machine itself acts as admin; one relayed by a proxy does not.</summary>
public sealed class LoopbackTrustTests
{
    [Test]
    public async Task A_local_request_needs_no_login_but_a_forwarded_one_does()
    {
        await using var service = await DashboardService.StartAsync(trustLoopback: true);
        using var client = service.Client();
        using var local = await client.GetAsync("/dashboard");
        using var forwarded = new HttpRequestMessage(HttpMethod.Get, "/dashboard");
        forwarded.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var relayed = await client.SendAsync(forwarded);
        using var post = await client.PostAsync("/api/queue", new StringContent("""{"action":"pause"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Multiple(async () =>
        {
            Assert.That(local.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
            Assert.That(await local.Content.ReadAsStringAsync(), Does.Contain("Pause queue"));
            Assert.That(relayed.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Redirect));
            Assert.That(post.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.BadRequest), "the loopback trust is ambient: it still needs the antiforgery token");
        });
    }
}
