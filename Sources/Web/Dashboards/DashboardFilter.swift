// The dashboard filters (genre, release-year range, minimum ratings, top N) as the web app
// receives them, checked, and turned into each dashboard's SQL. The same filters run in the
// report's page over embedded rows; here every change is a query on the engine.

import Columnar
import Pipeline
import Engine

package struct DashboardFilter: Sendable, Equatable {
    package var genre: String?
    package var fromYear: Int?
    package var toYear: Int?
    package var minRatings = 0
    package var top = 10

    package init(genre: String? = nil, fromYear: Int? = nil, toYear: Int? = nil, minRatings: Int = 0, top: Int = 10) {
        self.genre = genre
        self.fromYear = fromYear
        self.toYear = toYear
        self.minRatings = minRatings
        self.top = top
    }

    package struct Invalid: Error, CustomStringConvertible, Sendable {
        package var description: String
    }

    /// Parses URL query parameters; an unknown name or a bad value is an error naming it.
    package init(query: [String: String]) throws(Invalid) {
        func int(_ name: String, _ range: ClosedRange<Int>) throws(Invalid) -> Int? {
            guard let text = query[name], !text.isEmpty else { return nil }
            guard let v = Int(text), range.contains(v) else {
                throw Invalid(description: "filter \(name)=\(text.prefix(40)) is not a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return v
        }
        for key in query.keys where !["genre", "from", "to", "min", "top"].contains(key) {
            throw Invalid(description: "unknown filter '\(key.prefix(40))'; the filters are genre, from, to, min and top")
        }
        if let g = query["genre"], !g.isEmpty {
            guard g.count <= 100, !g.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
                throw Invalid(description: "filter genre is not a genre name")
            }
            genre = g
        }
        fromYear = try int("from", 0...9999)
        toYear = try int("to", 0...9999)
        minRatings = try int("min", 0...1_000_000_000) ?? 0
        top = try int("top", 1...100) ?? 10
    }

    /// The query behind dashboard `id` under this filter, or nil for an unknown id.
    package func sql(for id: String) -> String? {
        let year = Self.releaseYear
        switch id {
        case "top_movies":
            var conditions = ["t.rating_count >= \(minRatings)"]
            if let genre { conditions.append("array_contains(\(Self.literal(genre)), m.genre_array)") }
            if let fromYear { conditions.append("\(year) >= \(fromYear)") }
            if let toYear { conditions.append("\(year) <= \(toYear)") }
            return """
                SELECT t.movie_id, t.movie_title, t.avg_rating, t.rating_count, m.genres, \(year) AS release_year
                FROM serving.mart_top_movies t JOIN serving.dim_movies m ON t.movie_id = m.movie_id
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY t.avg_rating DESC, t.rating_count DESC, t.movie_id LIMIT \(top)
                """
        case "genre_ratings":
            return "SELECT genre, movie_count, rating_count, avg_rating FROM serving.mart_genre_ratings ORDER BY genre"
        case "user_activity":
            return """
                SELECT user_id, rating_count, avg_rating, first_rating_at, last_rating_at
                FROM serving.mart_user_activity WHERE rating_count >= \(minRatings)
                ORDER BY rating_count DESC, user_id LIMIT \(top)
                """
        case "release_trends":
            var conditions = ["TRUE"]
            if let fromYear { conditions.append("release_year >= \(fromYear)") }
            if let toYear { conditions.append("release_year <= \(toYear)") }
            return """
                SELECT release_year, movie_count, rating_count, avg_rating FROM serving.mart_release_trends
                WHERE \(conditions.joined(separator: " AND ")) ORDER BY release_year
                """
        case "tag_relevance":
            return """
                SELECT tag_id, tag_name, movie_count, avg_relevance, top_movie_id, top_movie_title
                FROM serving.mart_tag_relevance ORDER BY avg_relevance DESC, tag_id LIMIT \(top)
                """
        default:
            return nil
        }
    }

    /// The release year of `dim_movies m` as the spec defines it (a `(YYYY)` ending the title).
    static let releaseYear = "cast(substr(regexp_substr(m.movie_title, '[(][0-9]{4}[)]$'), 2, 4) as int)"

    /// A SQL string literal: the text between single quotes, quotes doubled.
    static func literal(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
}
