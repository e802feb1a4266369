using EnrichmentWorker.Jobs;

namespace EnrichmentWorker.Dashboard;

/// <summary>Jobs by state with search and bulk actions, and one job's history.</summary>
public static class JobsPages
{
    /// <summary>Which bulk actions make sense for jobs in each state.</summary>
    public static IReadOnlyList<JobAction> ActionsFor(JobState state) => state switch
    {
        JobState.Enqueued => [JobAction.Delete],
        JobState.Scheduled => [JobAction.EnqueueNow, JobAction.Delete],
        JobState.Processing => [],
        JobState.Succeeded => [JobAction.Requeue, JobAction.Delete],
        JobState.Failed => [JobAction.Retry, JobAction.Delete],
        JobState.Deleted => [JobAction.Requeue],
        _ => [],
    };

    public static string Name(JobAction action) => action switch
    {
        JobAction.Retry => "retry",
        JobAction.Requeue => "requeue",
        JobAction.Delete => "delete",
        JobAction.EnqueueNow => "enqueue-now",
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    public static string Label(JobAction action) => action switch
    {
        JobAction.Retry => "Retry",
        JobAction.Requeue => "Requeue",
        JobAction.Delete => "Delete",
        JobAction.EnqueueNow => "Enqueue now",
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    public static bool TryParseAction(string? value, out JobAction action)
    {
        foreach (var candidate in Enum.GetValues<JobAction>())
        {
            if (Name(candidate) == value)
            {
                action = candidate;
                return true;
            }
        }

        action = default;
        return false;
    }

    public static IResult List(PageContext page, JobFilter filter, IReadOnlyList<StateCount> counts, JobPage result, bool firstPage)
    {
        var state = filter.State.ToDb();
        var tabs = Html.Join(OverviewPage.StateLabels.Select(s =>
        {
            var c = counts.FirstOrDefault(x => x.State == s.State);
            return Html.Of($"<a href=\"{page.Url("/jobs?state=" + s.State)}\" class=\"tab{(s.State == state ? " active" : "")}\">{s.Label} <span class=\"badge\">{(c is { Estimated: true } ? "≈" : "")}{Fmt.Count(c?.Count ?? 0)}</span></a>");
        }));
        var actions = page.IsAdmin ? ActionsFor(filter.State) : [];
        var rows = result.Jobs.Count == 0
            ? Html.Of($"<tr><td colspan=\"7\" class=\"empty\">No {state} jobs{(filter.Query is null ? "" : " match “" + filter.Query + "”")}.</td></tr>")
            : Html.Join(result.Jobs.Select(j => Html.Of($"""
                <tr>
                  {(actions.Count > 0 ? Html.Of($"<td class=\"check\"><input type=\"checkbox\" name=\"ids\" value=\"{j.Id}\" aria-label=\"Select job {j.Id}\"></td>") : Markup.Empty)}
                  <td><a href="{page.Url("/jobs/" + j.Id)}">#{j.Id}</a></td>
                  <td><a class="album" href="{page.Url("/albums/" + j.AlbumId)}"><strong>{j.Title}</strong><span>{j.Artist}{(j.Year is null ? "" : " · " + j.Year)}</span></a></td>
                  <td>{j.Attempt}</td>
                  <td title="{Fmt.Time(j.StateChangedAt)}">{Fmt.Ago(j.StateChangedAt, page.Now)}</td>
                  <td class="reason">{(j.ErrorMessage is null ? Html.Of($"{j.Reason}") : Html.Of($"<span class=\"error-type\">{j.ErrorType}</span> {j.ErrorMessage}"))}</td>
                  <td>{(j.State == "scheduled" ? Fmt.Ago(j.RunAt, page.Now) : j.ServerId ?? "")}</td>
                </tr>
                """)));
        var bulk = actions.Count == 0 ? Markup.Empty : Html.Of($"""
            <div class="bulk">
              <label>Action <select name="action">{Html.Join(actions.Select(a => Html.Of($"<option value=\"{Name(a)}\">{Label(a)}</option>")))}</select></label>
              <button type="submit" name="scope" value="selected" class="btn">Apply to selected</button>
              <button type="submit" name="scope" value="filter" class="btn" data-confirm="Apply to ALL {state} jobs{(filter.Query is null ? "" : " matching “" + filter.Query + "”")}?">Apply to all matching</button>
            </div>
            """);
        var qs = "/jobs?state=" + state + (filter.Query is null ? "" : "&q=" + Uri.EscapeDataString(filter.Query));
        var paging = Html.Of($"""
            <nav class="paging">
              {(firstPage ? Markup.Empty : Html.Of($"<a class=\"btn\" href=\"{page.Url(qs)}\">« Newest</a>"))}
              {(result.NextAfter is null ? Markup.Empty : Html.Of($"<a class=\"btn\" rel=\"next\" href=\"{page.Url(qs + "&after=" + result.NextAfter)}\">Older »</a>"))}
            </nav>
            """);
        return Layout.Page(page, "Jobs", "jobs", Html.Of($"""
            <h1>Jobs</h1>
            <nav class="tabs">{tabs}</nav>
            <form method="get" action="{page.Url("/jobs")}" class="search" role="search">
              <input type="hidden" name="state" value="{state}">
              <input type="search" name="q" value="{filter.Query}" placeholder="Search artist, title or error text" maxlength="{JobFilter.MaxQueryLength}" aria-label="Search">
              <button type="submit" class="btn">Search</button>
            </form>
            <form method="post" action="{page.Url("/jobs/bulk")}" class="card table-card">
              {(actions.Count > 0 ? page.TokenField : Markup.Empty)}
              <input type="hidden" name="state" value="{state}">
              <input type="hidden" name="q" value="{filter.Query}">
              {bulk}
              <table class="jobs">
                <thead><tr>{(actions.Count > 0 ? Html.Of($"<th class=\"check\"><input type=\"checkbox\" data-select-all aria-label=\"Select all on this page\"></th>") : Markup.Empty)}<th>Job</th><th>Album</th><th>Attempt</th><th>Changed</th><th>Reason</th><th>{(filter.State == JobState.Scheduled ? "Runs" : "Server")}</th></tr></thead>
                <tbody>{rows}</tbody>
              </table>
            </form>
            {paging}
            """));
    }

    public static IResult Detail(PageContext page, JobDetail detail)
    {
        var j = detail.Job;
        var actions = Html.Join(JobStateNames.TryParse(j.State, out var state) ? ActionsFor(state).Select(a =>
            page.ActionButton(page.Url($"/jobs/{j.Id}/{Name(a)}"), Label(a), a == JobAction.Delete ? "danger" : "primary")) : []);
        var cancel = j.State == "processing" && !j.CancelRequested ? page.ActionButton(page.Url($"/jobs/{j.Id}/cancel"), "Cancel", "danger") : Markup.Empty;
        return Layout.Page(page, $"Job #{j.Id}", "jobs", Html.Of($"""
            <p class="crumbs"><a href="{page.Url("/jobs?state=" + j.State)}">Jobs</a> › #{j.Id}</p>
            <h1>Job #{j.Id} <span class="pill state-{j.State}">{j.State}</span></h1>
            <section class="card">
              <dl class="facts wide">
                <dt>Album</dt><dd><a href="{page.Url("/albums/" + j.AlbumId)}">{j.Artist} — {j.Title}</a></dd>
                <dt>Attempt</dt><dd>{j.Attempt}</dd>
                <dt>Created</dt><dd>{Fmt.Time(j.CreatedAt)}</dd>
                <dt>State changed</dt><dd>{Fmt.Time(j.StateChangedAt)}</dd>
                <dt>Runs at</dt><dd>{Fmt.Time(j.RunAt)}</dd>
                <dt>Finished</dt><dd>{Fmt.Time(j.FinishedAt)}</dd>
                <dt>Reason</dt><dd>{j.Reason ?? "—"}</dd>
                {(j.ErrorMessage is null ? Markup.Empty : Html.Of($"<dt>Error</dt><dd><span class=\"error-type\">{j.ErrorType}</span> {j.ErrorMessage}</dd>"))}
                {(j.CancelRequested ? Html.Of($"<dt>Cancel</dt><dd>requested; the worker stops at its next heartbeat</dd>") : Markup.Empty)}
              </dl>
              <div class="actions">{actions}{cancel}</div>
            </section>
            <h2>History</h2>
            {Timeline(page, detail.Events)}
            """));
    }

    /// <summary>The job's state changes, newest first; exception details fold away.</summary>
    public static Markup Timeline(PageContext page, IReadOnlyList<JobEventRow> events) => events.Count == 0
        ? Html.Of($"<p class=\"muted\">No history yet.</p>")
        : Html.Of($""""
            <ol class="timeline">{Html.Join(events.Select(e => Html.Of($"""
                <li class="event state-{e.State}">
                  <div class="event-head"><span class="pill state-{e.State}">{e.State}</span> <span>{e.Reason}</span>
                    <span class="muted small">{Fmt.Time(e.At)}{(e.Attempt is null ? "" : " · attempt " + e.Attempt)}{(e.ServerId is null ? "" : " · " + e.ServerId)}</span></div>
                  {(e.ExceptionType is null && e.Message is null ? Markup.Empty : Html.Of($"<p class=\"exception\"><span class=\"error-type\">{e.ExceptionType}</span> {e.Message}</p>"))}
                  {(e.StackTrace is null ? Markup.Empty : Html.Of($"<details><summary>Stack trace</summary><pre>{e.StackTrace}</pre></details>"))}
                </li>
                """)))}</ol>
            """");
}
