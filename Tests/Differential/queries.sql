-- Differential corpus: each query runs on moviecol and on DuckDB over the same generated
-- MovieLens CSVs; results must match (order-insensitive unless the query orders all rows,
-- doubles within 1e-9 relative). A `-- duckdb:` line gives DuckDB's spelling where the
-- dialects differ. Queries are separated by blank lines.

SELECT count(*) FROM raw_ratings

SELECT count(*), sum(rating), avg(rating), min(rating), max(rating) FROM raw_ratings

SELECT count(DISTINCT userId), count(DISTINCT movieId) FROM raw_ratings

SELECT rating, count(*) FROM raw_ratings GROUP BY rating

SELECT movieId, count(*), avg(rating) FROM raw_ratings GROUP BY movieId

SELECT userId, count(*), min(timestamp), max(timestamp) FROM raw_ratings GROUP BY userId

SELECT movieId, count(*) AS n FROM raw_ratings GROUP BY movieId HAVING count(*) >= 50

SELECT movieId, avg(rating) AS a, count(*) AS n FROM raw_ratings GROUP BY movieId HAVING count(*) >= 20 ORDER BY a DESC, movieId LIMIT 20

SELECT userId, count(*) AS n FROM raw_ratings GROUP BY userId ORDER BY n DESC, userId LIMIT 10

SELECT count(*) FROM raw_ratings WHERE rating >= 4.5

SELECT count(*) FROM raw_ratings WHERE timestamp BETWEEN 1000000000 AND 1100000000

SELECT count(*) FROM raw_ratings WHERE timestamp < 900000000 OR timestamp > 1500000000

SELECT count(*) FROM raw_ratings WHERE userId IN (1, 2, 3, 10, 100)

SELECT movieId, rating FROM raw_ratings WHERE userId = 7

SELECT userId % 10 AS bucket, count(*), avg(rating) FROM raw_ratings GROUP BY bucket

SELECT rating * 2 AS stars, count(*) FROM raw_ratings GROUP BY rating * 2

SELECT count(*) FROM raw_movies

SELECT count(*) FROM raw_movies WHERE genres = '(no genres listed)'

SELECT movieId, title FROM raw_movies WHERE title LIKE '%, The (%'

SELECT movieId, title FROM raw_movies WHERE title ILIKE '%the%' AND movieId < 500

SELECT count(*) FROM raw_movies WHERE title LIKE '%"%'

SELECT genres, count(*) FROM raw_movies GROUP BY genres

SELECT length(title), count(*) FROM raw_movies GROUP BY length(title)

SELECT upper(genres), count(*) FROM raw_movies GROUP BY upper(genres)

SELECT lower(title) FROM raw_movies WHERE movieId < 50

SELECT movieId, trim(title) FROM raw_movies WHERE title LIKE '% '

SELECT substr(title, 1, 10), count(*) FROM raw_movies GROUP BY substr(title, 1, 10)

SELECT replace(genres, '|', ', ') FROM raw_movies WHERE movieId < 100

SELECT count(*) FROM raw_links WHERE tmdbId IS NULL

SELECT movieId, imdbId, tmdbId FROM raw_links WHERE movieId < 200

SELECT count(*), min(imdbId), max(imdbId) FROM raw_links

SELECT coalesce(tmdbId, -1) AS t, count(*) FROM raw_links GROUP BY t HAVING count(*) > 1

SELECT tag, count(*) FROM raw_tags GROUP BY tag

SELECT userId, count(DISTINCT movieId) FROM raw_tags GROUP BY userId

SELECT count(*) FROM raw_tags WHERE tag LIKE '%,%'

SELECT tagId, tag FROM raw_genome_tags WHERE tagId <= 20

SELECT tagId, avg(relevance), max(relevance), count(*) FROM raw_genome_scores GROUP BY tagId

SELECT count(*) FROM raw_genome_scores WHERE relevance > 0.5

SELECT count(*) FROM raw_genome_scores WHERE relevance = 0

SELECT m.movieId, m.title, count(*) AS n FROM raw_movies m JOIN raw_ratings r ON m.movieId = r.movieId GROUP BY m.movieId, m.title

SELECT m.genres, avg(r.rating), count(*) FROM raw_ratings r JOIN raw_movies m ON r.movieId = m.movieId GROUP BY m.genres

SELECT count(*) FROM raw_ratings r LEFT JOIN raw_movies m ON r.movieId = m.movieId WHERE m.movieId IS NULL

SELECT m.movieId, count(r.rating) FROM raw_movies m LEFT JOIN raw_ratings r ON m.movieId = r.movieId GROUP BY m.movieId

