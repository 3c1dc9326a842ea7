-- The built-in MovieLens project as one DuckDB SQL script, for the build benchmark: the same
-- models, snapshot first run and data tests, over DuckDB's native raw tables. DuckDB has no
-- INITCAP and rounds DECIMAL-style; the closest native expressions stand in (same work).
-- Statements are separated by lines holding only "-- @model name" markers.

-- @model seed_movie_release_dates
CREATE OR REPLACE TABLE serving.seed_movie_release_dates AS
SELECT * FROM read_csv('{seed}', header=true, columns={'movie_id': 'INTEGER', 'release_date': 'DATE'});
-- @model src_movies
CREATE OR REPLACE VIEW staging.src_movies AS SELECT movieId AS movie_id, title, genres FROM raw.raw_movies;
-- @model src_ratings
CREATE OR REPLACE VIEW staging.src_ratings AS SELECT userId AS user_id, movieId AS movie_id, rating,
    make_timestamp(timestamp * 1000000) AS rating_timestamp FROM raw.raw_ratings;
-- @model src_tags
CREATE OR REPLACE VIEW staging.src_tags AS SELECT userId AS user_id, movieId AS movie_id, tag,
    make_timestamp(timestamp * 1000000) AS tag_timestamp FROM raw.raw_tags;
-- @model src_genome_score
CREATE OR REPLACE VIEW staging.src_genome_score AS SELECT movieId AS movie_id, tagId AS tag_id, relevance FROM raw.raw_genome_scores;
-- @model src_genome_tags
CREATE OR REPLACE VIEW staging.src_genome_tags AS SELECT tagId AS tag_id, tag FROM raw.raw_genome_tags;
-- @model src_links
CREATE OR REPLACE VIEW staging.src_links AS SELECT movieId AS movie_id, imdbId AS imdb_id, tmdbId AS tmdb_id FROM raw.raw_links;
-- @model dim_genome_tags
CREATE OR REPLACE TABLE serving.dim_genome_tags AS
SELECT tag_id, upper(left(trim(tag, ' '), 1)) || lower(substr(trim(tag, ' '), 2)) AS tag_name FROM staging.src_genome_tags;
-- @model dim_movies
CREATE OR REPLACE TABLE serving.dim_movies AS
SELECT movie_id, upper(left(trim(title, ' '), 1)) || lower(substr(trim(title, ' '), 2)) AS movie_title,
       string_split(genres, '|') AS genre_array, genres
FROM staging.src_movies;
-- @model fct_genome_scores
CREATE OR REPLACE TABLE serving.fct_genome_scores AS
SELECT movie_id, tag_id, round(relevance, 4) AS relevance_score FROM staging.src_genome_score WHERE relevance > 0;
-- @model dim_movies_with_tags
CREATE OR REPLACE TABLE serving.dim_movies_with_tags AS
SELECT m.movie_id, m.movie_title, m.genres, t.tag_name, s.relevance_score
FROM serving.dim_movies m
LEFT JOIN serving.fct_genome_scores s ON m.movie_id = s.movie_id
LEFT JOIN serving.dim_genome_tags t ON s.tag_id = t.tag_id;
-- @model dim_users
CREATE OR REPLACE TABLE serving.dim_users AS
SELECT user_id FROM staging.src_ratings UNION SELECT user_id FROM staging.src_tags;
-- @model fct_ratings
CREATE OR REPLACE TABLE serving.fct_ratings AS
SELECT user_id, movie_id, rating, rating_timestamp FROM staging.src_ratings WHERE rating IS NOT NULL;
-- @model mart_movie_releases
CREATE OR REPLACE TABLE serving.mart_movie_releases AS
SELECT r.*, CASE WHEN d.movie_id IS NULL THEN 'unknown' ELSE 'known' END AS release_info_available
FROM serving.fct_ratings r LEFT JOIN serving.seed_movie_release_dates d ON r.movie_id = d.movie_id;
-- @model mart_genre_ratings
CREATE OR REPLACE TABLE serving.mart_genre_ratings AS
WITH g AS (SELECT movie_id, unnest(genre_array) AS genre FROM serving.dim_movies)
SELECT genre, count(DISTINCT g.movie_id) AS movie_count, count(r.rating) AS rating_count, avg(r.rating) AS avg_rating
FROM g LEFT JOIN serving.fct_ratings r ON g.movie_id = r.movie_id GROUP BY genre;
-- @model mart_release_trends
CREATE OR REPLACE TABLE serving.mart_release_trends AS
WITH y AS (SELECT movie_id, CAST(regexp_extract(movie_title, '\(([0-9]{4})\)$', 1) AS INTEGER) AS release_year
           FROM serving.dim_movies WHERE regexp_matches(movie_title, '\([0-9]{4}\)$'))
SELECT release_year, count(DISTINCT y.movie_id) AS movie_count, count(r.rating) AS rating_count, avg(r.rating) AS avg_rating
FROM y LEFT JOIN serving.fct_ratings r ON y.movie_id = r.movie_id GROUP BY release_year;
-- @model mart_tag_relevance
CREATE OR REPLACE TABLE serving.mart_tag_relevance AS
WITH s AS (
    SELECT s.movie_id, s.tag_id, s.relevance_score, t.tag_name
    FROM serving.fct_genome_scores s JOIN serving.dim_genome_tags t ON s.tag_id = t.tag_id
    JOIN serving.dim_movies m ON s.movie_id = m.movie_id),
