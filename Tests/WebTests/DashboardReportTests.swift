// The report embeds mart rows as JSON inside the page: text from the data (titles, tags)
// must never end the script element or inject markup, and NULLs stay NULL.

import Engine
import Testing
@testable import Web
import Pipeline

@Suite struct DashboardReportTests {
    @Test func dataCannotBreakOutOfTheScript() {
        let evil = "</script><script>alert(1)</script> \"quoted\" \\ back"
        let rows = Dashboards.all.map { d in
            DashboardRows(dashboard: d, columns: ["title", "value"], rows: d.id == "top_movies" ? [[.string(evil), .double(3.5)], [.null, .int(7)]] : [])
        }
        let html = DashboardReport.html(data: rows, facts: [("built", "2026-11-29 00:00:00 UTC")])
        #expect(!html.contains("</script><script>alert(1)"))
        #expect(html.contains(#"\u003c/script>\u003cscript>alert(1)\u003c/script> \"quoted\" \\ back"#))
        #expect(html.contains("[null,7]"))
        // Exactly our two script elements.
        #expect(html.components(separatedBy: "<script").count - 1 == 2)
        #expect(!html.contains("http://") || html.components(separatedBy: "http").count - 1 == html.components(separatedBy: "http://www.w3.org/2000/svg").count - 1)
    }

    @Test func everyDashboardHasAMartAndAReason() {
        #expect(Dashboards.all.map(\.id) == ["top_movies", "genre_ratings", "user_activity", "release_trends", "tag_relevance"])
        for d in Dashboards.all {
            #expect(d.mart.hasPrefix("serving.mart_"))
            #expect(!d.emptyReason.isEmpty)
        }
    }
}
