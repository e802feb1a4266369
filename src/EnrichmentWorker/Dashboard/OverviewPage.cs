namespace EnrichmentWorker.Dashboard;

/// <summary>The landing page: how much is waiting, how fast it goes, and anything that stops it.</summary>
public static class OverviewPage
{
    /// <summary>Album jobs by state; each links to Hangfire's list of that state (succeeded: the last day).</summary>
    public static readonly (string State, string Label, string Hint)[] StateLabels =
    [
        ("enqueued", "Waiting", "ready to run"),
        ("scheduled", "Scheduled", "a retry waits"),
        ("processing", "Processing", "running now"),
        ("failed", "Failed", "need a person"),
        ("succeeded", "Succeeded", "in the last day"),
    ];

    public static IResult Render(PageContext page, Overview o, IReadOnlyList<Dumps.InstalledDump>? dumps = null)
    {
        var counts = Html.Join(StateLabels.Select(s =>
        {
            var c = o.Counts.FirstOrDefault(x => x.State == s.State);
            var value = c is null ? "0" : (c.Estimated ? "≈ " : "") + Fmt.Count(c.Count);
            return Html.Of($"""
                <a class="stat state-{s.State}" href="{HangfireLinks.JobsInState(s.State)}">
                  <span class="stat-value" data-count="{s.State}">{value}</span>
                  <span class="stat-label">{s.Label}</span><span class="stat-hint">{s.Hint}</span>
                </a>
                """);
        }));
        return Layout.Page(page, "Overview", "overview", Html.Of($"""
            <h1>Overview</h1>
            <section class="grid status">
              {QueuePanel(page, o.Queue)}
              {DiscogsPanel(o.Discogs, o.Backlog, dumps ?? [])}
              {BudgetPanel(page, o.Budget)}
              {BacklogPanel(o.Backlog)}
            </section>
            <section class="stats" aria-label="Jobs by state">{counts}</section>
            <section class="grid charts">
              <div class="card">
                <div class="card-head"><h2>Throughput</h2><span class="muted">jobs finished per minute, last hour · live</span></div>
                <svg id="throughput-chart" class="chart" viewBox="0 0 600 180" role="img" aria-label="Jobs finished per minute"></svg>
                <div class="legend"><span class="key ok"></span>succeeded <span class="key bad"></span>failed</div>
              </div>
              <div class="card">
                <div class="card-head"><h2>History</h2>
                  <div class="toggle" role="group" aria-label="History resolution">
                    <button type="button" class="btn small active" data-history="hourly">Hourly</button>
                    <button type="button" class="btn small" data-history="daily">Daily</button>
                  </div>
                </div>
                <svg id="history-chart" class="chart" viewBox="0 0 600 180" role="img" aria-label="Jobs finished per hour or day"></svg>
                <div class="legend muted" id="history-caption">finished jobs per hour, last 48 hours</div>
              </div>
            </section>
            <p class="muted small">The jobs themselves — lists, details with exception history, retries, servers, recurring jobs — are on the <a href="{HangfireLinks.Dashboard}">Hangfire dashboard</a>. {o.Servers} Hangfire server(s) running. Updated <span id="updated-at">{Fmt.Time(o.Now)}</span>.</p>
            """));
    }