SELECT l.tmdbId IS NULL AS missing, count(*) FROM raw_ratings r JOIN raw_links l ON r.movieId = l.movieId GROUP BY missing

SELECT t.tag, m.title FROM raw_tags t JOIN raw_movies m ON t.movieId = m.movieId WHERE t.userId < 200

SELECT gt.tag, count(*) FROM raw_genome_scores gs JOIN raw_genome_tags gt ON gs.tagId = gt.tagId WHERE gs.relevance > 0.9 GROUP BY gt.tag

SELECT r.userId, count(*) FROM raw_ratings r JOIN raw_tags t ON r.userId = t.userId AND r.movieId = t.movieId GROUP BY r.userId

SELECT count(*) FROM raw_ratings WHERE movieId IN (SELECT movieId FROM raw_movies WHERE genres LIKE '%Comedy%')

SELECT count(*) FROM raw_movies WHERE movieId NOT IN (SELECT movieId FROM raw_ratings)

SELECT count(*) FROM raw_movies WHERE movieId IN (SELECT movieId FROM raw_genome_scores)

SELECT year(to_timestamp(timestamp)) AS y, count(*) FROM raw_ratings GROUP BY y

SELECT year(to_timestamp(timestamp)) AS y, count(DISTINCT userId) FROM raw_ratings GROUP BY y

SELECT month(to_timestamp(timestamp)) AS m, count(*) FROM raw_ratings GROUP BY m

SELECT CASE WHEN rating >= 4 THEN 'good' WHEN rating >= 2.5 THEN 'ok' ELSE 'bad' END AS b, count(*) FROM raw_ratings GROUP BY b

SELECT CAST(floor(rating) AS INTEGER) AS r, count(*) FROM raw_ratings GROUP BY r

SELECT count(*) FROM (SELECT DISTINCT userId, movieId FROM raw_ratings) d

SELECT count(*) FROM (SELECT movieId FROM raw_ratings UNION SELECT movieId FROM raw_tags) u

SELECT count(*) FROM (SELECT movieId FROM raw_ratings UNION ALL SELECT movieId FROM raw_tags) u

WITH per_user AS (SELECT userId, count(*) AS n FROM raw_ratings GROUP BY userId) SELECT count(*), avg(n), max(n) FROM per_user

WITH pop AS (SELECT movieId, count(*) AS n FROM raw_ratings GROUP BY movieId) SELECT m.title, p.n FROM pop p JOIN raw_movies m ON m.movieId = p.movieId ORDER BY p.n DESC, m.movieId LIMIT 15

SELECT userId, movieId, rating FROM raw_ratings ORDER BY timestamp DESC, userId, movieId LIMIT 10

SELECT movieId, title FROM raw_movies ORDER BY title, movieId LIMIT 25

SELECT value, count(*) FROM raw_movies, LATERAL FLATTEN(input => split(genres, '|')) GROUP BY value
-- duckdb: SELECT value, count(*) FROM (SELECT unnest(string_split(genres, '|')) AS value FROM raw_movies) GROUP BY value

-- Dashboard 1: top movies by average rating (100+ ratings).
SELECT m.movieId, m.title, avg(r.rating) AS avg_rating, count(*) AS rating_count FROM raw_movies m JOIN raw_ratings r ON m.movieId = r.movieId GROUP BY m.movieId, m.title HAVING count(*) >= 100 ORDER BY avg_rating DESC, m.movieId LIMIT 20

-- Dashboard 2: genre-wise average ratings.
SELECT g.value AS genre, count(DISTINCT g.movieId) AS movie_count, count(r.rating) AS rating_count, avg(r.rating) AS avg_rating FROM (SELECT movieId, value FROM raw_movies, LATERAL FLATTEN(input => split(genres, '|'))) g LEFT JOIN raw_ratings r ON g.movieId = r.movieId GROUP BY g.value
-- duckdb: SELECT g.value AS genre, count(DISTINCT g.movieId) AS movie_count, count(r.rating) AS rating_count, avg(r.rating) AS avg_rating FROM (SELECT movieId, unnest(string_split(genres, '|')) AS value FROM raw_movies) g LEFT JOIN raw_ratings r ON g.movieId = r.movieId GROUP BY g.value

-- Dashboard 3: most active users.
SELECT userId, count(*) AS rating_count, avg(rating) AS avg_rating, min(to_timestamp(timestamp)) AS first_rating_at, max(to_timestamp(timestamp)) AS last_rating_at FROM raw_ratings GROUP BY userId ORDER BY rating_count DESC, userId LIMIT 20

