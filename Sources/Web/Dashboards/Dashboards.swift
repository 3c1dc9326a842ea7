// The five BI dashboards of the spec, each reading one serving-layer mart. The queries
// here are what the main job prints; the report and the web app build on the same list.

import Columnar
import Engine
import Pipeline

/// One dashboard: its mart and how to show it in a terminal.
package struct Dashboard: Sendable {
    package var id: String
    package var title: String
    /// The serving-layer table it reads.
    package var mart: String
    /// A compact view of the mart for a terminal.
    package var terminalSQL: String
    /// Why the mart can be empty (shown instead of an empty chart).
    package var emptyReason: String
}

package enum Dashboards {
    package static let all: [Dashboard] = [
        Dashboard(id: "top_movies", title: "Top Movies by Avg Rating", mart: "serving.mart_top_movies",
                  terminalSQL: """
                      SELECT movie_title, round(avg_rating, 3) AS avg_rating, rating_count
                      FROM serving.mart_top_movies ORDER BY avg_rating DESC, rating_count DESC, movie_id LIMIT 10
                      """,
                  emptyReason: "no movie has the minimum number of ratings (var top_movies_min_ratings)"),
        Dashboard(id: "genre_ratings", title: "Genre-wise Avg Ratings", mart: "serving.mart_genre_ratings",
                  terminalSQL: """
                      SELECT genre, movie_count, rating_count, round(avg_rating, 3) AS avg_rating
                      FROM serving.mart_genre_ratings ORDER BY avg_rating DESC NULLS LAST, genre
                      """,
                  emptyReason: "the data set has no movies with genres"),
        Dashboard(id: "user_activity", title: "Most Active Users", mart: "serving.mart_user_activity",
                  terminalSQL: """
                      SELECT user_id, rating_count, round(avg_rating, 3) AS avg_rating, first_rating_at, last_rating_at
                      FROM serving.mart_user_activity ORDER BY rating_count DESC, user_id LIMIT 10
                      """,
                  emptyReason: "the data set has no ratings"),
        Dashboard(id: "release_trends", title: "Yearly Release Trends", mart: "serving.mart_release_trends",
                  terminalSQL: """
                      SELECT release_year, movie_count, rating_count, round(avg_rating, 3) AS avg_rating
                      FROM serving.mart_release_trends ORDER BY release_year DESC LIMIT 15
                      """,
                  emptyReason: "no movie title ends with a release year such as (1995)"),
        Dashboard(id: "tag_relevance", title: "Top Tags by Genome Relevance", mart: "serving.mart_tag_relevance",
                  terminalSQL: """
                      SELECT tag_name, movie_count, round(avg_relevance, 4) AS avg_relevance, top_movie_title
                      FROM serving.mart_tag_relevance ORDER BY avg_relevance DESC, tag_id LIMIT 10
                      """,
                  emptyReason: "the data set has no tag genome (genome-scores.csv and genome-tags.csv; ml-32m ships none)"),
    ]
}