    private static Markup QueuePanel(PageContext page, QueueView queue)
    {
        var state = queue.Paused
            ? Html.Of($"<span class=\"pill bad\" id=\"queue-state\">Paused</span><p class=\"why\" id=\"queue-reason\">{queue.Reason ?? "No reason given."}{(queue.PausedBy is null ? Markup.Empty : Html.Of($" <span class=\"muted\">(by {queue.PausedBy})</span>"))}</p>")
            : Html.Of($"<span class=\"pill ok\" id=\"queue-state\">Running</span><p class=\"why\" id=\"queue-reason\">Workers claim jobs as the budget allows.</p>");
        var button = !page.IsAdmin ? Markup.Empty
            : Html.Of($"""
                <form method="post" action="{page.Url("/queue")}" class="inline" data-queue-form>
                  {page.TokenField}
                  <input type="hidden" name="action" value="{(queue.Paused ? "resume" : "pause")}">
                  <button type="submit" class="btn {(queue.Paused ? "primary" : "")}" id="queue-toggle">{(queue.Paused ? "Resume queue" : "Pause queue")}</button>
                </form>
                """);
        return Html.Of($"""<div class="card" id="queue-panel"><h2>Queue</h2>{state}<p class="muted small">since {Fmt.Time(queue.ChangedAt)}</p>{button}</div>""");
    }

    private static Markup DiscogsPanel(DiscogsStatusView discogs, BacklogView backlog, IReadOnlyList<Dumps.InstalledDump> dumps) => discogs.UnreachableSince is { } since
        ? Html.Of($"""
            <div class="card"><h2>Discogs</h2>
              <span class="pill bad">Unreachable</span>
              <p class="why" id="discogs-status">Unreachable since {Fmt.Time(since.UtcDateTime)}: {discogs.Summary}</p>
              <p class="muted small" id="discogs-waiting">{Fmt.Count(backlog.Ready + backlog.Scheduled)} albums waiting until it answers.</p>
              <p class="muted small" id="discogs-dump">{DumpLine(dumps)}</p>
            </div>
            """)
        : Html.Of($"""
            <div class="card"><h2>Discogs</h2>
              <span class="pill {(discogs.Connected ? "ok" : "bad")}">{(discogs.Connected ? "Connected" : "Not connected")}</span>
              <p class="why" id="discogs-status">{discogs.Summary}</p>
              <p class="muted small" id="discogs-dump">{DumpLine(dumps)}</p>
            </div>
            """);

    /// <summary>The monthly dump in service, by entity: "Data dump: masters 2026-11-01 (2,500,000), releases ...".</summary>
    private static string DumpLine(IReadOnlyList<Dumps.InstalledDump> dumps) => dumps.Count == 0
        ? "No data dump imported: every album is matched through the API."
        : "Data dump: " + string.Join(", ", dumps.Select(d => $"{d.Entity} {d.Date:yyyy-MM-dd} ({Fmt.Count(d.RowCount)}{(d.Scope == "library" ? ", library's only" : "")})"));

    private static Markup BudgetPanel(PageContext page, BudgetView? budget)
    {
        if (budget is null)
        {
            return Html.Of($"<div class=\"card\"><h2>Request budget</h2><p class=\"muted\">Not available in this build.</p></div>");
        }

        var last429 = budget.Last429At is null ? "never" : Fmt.Ago(budget.Last429At.Value.UtcDateTime, page.Now);
        return Html.Of($"""
            <div class="card"><h2>Request budget</h2>
              <p class="big"><span id="budget-used">{budget.UsedInWindow}</span> <span class="muted">of {budget.Limit} used in the last {Fmt.Duration(budget.Window)}</span></p>
              <progress id="budget-bar" max="{budget.Limit}" value="{budget.UsedInWindow}">{budget.UsedInWindow}</progress>
              <dl class="facts">
                <dt>Remaining</dt><dd id="budget-remaining">{budget.RemainingInWindow}</dd>
                <dt>Next free slot</dt><dd id="budget-next">{(budget.NextFreeSlot is not { } next || next.UtcDateTime <= page.Now ? "now" : Fmt.Ago(next.UtcDateTime, page.Now))}</dd>
                <dt>Last 429</dt><dd id="budget-429">{last429}</dd>
                {(budget.BlockedUntil is { } blocked && blocked.UtcDateTime > page.Now ? Html.Of($"<dt>Held back</dt><dd>until {Fmt.Time(blocked.UtcDateTime)}</dd>") : Markup.Empty)}
              </dl>
            </div>
            """);
    }

    private static Markup BacklogPanel(BacklogView backlog) => Html.Of($"""
        <div class="card"><h2>Backlog</h2>
          <p class="big"><span id="backlog-total">{Fmt.Count(backlog.Ready + backlog.Scheduled)}</span> <span class="muted">albums to go</span></p>
          <dl class="facts">
            <dt>ETA</dt><dd id="backlog-eta">{(backlog.Eta is null ? "unknown" : backlog.Eta == TimeSpan.Zero ? "done" : "≈ " + Fmt.Duration(backlog.Eta))}</dd>
            <dt>Based on</dt><dd id="backlog-basis">{backlog.EtaBasis}</dd>
            <dt>Measured</dt><dd id="backlog-rate">{Fmt.Rate(backlog.MeasuredPerMinute)}</dd>
            <dt>Budget allows</dt><dd>{(backlog.BudgetPerMinute is null ? "—" : Fmt.Rate(backlog.BudgetPerMinute.Value))} <span class="muted">at {backlog.RequestsPerAlbum:0.0} requests/album</span></dd>
          </dl>
        </div>
        """);
}
