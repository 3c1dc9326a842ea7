// The pages of `moviecol serve`. They hold no data and no inline script (the content security
// policy allows scripts from the server only): the scripts fetch the JSON API. The dashboard
// page draws with the report's own chart code, so the report and the app look the same.

import Columnar
import Engine
import Pipeline

package enum WebPages {
    static func escape(_ s: String) -> String { DocsSite.escape(s) }

    static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title><link rel="stylesheet" href="/static/app.css"></head><body>
        \(body)
        </body></html>

        """
    }

    static func header(user: String, role: Role, current: String) -> String {
        func link(_ href: String, _ text: String) -> String {
            "<a href=\"\(href)\"\(href == current ? " class=\"current\"" : "")>\(text)</a>"
        }
        return """
            <header><div class="bar"><h1>MovieLens dashboards</h1><nav>\(link("/", "Dashboards"))\(link("/tables", "Tables &amp; SQL"))</nav>
            <form method="post" action="/logout" class="who"><span id="who">\(escape(user)) · \(role.rawValue)</span><button>Sign out</button></form></div>
            <div class="facts" id="facts"></div></header>
            """
    }

    static func login(message: String?) -> String {
        page(title: "Sign in · moviecol", body: """
            <main class="login"><form method="post" action="/login" class="card">
            <h1>MovieLens dashboards</h1><p class="sub">Sign in with the account from <code>moviecol user add</code>.</p>
            \(message.map { "<p class=\"error\" id=\"login-error\">\(escape($0))</p>" } ?? "")
            <label>User<input name="user" id="user" autocomplete="username" required autofocus></label>
            <label>Password<input name="password" id="password" type="password" autocomplete="current-password" required></label>
            <button type="submit" id="sign-in">Sign in</button></form></main>
            """)
    }

    static func message(_ text: String) -> String {
        page(title: "moviecol", body: "<main class=\"login\"><div class=\"card\"><p>\(escape(text))</p><p><a href=\"/\">Dashboards</a></p></div></main>")
    }

    static func dashboards(user: String, role: Role) -> String {
        page(title: "MovieLens dashboards", body: header(user: user, role: role, current: "/") + DashboardReport.filterBar
            + "<div id=\"error\" class=\"error\" hidden></div>\n<main id=\"cards\"></main>\n<script src=\"/static/dashboards.js\"></script>")
    }

    static func tables(user: String, role: Role) -> String {
        page(title: "Tables · MovieLens dashboards", body: header(user: user, role: role, current: "/tables") + """
            <main class="tables"><section class="card"><h2>Run SQL</h2>
            <div class="sub">One SELECT at a time, as \(role.rawValue): it sees the tables listed here and nothing else. Ctrl+Enter runs.</div>
            <textarea id="sql" spellcheck="false" rows="6">SELECT genre, rating_count, round(avg_rating, 3) AS avg_rating
            FROM serving.mart_genre_ratings ORDER BY avg_rating DESC NULLS LAST</textarea>
            <div class="actions"><button id="run">Run</button><span id="status" class="sub"></span></div>
            <pre id="query-error" class="error" hidden></pre><div id="result" class="result"></div></section>
            <section class="card"><h2>Tables you can read</h2><div id="table-list" class="sub">loading…</div></section></main>
            <script src="/static/tables.js"></script>
            """)
    }

    /// The report's CSS plus the app's header, sign-in and SQL box.
    static let css = WebAssets.text("dashboards.css") + WebAssets.text("app.css")

    /// The live dashboards: each filter change asks the server for every dashboard under the
    /// new filter (one engine query each) and redraws with the report's chart code.
    static let dashboardsScript = WebAssets.text("charts.js") + WebAssets.text("app-dashboards.js")

    /// The tables page: the readable tables with their columns, and the SQL box.
    static let tablesScript = WebAssets.text("app-tables.js")
}
