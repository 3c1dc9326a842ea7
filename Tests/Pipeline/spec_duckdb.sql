-- The spec's tables computed independently by DuckDB from the raw tables (schema raw),
-- following ../shared/spec/pipeline.md rule by rule. sf_initcap and round_half_away are
-- Python functions registered by pipeline_test.py (Snowflake's INITCAP and ROUND).

CREATE VIEW staging.src_movies AS SELECT movieId AS movie_id, title, genres FROM raw.raw_movies;
CREATE VIEW staging.src_ratings AS SELECT userId AS user_id, movieId AS movie_id, rating,
    make_timestamp(timestamp * 1000000) AS rating_timestamp FROM raw.raw_ratings;
CREATE VIEW staging.src_tags AS SELECT userId AS user_id, movieId AS movie_id, tag,
    make_timestamp(timestamp * 1000000) AS tag_timestamp FROM raw.raw_tags;
CREATE VIEW staging.src_genome_score AS SELECT movieId AS movie_id, tagId AS tag_id, relevance FROM raw.raw_genome_scores;
CREATE VIEW staging.src_genome_tags AS SELECT tagId AS tag_id, tag FROM raw.raw_genome_tags;
CREATE VIEW staging.src_links AS SELECT movieId AS movie_id, imdbId AS imdb_id, tmdbId AS tmdb_id FROM raw.raw_links;

CREATE TABLE serving.dim_movies AS
SELECT movie_id, sf_initcap(trim(title, ' ')) AS movie_title, string_split(genres, '|') AS genre_array, genres
FROM staging.src_movies;

CREATE TABLE serving.dim_users AS
SELECT user_id FROM staging.src_ratings UNION SELECT user_id FROM staging.src_tags;

CREATE TABLE serving.dim_genome_tags AS
SELECT tag_id, sf_initcap(trim(tag, ' ')) AS tag_name FROM staging.src_genome_tags;

CREATE TABLE serving.fct_ratings AS
SELECT user_id, movie_id, rating, rating_timestamp FROM staging.src_ratings WHERE rating IS NOT NULL;

CREATE TABLE serving.fct_genome_scores AS
SELECT movie_id, tag_id, round_half_away(relevance, 4) AS relevance_score
FROM staging.src_genome_score WHERE relevance > 0;

CREATE TABLE serving.dim_movies_with_tags AS
SELECT m.movie_id, m.movie_title, m.genres, t.tag_name, s.relevance_score
FROM serving.dim_movies m
LEFT JOIN serving.fct_genome_scores s ON m.movie_id = s.movie_id
LEFT JOIN serving.dim_genome_tags t ON s.tag_id = t.tag_id;

CREATE TABLE serving.mart_movie_releases AS
SELECT r.*, CASE WHEN EXISTS (SELECT 1 FROM serving.seed_movie_release_dates d WHERE d.movie_id = r.movie_id)
                 THEN 'known' ELSE 'unknown' END AS release_info_available
FROM serving.fct_ratings r;

CREATE TABLE serving.mart_top_movies AS
SELECT m.movie_id, m.movie_title, avg(r.rating) AS avg_rating, count(r.rating) AS rating_count
FROM serving.dim_movies m JOIN serving.fct_ratings r ON m.movie_id = r.movie_id
GROUP BY ALL HAVING count(r.rating) >= 100;

CREATE TABLE serving.mart_genre_ratings AS
WITH g AS (SELECT movie_id, unnest(genre_array) AS genre FROM serving.dim_movies)
SELECT genre, count(DISTINCT g.movie_id) AS movie_count, count(r.rating) AS rating_count, avg(r.rating) AS avg_rating
FROM g LEFT JOIN serving.fct_ratings r ON g.movie_id = r.movie_id
GROUP BY genre;

CREATE TABLE serving.mart_user_activity AS
SELECT user_id, count(*) AS rating_count, avg(rating) AS avg_rating,
       min(rating_timestamp) AS first_rating_at, max(rating_timestamp) AS last_rating_at
FROM serving.fct_ratings GROUP BY user_id;

CREATE TABLE serving.mart_release_trends AS
WITH y AS (
    SELECT movie_id, CAST(regexp_extract(trim(title, ' '), '\(([0-9]{4})\)$', 1) AS INTEGER) AS release_year
    FROM staging.src_movies
    WHERE regexp_matches(trim(title, ' '), '\([0-9]{4}\)$')
)
SELECT release_year, count(DISTINCT y.movie_id) AS movie_count, count(r.rating) AS rating_count, avg(r.rating) AS avg_rating
FROM y LEFT JOIN serving.fct_ratings r ON y.movie_id = r.movie_id
GROUP BY release_year;

CREATE TABLE serving.mart_tag_relevance AS
WITH s AS (
    SELECT s.movie_id, s.tag_id, s.relevance_score, t.tag_name, m.movie_title
    FROM serving.fct_genome_scores s
    JOIN serving.dim_genome_tags t ON s.tag_id = t.tag_id
    JOIN serving.dim_movies m ON s.movie_id = m.movie_id
),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY tag_id ORDER BY relevance_score DESC, movie_id ASC) AS rn FROM s
)
SELECT tag_id, any_value(tag_name) AS tag_name, count(DISTINCT movie_id) AS movie_count, avg(relevance_score) AS avg_relevance,
       max(CASE WHEN rn = 1 THEN movie_id END) AS top_movie_id, max(CASE WHEN rn = 1 THEN movie_title END) AS top_movie_title
FROM ranked GROUP BY tag_id;

CREATE TABLE snapshots.snap_tags_first AS
SELECT md5(coalesce(CAST(user_id AS VARCHAR), '_dbt_utils_surrogate_key_null_') || '-' ||
           coalesce(CAST(movie_id AS VARCHAR), '_dbt_utils_surrogate_key_null_') || '-' ||
           coalesce(CAST(tag AS VARCHAR), '_dbt_utils_surrogate_key_null_')) AS row_key,
       user_id, movie_id, tag, tag_timestamp,
       tag_timestamp AS dbt_updated_at, tag_timestamp AS dbt_valid_from, CAST(NULL AS TIMESTAMP) AS dbt_valid_to
-- One version per key: the latest tag_timestamp wins, exact copies count once.
FROM (SELECT DISTINCT * FROM staging.src_tags
      QUALIFY tag_timestamp IS NOT DISTINCT FROM max(tag_timestamp) OVER (PARTITION BY user_id, movie_id, tag));