-- Dashboard 4: yearly release trends.
SELECT CAST(substr(regexp_substr(trim(m.title), '[(][0-9]{4}[)]$'), 2, 4) AS INTEGER) AS release_year, count(DISTINCT m.movieId) AS movie_count, count(r.rating) AS rating_count, avg(r.rating) AS avg_rating FROM raw_movies m LEFT JOIN raw_ratings r ON m.movieId = r.movieId WHERE regexp_substr(trim(m.title), '[(][0-9]{4}[)]$') IS NOT NULL GROUP BY release_year
-- duckdb: SELECT CAST(regexp_extract(trim(m.title), '[(]([0-9]{4})[)]$', 1) AS INTEGER) AS release_year, count(DISTINCT m.movieId) AS movie_count, count(r.rating) AS rating_count, avg(r.rating) AS avg_rating FROM raw_movies m LEFT JOIN raw_ratings r ON m.movieId = r.movieId WHERE regexp_extract(trim(m.title), '[(]([0-9]{4})[)]$', 1) <> '' GROUP BY release_year

-- Dashboard 5: top tags by genome relevance, with each tag's top movie.
WITH s AS (SELECT movieId, tagId, relevance FROM raw_genome_scores WHERE relevance > 0), best AS (SELECT tagId, max(relevance) AS m FROM s GROUP BY tagId), top AS (SELECT s.tagId, min(s.movieId) AS movieId FROM s JOIN best b ON s.tagId = b.tagId AND s.relevance = b.m GROUP BY s.tagId) SELECT t.tagId, t.tag, count(DISTINCT s.movieId) AS movie_count, avg(s.relevance) AS avg_relevance, top.movieId AS top_movie_id, mv.title AS top_movie_title FROM s JOIN raw_genome_tags t ON s.tagId = t.tagId JOIN top ON top.tagId = t.tagId JOIN raw_movies mv ON mv.movieId = top.movieId GROUP BY t.tagId, t.tag, top.movieId, mv.title ORDER BY avg_relevance DESC, t.tagId LIMIT 20

-- Eager aggregation: aggregates of the big side grouped by the small side's columns.
SELECT m.movieId, m.title, avg(r.rating), count(*), count(r.rating), sum(r.userId), min(r.timestamp), max(r.rating) FROM raw_movies m JOIN raw_ratings r ON m.movieId = r.movieId GROUP BY m.movieId, m.title;

SELECT m.genres, avg(r.rating), count(*) FROM raw_movies m JOIN raw_ratings r ON r.movieId = m.movieId GROUP BY m.genres HAVING count(*) > 50;

SELECT r.movieId, count(*), max(r.rating) FROM raw_ratings r JOIN raw_movies m USING (movieId) WHERE m.title LIKE '%(19%' GROUP BY r.movieId;

-- Correlated subqueries as semi / anti joins.
SELECT m.movieId, m.title FROM raw_movies m WHERE EXISTS (SELECT 1 FROM raw_ratings r WHERE r.movieId = m.movieId AND r.rating = 0.5);

SELECT count(*) FROM raw_movies m WHERE NOT EXISTS (SELECT 1 FROM raw_ratings r WHERE r.movieId = m.movieId);

SELECT t.userId, t.movieId, t.tag FROM raw_tags t WHERE NOT EXISTS (SELECT 1 FROM raw_ratings r WHERE r.userId = t.userId AND r.movieId = t.movieId);

SELECT r.userId, count(*) FROM raw_ratings r WHERE EXISTS (SELECT 1 FROM raw_tags t WHERE t.movieId = r.movieId AND t.userId = r.userId AND t.timestamp >= r.timestamp) GROUP BY r.userId;

SELECT m.movieId FROM raw_movies m WHERE m.movieId IN (SELECT g.movieId FROM raw_genome_scores g WHERE g.movieId = m.movieId AND g.relevance > 0.99);

-- Plain streaming results and sorts with ties, in the order one thread produces them.
SELECT userId, movieId, rating FROM raw_ratings WHERE rating = 0.5 AND movieId < 500 ORDER BY movieId, userId;

SELECT userId, movieId FROM raw_ratings ORDER BY timestamp DESC, userId, movieId LIMIT 25;

-- Correlated scalar subqueries as LEFT JOINs to grouped subqueries.
SELECT m.movieId, (SELECT count(*) FROM raw_ratings r WHERE r.movieId = m.movieId) AS n, (SELECT max(t.timestamp) FROM raw_tags t WHERE t.movieId = m.movieId) AS last_tag FROM raw_movies m;

SELECT count(*), avg(r.rating) FROM raw_ratings r WHERE r.rating >= (SELECT avg(r2.rating) FROM raw_ratings r2 WHERE r2.movieId = r.movieId);
