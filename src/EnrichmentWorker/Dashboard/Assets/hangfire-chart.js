// Added to Hangfire's script bundle (HangfireDashboardExtras): Chart.js would add its rules as an inline <style>
// element, which the /hangfire content policy refuses; Hangfire's stylesheet already carries them (Chart.min.css).
if (window.Chart && Chart.platform) {
    Chart.platform.disableCSSInjection = true;
}
