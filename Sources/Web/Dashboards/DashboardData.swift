// The data behind the five dashboards, read from the serving layer as the reporter role:
// the marts themselves plus the few per-movie facts the offline filters need (genres and
// release year of the movies in mart_top_movies). Aggregates only, never raw rows.

import Pipeline
import Columnar
import Engine
import Foundation

/// Rows of one dashboard, ready to embed as JSON.
package struct DashboardRows: Sendable {
    package var dashboard: Dashboard
    package var columns: [String]
    package var rows: [[Value]]
    /// The mart's description (its rule, e.g. "movies with at least 100 ratings"), if any.
    package var note: String?

    package init(dashboard: Dashboard, columns: [String], rows: [[Value]], note: String? = nil) {
        self.dashboard = dashboard
        self.columns = columns
        self.rows = rows
        self.note = note
    }
}

package enum DashboardData {
    /// The query that feeds each dashboard in the report (filters then run in the page).
    static func reportSQL(_ d: Dashboard) -> String {
        switch d.id {
        case "top_movies":
            return """
                SELECT t.movie_id, t.movie_title, t.avg_rating, t.rating_count, m.genres,
                       \(DashboardFilter.releaseYear) AS release_year
                FROM serving.mart_top_movies t JOIN serving.dim_movies m ON t.movie_id = m.movie_id
                ORDER BY t.avg_rating DESC, t.rating_count DESC, t.movie_id
                """
        case "genre_ratings":
            return "SELECT genre, movie_count, rating_count, avg_rating FROM serving.mart_genre_ratings ORDER BY genre"
        case "user_activity":
            return """
                SELECT user_id, rating_count, avg_rating, first_rating_at, last_rating_at
                FROM serving.mart_user_activity ORDER BY rating_count DESC, user_id LIMIT 1000
                """
        case "release_trends":
            return "SELECT release_year, movie_count, rating_count, avg_rating FROM serving.mart_release_trends ORDER BY release_year"
        default:
            return """
                SELECT tag_id, tag_name, movie_count, avg_relevance, top_movie_id, top_movie_title
                FROM serving.mart_tag_relevance ORDER BY avg_relevance DESC, tag_id
                """
        }
    }

    /// Every dashboard's rows; a missing or unreadable mart is an error naming it.
    package static func load(_ engine: QueryEngine) throws(SQLError) -> [DashboardRows] {
        var out: [DashboardRows] = []
        for d in Dashboards.all {
            let sql = reportSQL(d)
            let (columns, chunk) = try engine.query(sql)
            let rows = (0..<chunk.count).map { r in chunk.columns.map { $0.value(at: r) } }
            out.append(DashboardRows(dashboard: d, columns: columns.map(\.name), rows: rows, note: try note(d, engine)))
        }
        return out
    }

    /// The mart's description without its "Dashboard '...': " prefix: the rule the pipeline
    /// applied (the top-movies threshold the build used), shown under the card.
    package static func note(_ d: Dashboard, _ engine: QueryEngine) throws(SQLError) -> String? {
        let parts = d.mart.split(separator: ".").map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }
        guard parts.count == 2 else { return nil }
        let (_, chunk) = try engine.query("""
            SELECT comment FROM information_schema.tables WHERE table_schema = \(parts[0]) AND table_name = \(parts[1])
            """)
        guard chunk.count == 1, !chunk.columns[0].isNull(0), case .string(var text) = chunk.columns[0].value(at: 0) else { return nil }
        if text.hasPrefix("Dashboard '"), let colon = text.range(of: "': ") { text = String(text[colon.upperBound...]) }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// Data set facts for the report header: serving tables' row counts, build time, freshness.
    package static func facts(_ engine: QueryEngine) throws(SQLError) -> [(String, String)] {
        var facts: [(String, String)] = []
        let (_, counts) = try engine.query("""
            SELECT table_name, row_count FROM information_schema.tables
            WHERE table_name IN ('fct_ratings', 'dim_movies', 'dim_users', 'dim_genome_tags') ORDER BY table_name
            """)
        for r in 0..<counts.count {
            facts.append(("\(counts.columns[0].value(at: r)) rows", grouped(counts.columns[1].value(at: r).description)))
        }
        facts.append(("built", engine.warehouse.manifest.committedAt + " UTC"))
        let (_, fresh) = try engine.query("SELECT min(rating_timestamp), max(rating_timestamp) FROM serving.fct_ratings")
        if fresh.count == 1, !fresh.columns[1].isNull(0) {
            facts.append(("ratings from", fresh.columns[0].value(at: 0).description.prefix(10).description))
            facts.append(("newest rating", fresh.columns[1].value(at: 0).description + " UTC"))
        }
        return facts
    }

    static func grouped(_ digits: String) -> String {
        guard digits.allSatisfy(\.isNumber), digits.count > 3 else { return digits }
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }

    /// One dashboard as `{"title", "mart", "empty", "columns", "rows"}`.
    static func json(_ d: DashboardRows) -> String {
        let rows = d.rows.map { "[" + $0.map(\.jsonText).joined(separator: ",") + "]" }.joined(separator: ",\n")
        return """
            {"title": \(Value.jsonString(d.dashboard.title)), "mart": \(Value.jsonString(d.dashboard.mart)),
            "empty": \(Value.jsonString(d.dashboard.emptyReason)), "note": \(d.note.map(Value.jsonString) ?? "null"), "columns": [\(d.columns.map(Value.jsonString).joined(separator: ","))],
            "rows": [\(rows)]}
            """
    }

    /// Facts as a JSON array of [name, value] pairs.
    static func json(facts: [(String, String)]) -> String {
        "[" + facts.map { "[\(Value.jsonString($0.0)), \(Value.jsonString($0.1))]" }.joined(separator: ",") + "]"
    }

    /// The rows as a JSON object {facts, dashboards: {id: {columns, rows, title, mart, empty}}}, for the page.
    package static func json(_ data: [DashboardRows], facts: [(String, String)]) -> String {
        let parts = data.map { Value.jsonString($0.dashboard.id) + ": " + json($0) }
        return "{\"facts\": \(json(facts: facts)),\n\"dashboards\": {\(parts.joined(separator: ",\n"))}}"
    }
}