per_tag AS (SELECT tag_id, tag_name, count(DISTINCT movie_id) AS movie_count, avg(relevance_score) AS avg_relevance,
                   max(relevance_score) AS top_score FROM s GROUP BY tag_id, tag_name),
top_movie AS (SELECT s.tag_id, min(s.movie_id) AS top_movie_id FROM s JOIN per_tag p ON s.tag_id = p.tag_id
              AND s.relevance_score = p.top_score GROUP BY s.tag_id)
SELECT p.tag_id, p.tag_name, p.movie_count, p.avg_relevance, t.top_movie_id, m.movie_title AS top_movie_title
FROM per_tag p JOIN top_movie t ON p.tag_id = t.tag_id JOIN serving.dim_movies m ON t.top_movie_id = m.movie_id;
-- @model mart_top_movies
CREATE OR REPLACE TABLE serving.mart_top_movies AS
SELECT m.movie_id, m.movie_title, avg(r.rating) AS avg_rating, count(*) AS rating_count
FROM serving.dim_movies m JOIN serving.fct_ratings r ON m.movie_id = r.movie_id
GROUP BY m.movie_id, m.movie_title HAVING count(*) >= 100;
-- @model mart_user_activity
CREATE OR REPLACE TABLE serving.mart_user_activity AS
SELECT user_id, count(*) AS rating_count, avg(rating) AS avg_rating, min(rating_timestamp) AS first_rating_at,
       max(rating_timestamp) AS last_rating_at FROM serving.fct_ratings GROUP BY user_id;
-- @model snap_tags
CREATE OR REPLACE TABLE snapshots.snap_tags AS
SELECT src.*, md5(coalesce(CAST(src.row_key AS VARCHAR), '') || '|' || coalesce(CAST(src.tag_timestamp AS VARCHAR), '')) AS dbt_scd_id,
       src.tag_timestamp AS dbt_updated_at, src.tag_timestamp AS dbt_valid_from, CAST(NULL AS TIMESTAMP) AS dbt_valid_to
FROM (SELECT md5(CAST(coalesce(CAST(user_id AS VARCHAR), '_dbt_utils_surrogate_key_null_') || '-' ||
                      coalesce(CAST(movie_id AS VARCHAR), '_dbt_utils_surrogate_key_null_') || '-' ||
                      coalesce(CAST(tag AS VARCHAR), '_dbt_utils_surrogate_key_null_') AS VARCHAR)) AS row_key,
             user_id, movie_id, tag, tag_timestamp FROM staging.src_tags) src;
-- @model tests
SELECT (SELECT count(*) FROM serving.dim_movies WHERE movie_id IS NULL),
       (SELECT count(*) FROM (SELECT movie_id FROM serving.dim_movies WHERE movie_id IS NOT NULL GROUP BY movie_id HAVING count(*) > 1)),
       (SELECT count(*) FROM serving.dim_users WHERE user_id IS NULL),
       (SELECT count(*) FROM (SELECT user_id FROM serving.dim_users WHERE user_id IS NOT NULL GROUP BY user_id HAVING count(*) > 1)),
       (SELECT count(*) FROM serving.dim_genome_tags WHERE tag_id IS NULL),
       (SELECT count(*) FROM (SELECT tag_id FROM serving.dim_genome_tags WHERE tag_id IS NOT NULL GROUP BY tag_id HAVING count(*) > 1)),
       (SELECT count(*) FROM serving.seed_movie_release_dates WHERE movie_id IS NULL),
       (SELECT count(*) FROM (SELECT movie_id FROM serving.seed_movie_release_dates WHERE movie_id IS NOT NULL GROUP BY movie_id HAVING count(*) > 1)),
       (SELECT count(*) FROM serving.fct_ratings WHERE user_id IS NULL),
       (SELECT count(*) FROM serving.fct_ratings WHERE movie_id IS NULL),
       (SELECT count(*) FROM serving.fct_ratings WHERE rating IS NULL),
       (SELECT count(*) FROM (SELECT c.movie_id FROM serving.fct_ratings c LEFT JOIN serving.dim_movies p ON c.movie_id = p.movie_id
                              WHERE c.movie_id IS NOT NULL AND p.movie_id IS NULL)),
       (SELECT count(*) FROM (SELECT rating FROM serving.fct_ratings GROUP BY rating) WHERE rating NOT IN (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0)),
       (SELECT count(*) FROM serving.fct_genome_scores WHERE movie_id IS NULL),
       (SELECT count(*) FROM serving.fct_genome_scores WHERE tag_id IS NULL),
       (SELECT count(*) FROM serving.fct_genome_scores WHERE relevance_score IS NULL),
       (SELECT count(*) FROM (SELECT c.tag_id FROM serving.fct_genome_scores c LEFT JOIN serving.dim_genome_tags p ON c.tag_id = p.tag_id
                              WHERE c.tag_id IS NOT NULL AND p.tag_id IS NULL)),
       (SELECT count(*) FROM serving.fct_genome_scores WHERE relevance_score < 0 OR relevance_score > 1);
