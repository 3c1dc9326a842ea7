// `moviecol dashboard --out report.html`: the five dashboards as one self-contained HTML file
// (inline CSS, SVG drawn by a few hundred lines of plain JS, the marts' aggregates embedded as
// JSON; no network). Filters (genre, release-year range, minimum ratings, top-N) run in the
// page; every chart has hover values, a table toggle and a CSV download.

import Columnar
import Engine
import Pipeline

package enum DashboardReport {
    /// The page for `data`.
    package static func html(data: [DashboardRows], facts: [(String, String)]) -> String {
        let json = DashboardData.json(data, facts: facts).replacingOccurrences(of: "<", with: "\\u003c")
        return head + "<script type=\"application/json\" id=\"data\">" + json + "</script>\n<script>\n"
            + charts + reportBoot + "</script>\n</body></html>\n"
    }

    static let head = #"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>MovieLens dashboards</title>
        <style>

        """# + style + #"""
        </style></head><body>
        <header><h1>MovieLens dashboards</h1><div class="facts" id="facts"></div></header>

        """# + filterBar + #"""
        <main id="cards"></main>

        """#

    /// The page's CSS (the web app serves it as a file).
    static let style = WebAssets.text("dashboards.css")

    /// The filter controls, the same in the report and the web app.
    static let filterBar = #"""
        <div class="filters">
          <label>Genre<select id="f-genre"><option value="">All genres</option></select></label>
          <label>Released from<input id="f-from" type="number" placeholder="year"></label>
          <label>to<input id="f-to" type="number" placeholder="year"></label>
          <label>Min. ratings<input id="f-min" type="number" min="0" value="0"></label>
          <label>Top N<input id="f-top" type="number" min="1" max="100" value="10"></label>
        </div>
        """#

    /// Chart drawing and `render(filters, live)`: with `live` the rows in DATA are already
    /// filtered by the server; without it the page filters the embedded rows itself.
    static let charts = WebAssets.text("charts.js")

    /// Starts the report: embedded rows, filters from the URL fragment, redraw on input.
    static let reportBoot = WebAssets.text("report.js")
}
