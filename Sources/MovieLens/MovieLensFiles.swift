// The MovieLens files as GroupLens ships them (ml-latest-small to ml-32m): their names,
// headers and the `raw` tables they load into, plus the table that keeps rejected rows.

import Columnar

/// The MovieLens files as GroupLens ships them, and their `raw` tables.
package enum MovieLensFiles {
    package static let movies = CSVSchema(
        fileName: "movies.csv", schema: "raw", table: "raw_movies", header: ["movieId", "title", "genres"],
        columns: [.init("movieId", .int32), .init("title", .varchar), .init("genres", .varchar)])
    package static let ratings = CSVSchema(
        fileName: "ratings.csv", schema: "raw", table: "raw_ratings", header: ["userId", "movieId", "rating", "timestamp"],
        columns: [.init("userId", .int32), .init("movieId", .int32), .init("rating", .double), .init("timestamp", .int64)])
    package static let tags = CSVSchema(
        fileName: "tags.csv", schema: "raw", table: "raw_tags", header: ["userId", "movieId", "tag", "timestamp"],
        columns: [.init("userId", .int32), .init("movieId", .int32), .init("tag", .varchar), .init("timestamp", .int64)])
    package static let genomeScores = CSVSchema(
        fileName: "genome-scores.csv", schema: "raw", table: "raw_genome_scores", header: ["movieId", "tagId", "relevance"],
        columns: [.init("movieId", .int32), .init("tagId", .int32), .init("relevance", .double)])
    package static let genomeTags = CSVSchema(
        fileName: "genome-tags.csv", schema: "raw", table: "raw_genome_tags", header: ["tagId", "tag"],
        columns: [.init("tagId", .int32), .init("tag", .varchar)])
    package static let links = CSVSchema(
        fileName: "links.csv", schema: "raw", table: "raw_links", header: ["movieId", "imdbId", "tmdbId"],
        columns: [.init("movieId", .int32), .init("imdbId", .int32), .init("tmdbId", .int32)])

    /// All six, in load order.
    package static let all: [CSVSchema] = [movies, ratings, tags, genomeScores, genomeTags, links]

    /// Rows `ingest --on-error continue` rejected: one row per rejected input line.
    package static let rejectsTable = TableMetadata(
        schema: "raw", name: "load_rejects",
        columns: [.init("load_version", .int64), .init("file", .varchar), .init("line", .int64),
                  .init("byte_offset", .int64), .init("column_name", .varchar), .init("reason", .varchar),
                  .init("raw_text", .varchar)])
}
