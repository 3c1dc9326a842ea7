-- Analyst corpus: questions a Snowflake user asks of MovieLens, written in Snowflake's dialect
-- and run on moviecol; a `-- duckdb:` line gives DuckDB's spelling where the dialects differ.
-- Each runs on both engines over the same generated CSVs (differential.py --corpus); results
-- must match (order-insensitive unless the query says ORDER BY anywhere, in which case the final
-- ORDER BY fixes every row's place; doubles within 1e-9 relative). Queries are separated by
-- blank lines. Sections: window functions, aggregates, correlated subqueries, mixed CTE /
-- window / aggregate reports, then edge cases of each. Ties are broken with unique keys
-- ((userId, movieId) for ratings, (movieId, tagId) for genome scores) wherever the answer
-- would depend on them; MODE, MIN_BY / MAX_BY and APPROX_COUNT_DISTINCT are only used where the
-- answer is unique or exact.

-- ===== 1. Window functions =====

-- Each user's ratings numbered in the order they were given.
SELECT userId, movieId, rating, ROW_NUMBER() OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS rn FROM raw_ratings WHERE userId <= 15 ORDER BY userId, rn

-- The first three movies every user rated.
SELECT userId, movieId, timestamp FROM raw_ratings WHERE userId <= 120 QUALIFY ROW_NUMBER() OVER (PARTITION BY userId ORDER BY timestamp, movieId) <= 3 ORDER BY userId, timestamp, movieId

-- The most recent rating of each user.
SELECT userId, movieId, rating, to_timestamp(timestamp) AS rated_at FROM raw_ratings QUALIFY ROW_NUMBER() OVER (PARTITION BY userId ORDER BY timestamp DESC, movieId DESC) = 1 ORDER BY userId

-- Popularity ranks with ties.
WITH c AS (SELECT movieId, count(*) AS n FROM raw_ratings GROUP BY movieId) SELECT movieId, n, RANK() OVER (ORDER BY n DESC) AS rk, DENSE_RANK() OVER (ORDER BY n DESC) AS drk FROM c ORDER BY rk, movieId

-- Rank computed directly over an aggregate.
SELECT movieId, count(*) AS n, RANK() OVER (ORDER BY count(*) DESC) AS rk FROM raw_ratings GROUP BY movieId ORDER BY rk, movieId LIMIT 60

-- Dense rank of a user's ratings, best first.
SELECT userId, movieId, rating, DENSE_RANK() OVER (PARTITION BY userId ORDER BY rating DESC) AS dr, RANK() OVER (PARTITION BY userId ORDER BY rating DESC) AS r FROM raw_ratings WHERE userId BETWEEN 10 AND 14 ORDER BY userId, movieId

-- Percentile standing of every movie's average rating.
WITH a AS (SELECT movieId, avg(rating) AS avg_rating FROM raw_ratings GROUP BY movieId) SELECT movieId, avg_rating, PERCENT_RANK() OVER (ORDER BY avg_rating) AS pr, CUME_DIST() OVER (ORDER BY avg_rating) AS cd FROM a ORDER BY movieId

-- Distribution of a user's own ratings.
SELECT userId, movieId, rating, CUME_DIST() OVER (PARTITION BY userId ORDER BY rating) AS cd, PERCENT_RANK() OVER (PARTITION BY userId ORDER BY rating) AS pr FROM raw_ratings WHERE userId IN (3, 33, 333) ORDER BY userId, movieId

-- Activity quartiles of users.
WITH u AS (SELECT userId, count(*) AS n FROM raw_ratings GROUP BY userId) SELECT userId, n, NTILE(4) OVER (ORDER BY n DESC, userId) AS quartile FROM u ORDER BY userId

-- Activity deciles summarised.
WITH u AS (SELECT userId, count(*) AS n FROM raw_ratings GROUP BY userId), b AS (SELECT userId, n, NTILE(10) OVER (ORDER BY n, userId) AS decile FROM u) SELECT decile, count(*) AS users, min(n), max(n), avg(n) FROM b GROUP BY decile ORDER BY decile

-- NTILE with a bucket count that does not divide the partition.
SELECT userId, movieId, NTILE(7) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS part FROM raw_ratings WHERE userId IN (5, 6) ORDER BY userId, timestamp, movieId

-- Time since the previous rating and the next movie rated.
SELECT userId, movieId, timestamp - LAG(timestamp) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS gap, LEAD(movieId) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS next_movie FROM raw_ratings WHERE userId <= 8 ORDER BY userId, timestamp, movieId

-- Rating two steps back, with a default.
SELECT userId, movieId, rating, LAG(rating, 2, 0) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS two_back FROM raw_ratings WHERE userId BETWEEN 20 AND 23 ORDER BY userId, timestamp, movieId

-- Movie three ratings ahead, -1 when there is none.
SELECT userId, movieId, LEAD(movieId, 3, -1) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS ahead3 FROM raw_ratings WHERE userId BETWEEN 40 AND 42 ORDER BY userId, timestamp, movieId

-- Change of rating against the previous one.
SELECT userId, movieId, rating - LAG(rating, 1, rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS delta FROM raw_ratings WHERE userId <= 5 ORDER BY userId, timestamp, movieId

-- First and last movie of each user.
SELECT DISTINCT userId, FIRST_VALUE(movieId) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS first_movie, LAST_VALUE(movieId) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_movie FROM raw_ratings WHERE userId <= 300 ORDER BY userId

-- LAST_VALUE over a short forward frame.
SELECT userId, movieId, LAST_VALUE(movieId) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN CURRENT ROW AND 2 FOLLOWING) AS lv FROM raw_ratings WHERE userId IN (7, 8) ORDER BY userId, timestamp, movieId

-- LAST_VALUE with the default frame (peers included, the value equal across peers).
SELECT userId, movieId, rating, LAST_VALUE(rating) OVER (PARTITION BY userId ORDER BY rating) AS lv, FIRST_VALUE(rating) OVER (PARTITION BY userId ORDER BY rating DESC) AS best FROM raw_ratings WHERE userId IN (9, 10) ORDER BY userId, movieId

-- The second movie every user rated.
SELECT DISTINCT userId, NTH_VALUE(movieId, 2) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS second_movie FROM raw_ratings WHERE userId <= 200 ORDER BY userId

-- NTH_VALUE with the default frame is NULL until the n-th row.
SELECT userId, movieId, NTH_VALUE(movieId, 3) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS third FROM raw_ratings WHERE userId IN (11, 12) ORDER BY userId, timestamp, movieId

-- Last five-star movie before each rating.
SELECT userId, movieId, LAG(CASE WHEN rating = 5 THEN movieId END) IGNORE NULLS OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS last_five FROM raw_ratings WHERE userId <= 6 ORDER BY userId, timestamp, movieId
-- duckdb: SELECT userId, movieId, LAG(CASE WHEN rating = 5 THEN movieId END IGNORE NULLS) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS last_five FROM raw_ratings WHERE userId <= 6 ORDER BY userId, timestamp, movieId

-- Next high rating, skipping the rest.
SELECT userId, movieId, LEAD(CASE WHEN rating >= 4 THEN rating END, 1, -1) IGNORE NULLS OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS next_high FROM raw_ratings WHERE userId BETWEEN 30 AND 33 ORDER BY userId, timestamp, movieId
-- duckdb: SELECT userId, movieId, LEAD(CASE WHEN rating >= 4 THEN rating END, 1, -1 IGNORE NULLS) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS next_high FROM raw_ratings WHERE userId BETWEEN 30 AND 33 ORDER BY userId, timestamp, movieId

-- First low rating of each user, ignoring the others.
SELECT DISTINCT userId, FIRST_VALUE(CASE WHEN rating <= 1.5 THEN movieId END) IGNORE NULLS OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS first_low FROM raw_ratings WHERE userId <= 150 ORDER BY userId
-- duckdb: SELECT DISTINCT userId, FIRST_VALUE(CASE WHEN rating <= 1.5 THEN movieId END IGNORE NULLS) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS first_low FROM raw_ratings WHERE userId <= 150 ORDER BY userId

-- Carry forward the last comedy each user rated.
WITH r AS (SELECT r.userId, r.movieId, r.timestamp, CASE WHEN m.genres LIKE '%Comedy%' THEN m.title END AS comedy FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId WHERE r.userId <= 4) SELECT userId, movieId, LAST_VALUE(comedy) IGNORE NULLS OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS last_comedy FROM r ORDER BY userId, timestamp, movieId
-- duckdb: WITH r AS (SELECT r.userId, r.movieId, r.timestamp, CASE WHEN m.genres LIKE '%Comedy%' THEN m.title END AS comedy FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId WHERE r.userId <= 4) SELECT userId, movieId, LAST_VALUE(comedy IGNORE NULLS) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS last_comedy FROM r ORDER BY userId, timestamp, movieId

-- Second 5-star movie, skipping the rest.
SELECT DISTINCT userId, NTH_VALUE(CASE WHEN rating = 5 THEN movieId END, 2) IGNORE NULLS OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS second_five FROM raw_ratings WHERE userId <= 100 ORDER BY userId
-- duckdb: SELECT DISTINCT userId, NTH_VALUE(CASE WHEN rating = 5 THEN movieId END, 2 IGNORE NULLS) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS second_five FROM raw_ratings WHERE userId <= 100 ORDER BY userId

-- Running total of stars per user.
SELECT userId, movieId, SUM(rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running FROM raw_ratings WHERE userId <= 6 ORDER BY userId, timestamp, movieId

-- Running count and average with the short frame form.
SELECT userId, movieId, COUNT(*) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS UNBOUNDED PRECEDING) AS n, AVG(rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS UNBOUNDED PRECEDING) AS running_avg FROM raw_ratings WHERE userId IN (50, 51) ORDER BY userId, timestamp, movieId

-- Five-rating moving average.
SELECT userId, movieId, AVG(rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS ma5 FROM raw_ratings WHERE userId BETWEEN 60 AND 63 ORDER BY userId, timestamp, movieId

-- Centered window minimum and maximum.
SELECT userId, movieId, MIN(rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS lo, MAX(rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS hi FROM raw_ratings WHERE userId IN (70, 71, 72) ORDER BY userId, timestamp, movieId

-- Sliding ten-row maximum of the movie id (a segment tree on MIN/MAX).
SELECT userId, movieId, MAX(movieId) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) AS mx, MIN(movieId) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) AS mn FROM raw_ratings WHERE userId = 80 ORDER BY timestamp, movieId

-- Ratings the same user gave within the preceding day.
SELECT userId, movieId, COUNT(*) OVER (PARTITION BY userId ORDER BY timestamp RANGE BETWEEN 86400 PRECEDING AND CURRENT ROW) AS last_day FROM raw_ratings WHERE userId <= 30 ORDER BY userId, timestamp, movieId

-- Ratings in the following week, and their average.
SELECT userId, movieId, COUNT(*) OVER (PARTITION BY userId ORDER BY timestamp RANGE BETWEEN CURRENT ROW AND 604800 FOLLOWING) AS next_week, AVG(rating) OVER (PARTITION BY userId ORDER BY timestamp RANGE BETWEEN CURRENT ROW AND 604800 FOLLOWING) AS next_week_avg FROM raw_ratings WHERE userId BETWEEN 90 AND 99 ORDER BY userId, timestamp, movieId

-- Ratings within half a star of each one.
SELECT userId, movieId, rating, COUNT(*) OVER (PARTITION BY userId ORDER BY rating RANGE BETWEEN 0.5 PRECEDING AND 0.5 FOLLOWING) AS near FROM raw_ratings WHERE userId IN (1, 2) ORDER BY userId, movieId

-- A range frame over a descending order.
SELECT userId, movieId, rating, SUM(rating) OVER (PARTITION BY userId ORDER BY rating DESC RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) AS s FROM raw_ratings WHERE userId IN (14, 15) ORDER BY userId, movieId

-- Default frame: running sum with peers included.
SELECT userId, movieId, rating, SUM(rating) OVER (PARTITION BY userId ORDER BY rating) AS s, COUNT(*) OVER (PARTITION BY userId ORDER BY rating) AS c FROM raw_ratings WHERE userId IN (16, 17) ORDER BY userId, movieId

-- Whole-partition frame spelled out as a range.
SELECT userId, movieId, SUM(rating) OVER (PARTITION BY userId ORDER BY timestamp RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS total, COUNT(*) OVER (PARTITION BY userId) AS n FROM raw_ratings WHERE userId IN (18, 19) ORDER BY userId, movieId

-- A frame entirely ahead of the current row.
SELECT userId, movieId, SUM(rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 3 FOLLOWING AND 5 FOLLOWING) AS ahead FROM raw_ratings WHERE userId IN (21, 22) ORDER BY userId, timestamp, movieId

-- A frame entirely behind the current row.
SELECT userId, movieId, AVG(rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 5 PRECEDING AND 2 PRECEDING) AS behind, COUNT(rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 5 PRECEDING AND 2 PRECEDING) AS nb FROM raw_ratings WHERE userId IN (23, 24) ORDER BY userId, timestamp, movieId

-- Remaining ratings after each one.
SELECT userId, movieId, COUNT(*) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS remaining, MAX(rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS best_from_here FROM raw_ratings WHERE userId IN (25, 26) ORDER BY userId, timestamp, movieId

-- Share of each rating value (a window over an aggregate).
SELECT rating, count(*) AS n, count(*) / SUM(count(*)) OVER () AS share FROM raw_ratings GROUP BY rating ORDER BY rating

-- Cumulative share of rating values.
SELECT rating, count(*) AS n, SUM(count(*)) OVER (ORDER BY rating) AS cumulative, SUM(count(*)) OVER (ORDER BY rating) / SUM(count(*)) OVER () AS cumulative_share FROM raw_ratings GROUP BY rating ORDER BY rating

-- Deviation from the user's own average.
SELECT userId, movieId, rating, rating - AVG(rating) OVER (PARTITION BY userId) AS dev FROM raw_ratings WHERE userId <= 3 ORDER BY userId, movieId

-- Movie popularity alongside every rating.
SELECT r.userId, r.movieId, COUNT(*) OVER (PARTITION BY r.movieId) AS movie_n, MAX(r.rating) OVER (PARTITION BY r.movieId) AS movie_max FROM raw_ratings r WHERE r.movieId IN (1, 2, 3) ORDER BY r.movieId, r.userId

-- Several functions over one named window.
SELECT userId, movieId, ROW_NUMBER() OVER w AS rn, LAG(rating) OVER w AS prev, SUM(rating) OVER w AS running, FIRST_VALUE(movieId) OVER w AS first_movie FROM raw_ratings WHERE userId <= 3 WINDOW w AS (PARTITION BY userId ORDER BY timestamp, movieId) ORDER BY userId, rn

-- A named window refined with an order and a frame.
SELECT userId, movieId, ROW_NUMBER() OVER (w ORDER BY timestamp, movieId) AS rn, COUNT(*) OVER w AS n FROM raw_ratings WHERE userId IN (4, 5) WINDOW w AS (PARTITION BY userId) ORDER BY userId, rn

-- Two named windows.
SELECT userId, movieId, RANK() OVER by_rating AS rating_rank, ROW_NUMBER() OVER by_time AS time_rank FROM raw_ratings WHERE userId = 27 WINDOW by_rating AS (PARTITION BY userId ORDER BY rating DESC), by_time AS (PARTITION BY userId ORDER BY timestamp, movieId) ORDER BY time_rank

-- Every user's favourite movies (all tied at their top rating).
SELECT userId, movieId, rating FROM raw_ratings WHERE userId <= 25 QUALIFY RANK() OVER (PARTITION BY userId ORDER BY rating DESC) = 1 ORDER BY userId, movieId

-- QUALIFY on a SELECT alias.
SELECT userId, movieId, DENSE_RANK() OVER (PARTITION BY userId ORDER BY rating) AS dr FROM raw_ratings WHERE userId BETWEEN 100 AND 110 QUALIFY dr <= 2 ORDER BY userId, movieId

-- QUALIFY on a partition count: ratings of movies seen by many of these users.
SELECT userId, movieId FROM raw_ratings WHERE userId <= 60 QUALIFY COUNT(*) OVER (PARTITION BY movieId) >= 25 ORDER BY movieId, userId

-- Top 10 movies, ordered by a window rank.
SELECT movieId, count(*) AS n FROM raw_ratings GROUP BY movieId ORDER BY RANK() OVER (ORDER BY count(*) DESC), movieId LIMIT 10

-- Users ordered by their percentile of activity.
SELECT userId, count(*) AS n FROM raw_ratings WHERE userId <= 40 GROUP BY userId ORDER BY PERCENT_RANK() OVER (ORDER BY count(*)) DESC, userId

-- Partition by a computed year.
SELECT userId, movieId, year(to_timestamp(timestamp)) AS y, ROW_NUMBER() OVER (PARTITION BY userId, year(to_timestamp(timestamp)) ORDER BY timestamp, movieId) AS nth_in_year FROM raw_ratings WHERE userId <= 5 ORDER BY userId, timestamp, movieId

-- Different partitions in one query.
SELECT userId, movieId, COUNT(*) OVER (PARTITION BY userId) AS user_n, COUNT(*) OVER (PARTITION BY movieId) AS movie_n, AVG(rating) OVER (PARTITION BY movieId) AS movie_avg FROM raw_ratings WHERE userId <= 20 AND movieId <= 100 ORDER BY userId, movieId

-- Global row numbers ordered on several keys.
SELECT userId, movieId, rating, ROW_NUMBER() OVER (ORDER BY rating DESC, timestamp, userId, movieId) AS rn FROM raw_ratings WHERE movieId = 42 ORDER BY rn

-- Average gap between consecutive ratings per user.
WITH g AS (SELECT userId, timestamp - LAG(timestamp) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS gap FROM raw_ratings) SELECT userId, count(gap) AS gaps, avg(gap) AS avg_gap, max(gap) AS max_gap FROM g GROUP BY userId ORDER BY userId

-- Sessions: a new one after 30 idle minutes.
WITH g AS (SELECT userId, movieId, timestamp, CASE WHEN timestamp - LAG(timestamp) OVER (PARTITION BY userId ORDER BY timestamp, movieId) <= 1800 THEN 0 ELSE 1 END AS new_session FROM raw_ratings WHERE userId <= 200), s AS (SELECT userId, movieId, SUM(new_session) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS session_id FROM g) SELECT userId, count(DISTINCT session_id) AS sessions, count(*) AS ratings FROM s GROUP BY userId ORDER BY userId

-- Longest streak of ratings of four stars or more (gaps and islands).
WITH t AS (SELECT userId, timestamp, movieId, rating >= 4 AS good, ROW_NUMBER() OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS rn FROM raw_ratings WHERE userId <= 100), g AS (SELECT userId, rn - ROW_NUMBER() OVER (PARTITION BY userId, good ORDER BY timestamp, movieId) AS island FROM t WHERE good) SELECT userId, max(len) AS longest FROM (SELECT userId, island, count(*) AS len FROM g GROUP BY userId, island) x GROUP BY userId ORDER BY userId

-- Movie ratings ranked within their year.
WITH y AS (SELECT movieId, year(to_timestamp(timestamp)) AS yr, count(*) AS n FROM raw_ratings GROUP BY movieId, yr) SELECT yr, movieId, n FROM y QUALIFY DENSE_RANK() OVER (PARTITION BY yr ORDER BY n DESC) <= 2 ORDER BY yr, n DESC, movieId

-- Titles of the previous and next movie in id order.
SELECT movieId, title, LAG(title, 1, 'none') OVER (ORDER BY movieId) AS prev_title, LEAD(title) OVER (ORDER BY movieId) AS next_title FROM raw_movies WHERE movieId < 200 ORDER BY movieId

-- Counting non-null values over a window.
SELECT userId, movieId, COUNT(CASE WHEN rating >= 4 THEN 1 END) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 9 PRECEDING AND CURRENT ROW) AS good_in_last10 FROM raw_ratings WHERE userId IN (31, 32) ORDER BY userId, timestamp, movieId

-- Windowed SUM of integers and of NULL-able values.
SELECT userId, movieId, SUM(CASE WHEN rating < 2 THEN movieId END) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 3 PRECEDING AND 3 FOLLOWING) AS s, MIN(CASE WHEN rating < 2 THEN movieId END) OVER (PARTITION BY userId) AS m FROM raw_ratings WHERE userId IN (34, 35) ORDER BY userId, timestamp, movieId

-- Each tag's position in the user's tagging history.
SELECT userId, movieId, tag, ROW_NUMBER() OVER (PARTITION BY userId ORDER BY timestamp, movieId, tag) AS rn, COUNT(*) OVER (PARTITION BY userId) AS total FROM raw_tags WHERE userId <= 30 ORDER BY userId, rn

-- Genome: the three most relevant tags per movie.
SELECT movieId, tagId, relevance FROM raw_genome_scores QUALIFY ROW_NUMBER() OVER (PARTITION BY movieId ORDER BY relevance DESC, tagId) <= 3 ORDER BY movieId, relevance DESC, tagId

-- Genome: a tag's rank among movies, with percent rank.
SELECT movieId, relevance, RANK() OVER (ORDER BY relevance DESC) AS rk, PERCENT_RANK() OVER (ORDER BY relevance DESC) AS pr, CUME_DIST() OVER (ORDER BY relevance DESC) AS cd FROM raw_genome_scores WHERE tagId = 17 ORDER BY movieId

-- ===== 2. Aggregates =====

-- Median rating of every movie.
SELECT movieId, median(rating) AS med, count(*) AS n FROM raw_ratings GROUP BY movieId

-- Quartiles of each user's ratings.
SELECT userId, PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY rating) AS q1, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY rating) AS q2, PERCENTILE_CONT(0.75) WITHIN GROUP (ORDER BY rating) AS q3 FROM raw_ratings WHERE userId <= 300 GROUP BY userId ORDER BY userId

-- Discrete percentiles of a movie's ratings, ascending and descending.
SELECT movieId, PERCENTILE_DISC(0.1) WITHIN GROUP (ORDER BY rating) AS p10, PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY rating) AS p90, PERCENTILE_DISC(0.1) WITHIN GROUP (ORDER BY rating DESC) AS p10_desc FROM raw_ratings GROUP BY movieId ORDER BY movieId

-- Interpolated percentile with a descending order.
SELECT movieId, PERCENTILE_CONT(0.3) WITHIN GROUP (ORDER BY rating DESC) AS p30_desc, PERCENTILE_CONT(0.3) WITHIN GROUP (ORDER BY rating) AS p30 FROM raw_ratings WHERE movieId < 400 GROUP BY movieId ORDER BY movieId

-- DuckDB's quantile functions.
SELECT userId, quantile_cont(timestamp, 0.5) AS mid_time, quantile_disc(rating, 0.9) AS p90 FROM raw_ratings GROUP BY userId

-- Percentiles of user activity.
WITH u AS (SELECT userId, count(*) AS n FROM raw_ratings GROUP BY userId) SELECT median(n), PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY n) AS p90, PERCENTILE_DISC(0.99) WITHIN GROUP (ORDER BY n) AS p99, avg(n) FROM u ORDER BY 1

-- Genome: spread of each tag's relevance.
SELECT tagId, median(relevance) AS med, PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY relevance) AS p95, PERCENTILE_DISC(0.05) WITHIN GROUP (ORDER BY relevance) AS p05 FROM raw_genome_scores GROUP BY tagId ORDER BY tagId

-- Movies with a high median but a low first quartile.
SELECT movieId, median(rating) AS med, PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY rating) AS q1 FROM raw_ratings GROUP BY movieId HAVING median(rating) >= 4 AND PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY rating) <= 3 ORDER BY movieId

-- The most common rating of movies whose mode is unique.
WITH c AS (SELECT movieId, rating, count(*) AS n FROM raw_ratings GROUP BY movieId, rating), top AS (SELECT movieId FROM c QUALIFY RANK() OVER (PARTITION BY movieId ORDER BY n DESC) = 1), uniq AS (SELECT movieId FROM top GROUP BY movieId HAVING count(*) = 1) SELECT r.movieId, mode(r.rating) AS most_common FROM raw_ratings r WHERE r.movieId IN (SELECT movieId FROM uniq) GROUP BY r.movieId ORDER BY r.movieId

-- The most common genre string overall and the most common rating overall.
SELECT mode(genres) FROM raw_movies WHERE genres <> '(no genres listed)'

SELECT mode(rating), count(*) FROM raw_ratings

-- Spread of each user's ratings.
SELECT userId, stddev(rating) AS sd, stddev_samp(rating) AS sd_s, stddev_pop(rating) AS sd_p, variance(rating) AS v, var_samp(rating) AS v_s, var_pop(rating) AS v_p FROM raw_ratings GROUP BY userId

-- Most polarising movies.
SELECT movieId, stddev(rating) AS sd, count(*) AS n FROM raw_ratings GROUP BY movieId HAVING count(*) >= 300 ORDER BY sd DESC, movieId LIMIT 20

-- Sample statistics of a single row are NULL.
SELECT userId, movieId, stddev_samp(rating), var_samp(rating), stddev_pop(rating), var_pop(rating) FROM raw_ratings WHERE userId <= 3 GROUP BY userId, movieId

-- Variance of the timestamps (large values).
SELECT userId, var_pop(timestamp) AS vt, stddev_samp(timestamp) AS st FROM raw_ratings WHERE userId <= 200 GROUP BY userId

-- Does a user's rating drift with time?
-- Per-user timestamps are bursts (sessions) far from 0: DuckDB's corr over raw epoch seconds
-- loses ~1e-9 relative accuracy (moviecol's matches exact rational arithmetic), so the
-- reference shifts each user's timestamps to start at 0 (corr and regr_slope are shift-invariant).
-- duckdb: SELECT userId, corr(rating, timestamp) AS c, count(*) AS n FROM (SELECT userId, movieId, rating, timestamp - min(timestamp) OVER (PARTITION BY userId) AS timestamp FROM raw_ratings) raw_ratings GROUP BY userId HAVING count(DISTINCT rating) > 1 AND count(DISTINCT timestamp) > 1
SELECT userId, corr(rating, timestamp) AS c, count(*) AS n FROM raw_ratings GROUP BY userId HAVING count(DISTINCT rating) > 1 AND count(DISTINCT timestamp) > 1

-- Covariances of rating and time per movie.
SELECT movieId, covar_samp(rating, timestamp) AS cs, covar_pop(rating, timestamp) AS cp FROM raw_ratings GROUP BY movieId

-- Linear trend of a movie's ratings by year.
SELECT movieId, regr_slope(rating, year(to_timestamp(timestamp))) AS slope, regr_intercept(rating, year(to_timestamp(timestamp))) AS intercept, regr_r2(rating, year(to_timestamp(timestamp))) AS r2, regr_count(rating, year(to_timestamp(timestamp))) AS n FROM raw_ratings GROUP BY movieId HAVING count(DISTINCT rating) > 1 AND count(DISTINCT year(to_timestamp(timestamp))) > 1

-- Regression helpers.
SELECT userId, regr_avgx(rating, movieId) AS ax, regr_avgy(rating, movieId) AS ay, regr_sxx(rating, movieId) AS sxx, regr_syy(rating, movieId) AS syy, regr_sxy(rating, movieId) AS sxy FROM raw_ratings WHERE userId <= 100 GROUP BY userId

-- REGR_COUNT skips pairs with a NULL.
SELECT userId, regr_count(CASE WHEN rating >= 3 THEN rating END, movieId) AS n, regr_slope(CASE WHEN rating >= 3 THEN rating END, movieId) AS slope FROM raw_ratings WHERE userId <= 50 GROUP BY userId HAVING count(DISTINCT CASE WHEN rating >= 3 THEN rating END) > 1

-- Popularity against quality across movies.
WITH m AS (SELECT movieId, count(*) AS n, avg(rating) AS a FROM raw_ratings GROUP BY movieId) SELECT corr(a, n), regr_slope(a, n), regr_intercept(a, n), regr_r2(a, n), covar_pop(a, n) FROM m

-- Genome: how related are two tags across movies?
SELECT corr(a.relevance, b.relevance) AS c, covar_samp(a.relevance, b.relevance) AS cov, count(*) AS n FROM raw_genome_scores a JOIN raw_genome_scores b ON a.movieId = b.movieId WHERE a.tagId = 10 AND b.tagId = 20

-- Good ratings per movie with COUNT_IF.
SELECT movieId, count_if(rating >= 4) AS good, count_if(rating <= 2) AS bad, count(*) AS n FROM raw_ratings GROUP BY movieId

-- COUNT_IF against FILTER.
SELECT userId, count_if(rating = 5) AS fives, count(*) FILTER (WHERE rating = 5) AS fives_f, avg(rating) FILTER (WHERE rating >= 3) AS avg_ok, sum(rating) FILTER (WHERE movieId < 100) AS s FROM raw_ratings GROUP BY userId

-- FILTER with DISTINCT and by year.
SELECT movieId, count(DISTINCT userId) FILTER (WHERE year(to_timestamp(timestamp)) < 2005) AS early_users, count(DISTINCT userId) FILTER (WHERE year(to_timestamp(timestamp)) >= 2005) AS late_users, max(rating) FILTER (WHERE userId % 2 = 0) AS even_max FROM raw_ratings GROUP BY movieId

-- FILTER on statistics.
SELECT userId, stddev_samp(rating) FILTER (WHERE movieId % 2 = 0) AS sd_even, median(rating) FILTER (WHERE movieId % 2 = 1) AS med_odd FROM raw_ratings WHERE userId <= 100 GROUP BY userId

-- Genres of every movie, as one sorted string.
SELECT m.movieId, LISTAGG(f.value, ', ') WITHIN GROUP (ORDER BY f.value) AS sorted_genres FROM raw_movies m, LATERAL FLATTEN(input => split(m.genres, '|')) f GROUP BY m.movieId ORDER BY m.movieId
-- duckdb: SELECT m.movieId, string_agg(f.value, ', ' ORDER BY f.value) AS sorted_genres FROM raw_movies m, (SELECT movieId, unnest(string_split(genres, '|')) AS value FROM raw_movies) f WHERE f.movieId = m.movieId GROUP BY m.movieId ORDER BY m.movieId

-- Tags of a movie, alphabetical.
SELECT movieId, LISTAGG(tag, '; ') WITHIN GROUP (ORDER BY tag) AS tags, count(*) AS n FROM raw_tags WHERE movieId <= 60 GROUP BY movieId ORDER BY movieId
-- duckdb: SELECT movieId, string_agg(tag, '; ' ORDER BY tag) AS tags, count(*) AS n FROM raw_tags WHERE movieId <= 60 GROUP BY movieId ORDER BY movieId

-- Distinct tags of a movie.
SELECT movieId, LISTAGG(DISTINCT tag, '|') WITHIN GROUP (ORDER BY tag) AS tags FROM raw_tags WHERE movieId BETWEEN 100 AND 160 GROUP BY movieId ORDER BY movieId
-- duckdb: SELECT movieId, string_agg(DISTINCT tag, '|' ORDER BY tag) AS tags FROM raw_tags WHERE movieId BETWEEN 100 AND 160 GROUP BY movieId ORDER BY movieId

-- A user's first movies in rating order, as text.
SELECT userId, LISTAGG(movieId, ',') WITHIN GROUP (ORDER BY timestamp, movieId) AS movies FROM raw_ratings WHERE userId <= 20 GROUP BY userId ORDER BY userId
-- duckdb: SELECT userId, string_agg(movieId::VARCHAR, ',' ORDER BY timestamp, movieId) AS movies FROM raw_ratings WHERE userId <= 20 GROUP BY userId ORDER BY userId

-- Users who rated a movie five stars, latest first.
SELECT movieId, LISTAGG(userId, ' ') WITHIN GROUP (ORDER BY timestamp DESC, userId) AS users FROM raw_ratings WHERE rating = 5 AND movieId <= 30 GROUP BY movieId ORDER BY movieId
-- duckdb: SELECT movieId, string_agg(userId::VARCHAR, ' ' ORDER BY timestamp DESC, userId) AS users FROM raw_ratings WHERE rating = 5 AND movieId <= 30 GROUP BY movieId ORDER BY movieId

-- LISTAGG with the default separator.
SELECT movieId, LISTAGG(value) WITHIN GROUP (ORDER BY index) AS g FROM raw_movies, LATERAL FLATTEN(input => split(genres, '|')) WHERE movieId < 50 GROUP BY movieId ORDER BY movieId
-- duckdb: SELECT movieId, string_agg(replace(genres, '|', ''), '') AS g FROM raw_movies WHERE movieId < 50 GROUP BY movieId ORDER BY movieId

-- A user's movies as an ordered array.
SELECT userId, ARRAY_AGG(movieId) WITHIN GROUP (ORDER BY timestamp, movieId) AS movies FROM raw_ratings WHERE userId <= 10 GROUP BY userId ORDER BY userId
-- duckdb: SELECT userId, list(movieId::VARCHAR ORDER BY timestamp, movieId) AS movies FROM raw_ratings WHERE userId <= 10 GROUP BY userId ORDER BY userId

-- Sorted tag arrays per movie, and their sizes.
SELECT movieId, ARRAY_AGG(DISTINCT tag) WITHIN GROUP (ORDER BY tag) AS tags, ARRAY_SIZE(ARRAY_AGG(tag)) AS n FROM raw_tags WHERE movieId <= 40 GROUP BY movieId ORDER BY movieId
-- duckdb: SELECT movieId, list(DISTINCT tag ORDER BY tag) AS tags, len(list(tag)) AS n FROM raw_tags WHERE movieId <= 40 GROUP BY movieId ORDER BY movieId

-- Array of ratings (as text) of a movie's first raters.
SELECT movieId, ARRAY_AGG(rating) WITHIN GROUP (ORDER BY timestamp, userId) AS ratings FROM raw_ratings WHERE movieId <= 20 AND userId <= 100 GROUP BY movieId ORDER BY movieId
-- duckdb: SELECT movieId, list(rating::VARCHAR ORDER BY timestamp, userId) AS ratings FROM raw_ratings WHERE movieId <= 20 AND userId <= 100 GROUP BY movieId ORDER BY movieId

-- ARRAY_AGG skips NULLs in moviecol; the DuckDB form filters them.
SELECT userId, ARRAY_SIZE(ARRAY_AGG(CASE WHEN rating = 5 THEN movieId END)) AS fives FROM raw_ratings WHERE userId <= 80 GROUP BY userId HAVING count_if(rating = 5) > 0
-- duckdb: SELECT userId, len(list(movieId) FILTER (WHERE rating = 5)) AS fives FROM raw_ratings WHERE userId <= 80 GROUP BY userId HAVING count_if(rating = 5) > 0

-- A movie's title next to its ratings (functionally dependent).
SELECT r.movieId, ANY_VALUE(m.title) AS title, ANY_VALUE(m.genres) AS genres, count(*) AS n FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId GROUP BY r.movieId

-- ARBITRARY on a group constant.
SELECT userId, arbitrary(userId % 7) AS bucket, count(*) FROM raw_ratings GROUP BY userId
-- duckdb: SELECT userId, any_value(userId % 7) AS bucket, count(*) FROM raw_ratings GROUP BY userId

-- Users who never rated below three, and users who gave a perfect score.
SELECT userId, BOOLAND_AGG(rating >= 3) AS never_low, BOOLOR_AGG(rating = 5) AS any_five FROM raw_ratings GROUP BY userId
-- duckdb: SELECT userId, bool_and(rating >= 3) AS never_low, bool_or(rating = 5) AS any_five FROM raw_ratings GROUP BY userId

-- BOOL_AND and BOOL_OR, and EVERY.
SELECT movieId, bool_and(userId > 5) AS a, bool_or(rating < 1) AS o, every(timestamp > 800000000) AS e FROM raw_ratings GROUP BY movieId
-- duckdb: SELECT movieId, bool_and(userId > 5) AS a, bool_or(rating < 1) AS o, bool_and(timestamp > 800000000) AS e FROM raw_ratings GROUP BY movieId

-- Latest and earliest title a user rated (unique key).
SELECT r.userId, MAX_BY(m.title, r.movieId) AS max_id_title, MIN_BY(m.title, r.movieId) AS min_id_title FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId WHERE r.userId <= 300 GROUP BY r.userId

-- First and last movie of users without timestamp ties.
SELECT userId, MIN_BY(movieId, timestamp) AS first_movie, MAX_BY(movieId, timestamp) AS last_movie, MAX_BY(rating, timestamp) AS last_rating FROM raw_ratings WHERE userId NOT IN (SELECT userId FROM raw_ratings GROUP BY userId, timestamp HAVING count(*) > 1) GROUP BY userId

-- ARG_MIN / ARG_MAX spelling.
SELECT movieId, arg_max(userId, timestamp * 10000 + userId) AS last_user, arg_min(userId, timestamp * 10000 + userId) AS first_user FROM raw_ratings GROUP BY movieId

-- Genome: the most relevant movie per tag, where unique.
WITH mx AS (SELECT tagId, max(relevance) AS m FROM raw_genome_scores GROUP BY tagId), uniq AS (SELECT g.tagId FROM raw_genome_scores g JOIN mx ON mx.tagId = g.tagId AND g.relevance = mx.m GROUP BY g.tagId HAVING count(*) = 1) SELECT tagId, max_by(movieId, relevance) AS best_movie, max(relevance) FROM raw_genome_scores WHERE tagId IN (SELECT tagId FROM uniq) GROUP BY tagId

-- Distinct raters per movie, sketched (exact below 2,048 values).
SELECT movieId, APPROX_COUNT_DISTINCT(userId) AS users FROM raw_ratings GROUP BY movieId
-- duckdb: SELECT movieId, count(DISTINCT userId) AS users FROM raw_ratings GROUP BY movieId

-- Distinct movies and days per user, sketched.
SELECT userId, APPROX_COUNT_DISTINCT(movieId) AS movies, APPROX_COUNT_DISTINCT(to_date(to_timestamp(timestamp))) AS days FROM raw_ratings GROUP BY userId
-- duckdb: SELECT userId, count(DISTINCT movieId) AS movies, count(DISTINCT CAST(to_timestamp(timestamp) AS DATE)) AS days FROM raw_ratings GROUP BY userId

-- Distinct tags per user, sketched.
SELECT userId, APPROX_COUNT_DISTINCT(tag) AS tags, count(DISTINCT tag) AS exact FROM raw_tags GROUP BY userId HAVING count(*) <= 2048
-- duckdb: SELECT userId, count(DISTINCT tag) AS tags, count(DISTINCT tag) AS exact FROM raw_tags GROUP BY userId HAVING count(*) <= 2048

-- Ratings by year and value with subtotals.
SELECT year(to_timestamp(timestamp)) AS y, rating, count(*) AS n, GROUPING(year(to_timestamp(timestamp)), rating) AS g FROM raw_ratings GROUP BY ROLLUP (year(to_timestamp(timestamp)), rating)

-- ROLLUP over aliases, with averages.
SELECT userId % 3 AS bucket, rating >= 4 AS good, count(*) AS n, avg(rating) AS a FROM raw_ratings GROUP BY ROLLUP (bucket, good)

-- CUBE of rating and decade of activity.
SELECT CASE WHEN timestamp < 1104537600 THEN 'before 2005' ELSE 'since 2005' END AS era, rating, count(*) AS n, GROUPING(era) AS ge, GROUPING(rating) AS gr FROM raw_ratings GROUP BY CUBE (era, rating)

-- GROUPING SETS with a grand total.
SELECT movieId, rating, count(*) AS n, GROUPING(movieId, rating) AS g FROM raw_ratings WHERE movieId <= 20 GROUP BY GROUPING SETS ((movieId, rating), (movieId), (rating), ())

-- GROUPING SETS with statistics that do not combine from partials.
SELECT userId % 4 AS b, rating >= 3 AS ok, median(rating) AS med, count(DISTINCT movieId) AS movies, stddev_samp(rating) AS sd FROM raw_ratings GROUP BY GROUPING SETS ((b), (ok), (b, ok))

-- A plain key mixed with ROLLUP.
SELECT userId % 2 AS parity, year(to_timestamp(timestamp)) >= 2010 AS recent, rating, count(*) AS n FROM raw_ratings GROUP BY parity, ROLLUP (recent, rating)

-- Genre subtotals with GROUPING_ID.
WITH g AS (SELECT m.movieId, f.value AS genre, r.rating FROM raw_movies m, LATERAL FLATTEN(input => split(m.genres, '|')) f, raw_ratings r WHERE r.movieId = m.movieId AND m.movieId <= 200) SELECT genre, rating >= 4 AS good, count(*) AS n, GROUPING_ID(genre, rating >= 4) AS gid FROM g GROUP BY ROLLUP (genre, rating >= 4)
-- duckdb: WITH g AS (SELECT x.movieId, x.genre, r.rating FROM (SELECT movieId, unnest(string_split(genres, '|')) AS genre FROM raw_movies) x, raw_ratings r WHERE r.movieId = x.movieId AND x.movieId <= 200) SELECT genre, rating >= 4 AS good, count(*) AS n, GROUPING_ID(genre, rating >= 4) AS gid FROM g GROUP BY ROLLUP (genre, rating >= 4)

-- GROUP BY ALL.
SELECT userId, rating, count(*) AS n, avg(movieId) AS am FROM raw_ratings WHERE userId <= 100 GROUP BY ALL

-- GROUP BY ALL with an expression and a constant.
SELECT year(to_timestamp(timestamp)) AS y, 'ratings' AS kind, count(*) AS n, count(DISTINCT userId) AS users FROM raw_ratings GROUP BY ALL

-- AVG and SUM of DISTINCT values.
SELECT userId, avg(DISTINCT rating) AS ad, sum(DISTINCT rating) AS sd, count(DISTINCT rating) AS cd FROM raw_ratings GROUP BY userId

-- Many aggregates of the genome per tag.
SELECT g.tagId, t.tag, count(*) AS n, avg(g.relevance) AS a, stddev_pop(g.relevance) AS sd, count_if(g.relevance > 0.5) AS strong, max(g.relevance) AS mx FROM raw_genome_scores g JOIN raw_genome_tags t ON t.tagId = g.tagId GROUP BY g.tagId, t.tag

-- Users with a wide spread, by the interquartile range.
SELECT userId, PERCENTILE_CONT(0.75) WITHIN GROUP (ORDER BY rating) - PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY rating) AS iqr FROM raw_ratings GROUP BY userId HAVING PERCENTILE_CONT(0.75) WITHIN GROUP (ORDER BY rating) - PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY rating) >= 2 ORDER BY iqr DESC, userId

-- Statistics over a join: per genre string.
SELECT m.genres, count(*) AS n, median(r.rating) AS med, stddev_samp(r.rating) AS sd, count_if(r.rating = 5) AS fives FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId GROUP BY m.genres HAVING count(*) >= 500

-- Tag length statistics.
SELECT userId, avg(length(tag)) AS avg_len, max(length(tag)) AS max_len, median(length(tag)) AS med_len, var_pop(length(tag)) AS v FROM raw_tags GROUP BY userId

-- ===== 3. Correlated subqueries =====

-- How many ratings the user had given before each one.
SELECT r.userId, r.movieId, (SELECT count(*) FROM raw_ratings r2 WHERE r2.userId = r.userId AND r2.timestamp < r.timestamp) AS earlier FROM raw_ratings r WHERE r.userId <= 10

-- The same count, checked against ROW_NUMBER on users without ties.
WITH c AS (SELECT r.userId, r.movieId, (SELECT count(*) FROM raw_ratings r2 WHERE r2.userId = r.userId AND r2.timestamp <= r.timestamp) AS upto FROM raw_ratings r WHERE r.userId BETWEEN 11 AND 40) SELECT count(*), sum(upto), max(upto) FROM c

-- Movies rated more often than each movie.
WITH p AS (SELECT movieId, count(*) AS n FROM raw_ratings GROUP BY movieId) SELECT p.movieId, p.n, (SELECT count(*) FROM p p2 WHERE p2.n > p.n) AS more_popular FROM p

-- Ratings above the movie's average.
SELECT r.userId, r.movieId, r.rating FROM raw_ratings r WHERE r.userId <= 20 AND r.rating > (SELECT avg(r2.rating) FROM raw_ratings r2 WHERE r2.movieId = r.movieId)

-- How far each rating is below the user's best so far (the value reads an outer column).
SELECT r.userId, r.movieId, (SELECT max(r2.rating) - r.rating FROM raw_ratings r2 WHERE r2.userId = r.userId AND r2.timestamp <= r.timestamp) AS below_best FROM raw_ratings r WHERE r.userId <= 15

-- Best combined score with an earlier rating (outer column inside the aggregate).
SELECT r.userId, r.movieId, (SELECT max(r2.rating + r.rating) FROM raw_ratings r2 WHERE r2.userId = r.userId AND r2.timestamp < r.timestamp) AS best_pair FROM raw_ratings r WHERE r.userId BETWEEN 16 AND 24

-- Time until the user's next rating.
SELECT r.userId, r.movieId, (SELECT min(r2.timestamp) FROM raw_ratings r2 WHERE r2.userId = r.userId AND r2.timestamp > r.timestamp) - r.timestamp AS wait FROM raw_ratings r WHERE r.userId <= 12

-- Rating count and average of the movie next to each rating.
SELECT r.userId, r.movieId, r.rating, (SELECT count(*) FROM raw_ratings r2 WHERE r2.movieId = r.movieId) AS movie_n, (SELECT avg(r3.rating) FROM raw_ratings r3 WHERE r3.movieId = r.movieId) AS movie_avg FROM raw_ratings r WHERE r.userId <= 8

-- Users who rated a movie and tagged it later.
SELECT r.userId, r.movieId FROM raw_ratings r WHERE EXISTS (SELECT 1 FROM raw_tags t WHERE t.userId = r.userId AND t.movieId = r.movieId AND t.timestamp > r.timestamp)

-- Movies that none of the first 100 users rated 4.5 or more.
SELECT m.movieId, m.title FROM raw_movies m WHERE NOT EXISTS (SELECT 1 FROM raw_ratings r WHERE r.movieId = m.movieId AND r.rating >= 4.5 AND r.userId <= 100)

-- Movies that no early user rated below 2.
SELECT m.movieId FROM raw_movies m WHERE NOT EXISTS (SELECT 1 FROM raw_ratings r WHERE r.movieId = m.movieId AND r.rating < 2 AND r.userId <= 200)

-- A user's first ratings (nothing earlier; timestamp ties count as first).
SELECT r.userId, r.movieId, r.timestamp FROM raw_ratings r WHERE NOT EXISTS (SELECT 1 FROM raw_ratings r2 WHERE r2.userId = r.userId AND r2.timestamp < r.timestamp)

-- Ratings of movies the same user also tagged.
SELECT r.userId, r.movieId, r.rating FROM raw_ratings r WHERE r.movieId IN (SELECT t.movieId FROM raw_tags t WHERE t.userId = r.userId)

-- Ratings of movies the same user did not tag.
SELECT count(*), avg(r.rating) FROM raw_ratings r WHERE NOT EXISTS (SELECT 1 FROM raw_tags t WHERE t.userId = r.userId AND t.movieId = r.movieId)

-- Users whose ratings count exceeds the average (an uncorrelated scalar).
SELECT userId, count(*) AS n FROM raw_ratings GROUP BY userId HAVING count(*) > (SELECT avg(c) FROM (SELECT count(*) AS c FROM raw_ratings GROUP BY userId) x)

-- Movies rated above the global average.
SELECT movieId, avg(rating) AS a FROM raw_ratings GROUP BY movieId HAVING avg(rating) > (SELECT avg(rating) FROM raw_ratings)

-- A movie's average against the average of movies sharing its genres.
WITH ma AS (SELECT m.movieId, m.genres, avg(r.rating) AS a FROM raw_movies m JOIN raw_ratings r ON r.movieId = m.movieId GROUP BY m.movieId, m.genres) SELECT ma.movieId, ma.genres, ma.a FROM ma WHERE ma.a > (SELECT avg(x.a) FROM ma x WHERE x.genres = ma.genres)

-- Rank by a correlated count: movies with a better average.
WITH a AS (SELECT movieId, avg(rating) AS av FROM raw_ratings GROUP BY movieId) SELECT a.movieId, a.av, 1 + (SELECT count(*) FROM a a2 WHERE a2.av > a.av) AS rk FROM a

-- The correlated rank agrees with RANK().
WITH a AS (SELECT movieId, avg(rating) AS av FROM raw_ratings GROUP BY movieId), c AS (SELECT a.movieId, 1 + (SELECT count(*) FROM a a2 WHERE a2.av > a.av) AS rk FROM a), w AS (SELECT movieId, RANK() OVER (ORDER BY av DESC) AS rk FROM a) SELECT count(*) FROM c JOIN w ON w.movieId = c.movieId WHERE c.rk = w.rk

-- Genome: tags more relevant than the movie's average relevance.
SELECT g.movieId, g.tagId, g.relevance FROM raw_genome_scores g WHERE g.movieId <= 30 AND g.relevance > 0.5 AND g.relevance > 4 * (SELECT avg(g2.relevance) FROM raw_genome_scores g2 WHERE g2.movieId = g.movieId)

-- Genome: each score's share of the tag's best.
SELECT g.movieId, g.tagId, g.relevance / (SELECT max(g2.relevance) FROM raw_genome_scores g2 WHERE g2.tagId = g.tagId) AS share FROM raw_genome_scores g WHERE g.tagId <= 5

-- Ratings given after the user's first five-star rating.
SELECT r.userId, count(*) AS n FROM raw_ratings r WHERE r.timestamp > (SELECT min(r2.timestamp) FROM raw_ratings r2 WHERE r2.userId = r.userId AND r2.rating = 5) GROUP BY r.userId

-- Users who rated a movie in its first year of ratings.
SELECT DISTINCT r.userId FROM raw_ratings r WHERE r.movieId <= 50 AND r.timestamp < 31536000 + (SELECT min(r2.timestamp) FROM raw_ratings r2 WHERE r2.movieId = r.movieId)

-- Higher-rated movies among those the same user rated earlier.
SELECT r.userId, r.movieId, (SELECT count(*) FROM raw_ratings r2 WHERE r2.userId = r.userId AND r2.timestamp < r.timestamp AND r2.rating > r.rating) AS better_before FROM raw_ratings r WHERE r.userId BETWEEN 100 AND 105

-- Average of the user's earlier ratings.
SELECT r.userId, r.movieId, (SELECT avg(r2.rating) FROM raw_ratings r2 WHERE r2.userId = r.userId AND r2.timestamp < r.timestamp) AS prior_avg FROM raw_ratings r WHERE r.userId <= 6

-- Sum of the user's ratings within a day before each one.
SELECT r.userId, r.movieId, (SELECT sum(r2.rating) FROM raw_ratings r2 WHERE r2.userId = r.userId AND r2.timestamp BETWEEN r.timestamp - 86400 AND r.timestamp) AS day_sum FROM raw_ratings r WHERE r.userId <= 25

-- The correlated day sum agrees with a RANGE window.
WITH c AS (SELECT r.userId, r.movieId, (SELECT sum(r2.rating) FROM raw_ratings r2 WHERE r2.userId = r.userId AND r2.timestamp BETWEEN r.timestamp - 86400 AND r.timestamp) AS s FROM raw_ratings r WHERE r.userId <= 80), w AS (SELECT userId, movieId, SUM(rating) OVER (PARTITION BY userId ORDER BY timestamp RANGE BETWEEN 86400 PRECEDING AND CURRENT ROW) AS s FROM raw_ratings WHERE userId <= 80) SELECT count(*), count_if(c.s = w.s) FROM c JOIN w ON w.userId = c.userId AND w.movieId = c.movieId

-- Movies with more ratings than the movie before them.
SELECT m.movieId, (SELECT count(*) FROM raw_ratings r WHERE r.movieId = m.movieId) AS n FROM raw_movies m WHERE (SELECT count(*) FROM raw_ratings r WHERE r.movieId = m.movieId) > (SELECT count(*) FROM raw_ratings r WHERE r.movieId = m.movieId - 1)

-- Tags with their movie's rating count (zero when unrated).
SELECT t.userId, t.movieId, t.tag, (SELECT count(*) FROM raw_ratings r WHERE r.movieId = t.movieId AND r.rating >= 4) AS good FROM raw_tags t WHERE t.userId <= 20

-- Movies with no ratings at all get a zero count and a NULL average.
SELECT m.movieId, (SELECT count(*) FROM raw_ratings r WHERE r.movieId = m.movieId AND r.userId = 1) AS by_user1, (SELECT avg(r.rating) FROM raw_ratings r WHERE r.movieId = m.movieId AND r.userId = 1) AS avg1 FROM raw_movies m

-- Ratings by users who gave the movie a tag.
SELECT r.movieId, count(*) AS n, avg(r.rating) AS a FROM raw_ratings r WHERE EXISTS (SELECT 1 FROM raw_tags t WHERE t.movieId = r.movieId AND t.userId = r.userId) GROUP BY r.movieId

-- Movies tagged by someone who rated them low.
SELECT m.movieId, m.title FROM raw_movies m WHERE EXISTS (SELECT 1 FROM raw_tags t JOIN raw_ratings r ON r.userId = t.userId AND r.movieId = t.movieId WHERE t.movieId = m.movieId AND r.rating <= 2)

-- Users with no rating in 2019.
SELECT count(*) FROM (SELECT DISTINCT userId FROM raw_ratings) u WHERE NOT EXISTS (SELECT 1 FROM raw_ratings r WHERE r.userId = u.userId AND r.timestamp >= 1546300800 AND r.timestamp < 1577836800)

-- Users with a rating before 2000 and another since 2003.
SELECT u.userId FROM (SELECT DISTINCT userId FROM raw_ratings) u WHERE EXISTS (SELECT 1 FROM raw_ratings r WHERE r.userId = u.userId AND r.timestamp < 946684800) AND EXISTS (SELECT 1 FROM raw_ratings r WHERE r.userId = u.userId AND r.timestamp >= 1041379200)

-- Movies whose every rating by the first 100 users is at least 3 (NOT EXISTS).
SELECT m.movieId FROM raw_movies m WHERE EXISTS (SELECT 1 FROM raw_ratings r WHERE r.movieId = m.movieId AND r.userId <= 100) AND NOT EXISTS (SELECT 1 FROM raw_ratings r WHERE r.movieId = m.movieId AND r.userId <= 100 AND r.rating < 3)

-- Links of movies that have a genome profile.
SELECT l.movieId, l.imdbId, l.tmdbId FROM raw_links l WHERE EXISTS (SELECT 1 FROM raw_genome_scores g WHERE g.movieId = l.movieId AND g.relevance > 0.9)

-- Ratings later than any tag by the user on that movie.
SELECT count(*) FROM raw_ratings r WHERE r.timestamp > (SELECT max(t.timestamp) FROM raw_tags t WHERE t.userId = r.userId AND t.movieId = r.movieId)

-- A user's ratings compared with the average of their earlier ten-day window.
SELECT r.userId, r.movieId, r.rating - (SELECT avg(r2.rating) FROM raw_ratings r2 WHERE r2.userId = r.userId AND r2.timestamp < r.timestamp AND r2.timestamp >= r.timestamp - 864000) AS vs_recent FROM raw_ratings r WHERE r.userId <= 30

-- Movies with more tags than ratings from the first 50 users.
SELECT m.movieId, (SELECT count(*) FROM raw_tags t WHERE t.movieId = m.movieId) AS tags, (SELECT count(*) FROM raw_ratings r WHERE r.movieId = m.movieId AND r.userId <= 50) AS ratings FROM raw_movies m WHERE (SELECT count(*) FROM raw_tags t WHERE t.movieId = m.movieId) > (SELECT count(*) FROM raw_ratings r WHERE r.movieId = m.movieId AND r.userId <= 50)

-- Users more active than the user before them.
WITH u AS (SELECT userId, count(*) AS n FROM raw_ratings GROUP BY userId) SELECT u.userId, u.n FROM u WHERE u.n > (SELECT max(u2.n) FROM u u2 WHERE u2.userId < u.userId AND u2.userId >= u.userId - 3)

-- Movies rated by more users than some movie with a higher id (inequality with EXISTS).
WITH p AS (SELECT movieId, count(*) AS n FROM raw_ratings GROUP BY movieId) SELECT p.movieId FROM p WHERE EXISTS (SELECT 1 FROM p q WHERE q.movieId > p.movieId AND q.n < p.n - 900)

-- Movies whose rating count exceeds every movie with a larger id.
WITH p AS (SELECT movieId, count(*) AS n FROM raw_ratings GROUP BY movieId) SELECT p.movieId, p.n FROM p WHERE NOT EXISTS (SELECT 1 FROM p q WHERE q.movieId > p.movieId AND q.n >= p.n)

-- Number of distinct users who rated the same movie earlier.
SELECT r.userId, r.movieId, (SELECT count(DISTINCT r2.userId) FROM raw_ratings r2 WHERE r2.movieId = r.movieId AND r2.timestamp < r.timestamp) AS before_me FROM raw_ratings r WHERE r.userId <= 5

-- The share of each user's ratings that are fives.
SELECT u.userId, (SELECT count(*) FROM raw_ratings r WHERE r.userId = u.userId AND r.rating = 5) / (SELECT count(*) FROM raw_ratings r WHERE r.userId = u.userId) AS five_share FROM (SELECT DISTINCT userId FROM raw_ratings) u

-- Ratings in the same week as a tag by the same user.
SELECT r.userId, r.movieId FROM raw_ratings r WHERE r.userId <= 300 AND EXISTS (SELECT 1 FROM raw_tags t WHERE t.userId = r.userId AND t.timestamp BETWEEN r.timestamp - 604800 AND r.timestamp + 604800)

-- Movies above their genre's median, with IN over a correlated subquery.
SELECT m.movieId, m.title FROM raw_movies m WHERE m.movieId IN (SELECT r.movieId FROM raw_ratings r WHERE r.movieId = m.movieId AND r.rating = 0.5 AND r.userId <= 400)

-- The highest rating the user gave a movie from the same genres.
SELECT r.userId, r.movieId, (SELECT max(r2.rating) FROM raw_ratings r2 JOIN raw_movies m2 ON m2.movieId = r2.movieId WHERE r2.userId = r.userId AND m2.genres = m.genres) AS best_same_genres FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId WHERE r.userId <= 10

-- Users whose latest rating is a five.
SELECT DISTINCT r.userId FROM raw_ratings r WHERE r.rating = 5 AND r.timestamp = (SELECT max(r2.timestamp) FROM raw_ratings r2 WHERE r2.userId = r.userId)

-- ===== 4. Mixed: CTEs, windows and aggregates =====

-- Top movie per genre (200+ ratings), by average rating.
WITH g AS (SELECT m.movieId, f.value AS genre FROM raw_movies m, LATERAL FLATTEN(input => split(m.genres, '|')) f), s AS (SELECT g.genre, g.movieId, avg(r.rating) AS a, count(*) AS n FROM g JOIN raw_ratings r ON r.movieId = g.movieId GROUP BY g.genre, g.movieId HAVING count(*) >= 200) SELECT genre, movieId, a, n FROM s QUALIFY ROW_NUMBER() OVER (PARTITION BY genre ORDER BY a DESC, movieId) = 1 ORDER BY genre
-- duckdb: WITH g AS (SELECT movieId, unnest(string_split(genres, '|')) AS genre FROM raw_movies), s AS (SELECT g.genre, g.movieId, avg(r.rating) AS a, count(*) AS n FROM g JOIN raw_ratings r ON r.movieId = g.movieId GROUP BY g.genre, g.movieId HAVING count(*) >= 200) SELECT genre, movieId, a, n FROM s QUALIFY ROW_NUMBER() OVER (PARTITION BY genre ORDER BY a DESC, movieId) = 1 ORDER BY genre

-- Top three titles per genre by rating count.
WITH g AS (SELECT m.movieId, m.title, f.value AS genre FROM raw_movies m, LATERAL FLATTEN(input => split(m.genres, '|')) f), c AS (SELECT movieId, count(*) AS n FROM raw_ratings GROUP BY movieId) SELECT g.genre, g.title, c.n, RANK() OVER (PARTITION BY g.genre ORDER BY c.n DESC) AS rk FROM g JOIN c ON c.movieId = g.movieId QUALIFY ROW_NUMBER() OVER (PARTITION BY g.genre ORDER BY c.n DESC, g.movieId) <= 3 ORDER BY g.genre, c.n DESC, g.title
-- duckdb: WITH g AS (SELECT movieId, title, unnest(string_split(genres, '|')) AS genre FROM raw_movies), c AS (SELECT movieId, count(*) AS n FROM raw_ratings GROUP BY movieId) SELECT g.genre, g.title, c.n, RANK() OVER (PARTITION BY g.genre ORDER BY c.n DESC) AS rk FROM g JOIN c ON c.movieId = g.movieId QUALIFY ROW_NUMBER() OVER (PARTITION BY g.genre ORDER BY c.n DESC, g.movieId) <= 3 ORDER BY g.genre, c.n DESC, g.title

-- Year over year change in ratings and average.
WITH y AS (SELECT year(to_timestamp(timestamp)) AS yr, count(*) AS n, avg(rating) AS a FROM raw_ratings GROUP BY yr) SELECT yr, n, n - LAG(n) OVER (ORDER BY yr) AS dn, a - LAG(a) OVER (ORDER BY yr) AS da, n / LAG(n) OVER (ORDER BY yr) - 1 AS growth FROM y ORDER BY yr

-- Year over year, computed straight over the aggregate.
SELECT year(to_timestamp(timestamp)) AS yr, count(DISTINCT userId) AS users, count(DISTINCT userId) - LAG(count(DISTINCT userId), 1, 0) OVER (ORDER BY year(to_timestamp(timestamp))) AS delta FROM raw_ratings GROUP BY year(to_timestamp(timestamp)) ORDER BY yr

-- Running total of ratings by year, and its share.
WITH y AS (SELECT year(to_timestamp(timestamp)) AS yr, count(*) AS n FROM raw_ratings GROUP BY yr) SELECT yr, n, SUM(n) OVER (ORDER BY yr) AS running, SUM(n) OVER (ORDER BY yr) / SUM(n) OVER () AS running_share FROM y ORDER BY yr

-- Three-year moving average of yearly ratings.
WITH y AS (SELECT year(to_timestamp(timestamp)) AS yr, count(*) AS n, avg(rating) AS a FROM raw_ratings GROUP BY yr) SELECT yr, AVG(n) OVER (ORDER BY yr ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS n_ma3, AVG(a) OVER (ORDER BY yr ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS a_ma3 FROM y ORDER BY yr

-- Monthly ratings with the best month of each year.
WITH mth AS (SELECT year(to_timestamp(timestamp)) AS yr, month(to_timestamp(timestamp)) AS mo, count(*) AS n FROM raw_ratings GROUP BY yr, mo) SELECT yr, mo, n, n / SUM(n) OVER (PARTITION BY yr) AS share_of_year FROM mth QUALIFY ROW_NUMBER() OVER (PARTITION BY yr ORDER BY n DESC, mo) = 1 ORDER BY yr

-- Percent of total ratings per genre.
WITH g AS (SELECT f.value AS genre, r.rating FROM raw_movies m, LATERAL FLATTEN(input => split(m.genres, '|')) f JOIN raw_ratings r ON r.movieId = m.movieId) SELECT genre, count(*) AS n, count(*) / SUM(count(*)) OVER () AS pct, avg(rating) AS a FROM g GROUP BY genre ORDER BY n DESC, genre
-- duckdb: WITH g AS (SELECT x.genre, r.rating FROM (SELECT movieId, unnest(string_split(genres, '|')) AS genre FROM raw_movies) x JOIN raw_ratings r ON r.movieId = x.movieId) SELECT genre, count(*) AS n, count(*) / SUM(count(*)) OVER () AS pct, avg(rating) AS a FROM g GROUP BY genre ORDER BY n DESC, genre

-- Genre share within each year.
WITH g AS (SELECT year(to_timestamp(r.timestamp)) AS yr, f.value AS genre FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId, LATERAL FLATTEN(input => split(m.genres, '|')) f) SELECT yr, genre, count(*) AS n, count(*) / SUM(count(*)) OVER (PARTITION BY yr) AS share, RANK() OVER (PARTITION BY yr ORDER BY count(*) DESC) AS rk FROM g GROUP BY yr, genre ORDER BY yr, genre
-- duckdb: WITH g AS (SELECT year(to_timestamp(r.timestamp)) AS yr, x.genre FROM raw_ratings r JOIN (SELECT movieId, unnest(string_split(genres, '|')) AS genre FROM raw_movies) x ON x.movieId = r.movieId) SELECT yr, genre, count(*) AS n, count(*) / SUM(count(*)) OVER (PARTITION BY yr) AS share, RANK() OVER (PARTITION BY yr ORDER BY count(*) DESC) AS rk FROM g GROUP BY yr, genre ORDER BY yr, genre

-- Genre ratings year over year.
WITH g AS (SELECT year(to_timestamp(r.timestamp)) AS yr, f.value AS genre, r.rating FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId, LATERAL FLATTEN(input => split(m.genres, '|')) f), gy AS (SELECT genre, yr, count(*) AS n, avg(rating) AS a FROM g GROUP BY genre, yr) SELECT genre, yr, n, n - LAG(n) OVER (PARTITION BY genre ORDER BY yr) AS dn, a - LAG(a) OVER (PARTITION BY genre ORDER BY yr) AS da FROM gy WHERE genre IN ('Drama', 'Comedy', 'Horror') ORDER BY genre, yr
-- duckdb: WITH g AS (SELECT year(to_timestamp(r.timestamp)) AS yr, x.genre, r.rating FROM raw_ratings r JOIN (SELECT movieId, unnest(string_split(genres, '|')) AS genre FROM raw_movies) x ON x.movieId = r.movieId), gy AS (SELECT genre, yr, count(*) AS n, avg(rating) AS a FROM g GROUP BY genre, yr) SELECT genre, yr, n, n - LAG(n) OVER (PARTITION BY genre ORDER BY yr) AS dn, a - LAG(a) OVER (PARTITION BY genre ORDER BY yr) AS da FROM gy WHERE genre IN ('Drama', 'Comedy', 'Horror') ORDER BY genre, yr

-- User cohorts by the year of their first rating.
WITH firsts AS (SELECT userId, min(timestamp) AS first_ts FROM raw_ratings GROUP BY userId) SELECT year(to_timestamp(first_ts)) AS cohort, count(*) AS users, SUM(count(*)) OVER (ORDER BY year(to_timestamp(first_ts))) AS cumulative_users FROM firsts GROUP BY year(to_timestamp(first_ts)) ORDER BY cohort

-- Cohort activity: ratings per year since the first year.
WITH f AS (SELECT userId, year(to_timestamp(min(timestamp))) AS cohort FROM raw_ratings GROUP BY userId), a AS (SELECT f.cohort, year(to_timestamp(r.timestamp)) - f.cohort AS age, count(*) AS n, count(DISTINCT r.userId) AS active FROM raw_ratings r JOIN f ON f.userId = r.userId GROUP BY f.cohort, age) SELECT cohort, age, n, active, active / FIRST_VALUE(active) OVER (PARTITION BY cohort ORDER BY age) AS retention FROM a WHERE cohort <= 2000 ORDER BY cohort, age

-- Each user's ratings against the movie's average (windows on two partitions).
WITH r AS (SELECT userId, movieId, rating, AVG(rating) OVER (PARTITION BY movieId) AS movie_avg FROM raw_ratings) SELECT userId, count(*) AS n, avg(rating - movie_avg) AS bias, stddev_samp(rating - movie_avg) AS spread FROM r GROUP BY userId

-- Harsh critics: users whose average bias is in the bottom decile.
WITH r AS (SELECT userId, rating - AVG(rating) OVER (PARTITION BY movieId) AS d FROM raw_ratings), u AS (SELECT userId, avg(d) AS bias FROM r GROUP BY userId) SELECT userId, bias FROM u QUALIFY NTILE(10) OVER (ORDER BY bias, userId) = 1 ORDER BY userId

-- Movies in their genre's top decile by average.
WITH g AS (SELECT m.movieId, f.value AS genre FROM raw_movies m, LATERAL FLATTEN(input => split(m.genres, '|')) f), a AS (SELECT movieId, avg(rating) AS av FROM raw_ratings GROUP BY movieId) SELECT g.genre, g.movieId, a.av, NTILE(10) OVER (PARTITION BY g.genre ORDER BY a.av DESC, g.movieId) AS decile FROM g JOIN a ON a.movieId = g.movieId QUALIFY decile = 1 ORDER BY g.genre, g.movieId
-- duckdb: WITH g AS (SELECT movieId, unnest(string_split(genres, '|')) AS genre FROM raw_movies), a AS (SELECT movieId, avg(rating) AS av FROM raw_ratings GROUP BY movieId) SELECT g.genre, g.movieId, a.av, NTILE(10) OVER (PARTITION BY g.genre ORDER BY a.av DESC, g.movieId) AS decile FROM g JOIN a ON a.movieId = g.movieId QUALIFY decile = 1 ORDER BY g.genre, g.movieId

-- Release decade statistics with a window over the decades.
WITH m AS (SELECT movieId, CAST(substr(regexp_substr(trim(title), '[(][0-9]{4}[)]$'), 2, 4) AS INTEGER) AS yr FROM raw_movies), d AS (SELECT floor(m.yr / 10) * 10 AS decade, count(DISTINCT m.movieId) AS movies, count(*) AS ratings, avg(r.rating) AS a FROM m JOIN raw_ratings r ON r.movieId = m.movieId WHERE m.yr IS NOT NULL GROUP BY decade) SELECT decade, movies, ratings, a, ratings / SUM(ratings) OVER () AS share, a - LAG(a) OVER (ORDER BY decade) AS da FROM d ORDER BY decade
-- duckdb: WITH m AS (SELECT movieId, CAST(NULLIF(regexp_extract(trim(title), '[(]([0-9]{4})[)]$', 1), '') AS INTEGER) AS yr FROM raw_movies), d AS (SELECT floor(m.yr / 10) * 10 AS decade, count(DISTINCT m.movieId) AS movies, count(*) AS ratings, avg(r.rating) AS a FROM m JOIN raw_ratings r ON r.movieId = m.movieId WHERE m.yr IS NOT NULL GROUP BY decade) SELECT decade, movies, ratings, a, ratings / SUM(ratings) OVER () AS share, a - LAG(a) OVER (ORDER BY decade) AS da FROM d ORDER BY decade

-- Best movie of each release year.
WITH m AS (SELECT movieId, title, CAST(substr(regexp_substr(trim(title), '[(][0-9]{4}[)]$'), 2, 4) AS INTEGER) AS yr FROM raw_movies), a AS (SELECT movieId, avg(rating) AS av, count(*) AS n FROM raw_ratings GROUP BY movieId) SELECT m.yr, m.title, a.av FROM m JOIN a ON a.movieId = m.movieId WHERE m.yr IS NOT NULL QUALIFY ROW_NUMBER() OVER (PARTITION BY m.yr ORDER BY a.av DESC, m.movieId) = 1 ORDER BY m.yr
-- duckdb: WITH m AS (SELECT movieId, title, CAST(NULLIF(regexp_extract(trim(title), '[(]([0-9]{4})[)]$', 1), '') AS INTEGER) AS yr FROM raw_movies), a AS (SELECT movieId, avg(rating) AS av, count(*) AS n FROM raw_ratings GROUP BY movieId) SELECT m.yr, m.title, a.av FROM m JOIN a ON a.movieId = m.movieId WHERE m.yr IS NOT NULL QUALIFY ROW_NUMBER() OVER (PARTITION BY m.yr ORDER BY a.av DESC, m.movieId) = 1 ORDER BY m.yr

-- Most tagged movies, ranked, with titles.
WITH t AS (SELECT movieId, count(*) AS n, count(DISTINCT userId) AS taggers FROM raw_tags GROUP BY movieId) SELECT m.title, t.n, t.taggers, DENSE_RANK() OVER (ORDER BY t.n DESC) AS rk FROM t JOIN raw_movies m ON m.movieId = t.movieId ORDER BY t.n DESC, m.movieId LIMIT 25

-- Most used tags with their share and running share.
WITH t AS (SELECT lower(tag) AS tag, count(*) AS n FROM raw_tags GROUP BY lower(tag)) SELECT tag, n, n / SUM(n) OVER () AS share, SUM(n) OVER (ORDER BY n DESC, tag ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running FROM t ORDER BY n DESC, tag LIMIT 40

-- Taggers: how many tags, on how many movies, and a median rating of what they tagged.
WITH tg AS (SELECT DISTINCT userId, movieId FROM raw_tags) SELECT tg.userId, count(*) AS tagged_movies, median(r.rating) AS med_rating, avg(r.rating) AS avg_rating, count(r.rating) AS rated FROM tg LEFT JOIN raw_ratings r ON r.userId = tg.userId AND r.movieId = tg.movieId GROUP BY tg.userId

-- Genome: the best tag per movie with its name and the runner-up gap.
WITH s AS (SELECT g.movieId, t.tag, g.relevance, ROW_NUMBER() OVER (PARTITION BY g.movieId ORDER BY g.relevance DESC, g.tagId) AS rn, LEAD(g.relevance) OVER (PARTITION BY g.movieId ORDER BY g.relevance DESC, g.tagId) AS next_rel FROM raw_genome_scores g JOIN raw_genome_tags t ON t.tagId = g.tagId) SELECT movieId, tag, relevance, relevance - next_rel AS gap FROM s WHERE rn = 1 ORDER BY movieId

-- Genome: tags relevant to many movies, with a percentile of their average.
WITH t AS (SELECT tagId, count_if(relevance > 0.5) AS strong, avg(relevance) AS a FROM raw_genome_scores GROUP BY tagId) SELECT gt.tag, t.strong, CUME_DIST() OVER (ORDER BY t.strong) AS cd FROM t JOIN raw_genome_tags gt ON gt.tagId = t.tagId WHERE t.strong >= 3 ORDER BY t.strong DESC, gt.tag

-- Genome relevance of a movie's top tags against its average rating.
WITH best AS (SELECT movieId, max(relevance) AS top_rel FROM raw_genome_scores GROUP BY movieId), a AS (SELECT movieId, avg(rating) AS av FROM raw_ratings GROUP BY movieId) SELECT corr(best.top_rel, a.av), count(*) FROM best JOIN a ON a.movieId = best.movieId

-- Links: movies with their tmdb id and their rank by popularity.
SELECT l.movieId, l.tmdbId, count(r.rating) AS n, RANK() OVER (ORDER BY count(r.rating) DESC) AS rk FROM raw_links l LEFT JOIN raw_ratings r ON r.movieId = l.movieId GROUP BY l.movieId, l.tmdbId ORDER BY rk, l.movieId LIMIT 30

-- Users' favourite genre (most ratings, ties to the first name).
WITH ug AS (SELECT r.userId, f.value AS genre, count(*) AS n FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId, LATERAL FLATTEN(input => split(m.genres, '|')) f WHERE r.userId <= 200 GROUP BY r.userId, f.value) SELECT userId, genre, n FROM ug QUALIFY ROW_NUMBER() OVER (PARTITION BY userId ORDER BY n DESC, genre) = 1 ORDER BY userId
-- duckdb: WITH ug AS (SELECT r.userId, x.genre, count(*) AS n FROM raw_ratings r JOIN (SELECT movieId, unnest(string_split(genres, '|')) AS genre FROM raw_movies) x ON x.movieId = r.movieId WHERE r.userId <= 200 GROUP BY r.userId, x.genre) SELECT userId, genre, n FROM ug QUALIFY ROW_NUMBER() OVER (PARTITION BY userId ORDER BY n DESC, genre) = 1 ORDER BY userId

-- Each user's genre profile as a share of their ratings.
WITH ug AS (SELECT r.userId, f.value AS genre, count(*) AS n FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId, LATERAL FLATTEN(input => split(m.genres, '|')) f WHERE r.userId <= 30 GROUP BY r.userId, f.value) SELECT userId, genre, n, n / SUM(n) OVER (PARTITION BY userId) AS share FROM ug
-- duckdb: WITH ug AS (SELECT r.userId, x.genre, count(*) AS n FROM raw_ratings r JOIN (SELECT movieId, unnest(string_split(genres, '|')) AS genre FROM raw_movies) x ON x.movieId = r.movieId WHERE r.userId <= 30 GROUP BY r.userId, x.genre) SELECT userId, genre, n, n / SUM(n) OVER (PARTITION BY userId) AS share FROM ug

-- Monthly active users and their month-over-month change.
WITH mau AS (SELECT date_trunc('month', to_timestamp(timestamp)) AS mo, count(DISTINCT userId) AS users FROM raw_ratings WHERE timestamp >= 1420070400 GROUP BY mo) SELECT mo, users, users - LAG(users) OVER (ORDER BY mo) AS change FROM mau ORDER BY mo

-- Daily ratings: busiest days with a 7-day window of the days before.
WITH d AS (SELECT to_date(to_timestamp(timestamp)) AS day, count(*) AS n FROM raw_ratings GROUP BY day) SELECT day, n, SUM(n) OVER (ORDER BY day ROWS BETWEEN 7 PRECEDING AND 1 PRECEDING) AS prev7 FROM d ORDER BY n DESC, day LIMIT 20
-- duckdb: WITH d AS (SELECT CAST(to_timestamp(timestamp) AS DATE) AS day, count(*) AS n FROM raw_ratings GROUP BY day) SELECT day, n, SUM(n) OVER (ORDER BY day ROWS BETWEEN 7 PRECEDING AND 1 PRECEDING) AS prev7 FROM d ORDER BY n DESC, day LIMIT 20

-- Ratings by hour of day with share and rank.
SELECT hour(to_timestamp(timestamp)) AS h, count(*) AS n, count(*) / SUM(count(*)) OVER () AS share, RANK() OVER (ORDER BY count(*) DESC) AS rk FROM raw_ratings GROUP BY h ORDER BY h

-- Day of week profile.
SELECT date_part('dow', to_timestamp(timestamp)) AS dow, count(*) AS n, avg(rating) AS a, median(rating) AS med FROM raw_ratings GROUP BY dow ORDER BY dow

-- Users' rating velocity: ratings in their busiest 30 days.
WITH w AS (SELECT userId, COUNT(*) OVER (PARTITION BY userId ORDER BY timestamp RANGE BETWEEN 2592000 PRECEDING AND CURRENT ROW) AS n30 FROM raw_ratings) SELECT userId, max(n30) AS busiest_30d FROM w GROUP BY userId ORDER BY userId

-- Movies' first-week ratings against the rest.
WITH r AS (SELECT movieId, rating, timestamp - MIN(timestamp) OVER (PARTITION BY movieId) AS since_first FROM raw_ratings) SELECT movieId, avg(rating) FILTER (WHERE since_first < 31536000) AS first_year, avg(rating) FILTER (WHERE since_first >= 31536000) AS later, count(*) AS n FROM r GROUP BY movieId

-- Hype decay: a movie's average in its first 20 ratings vs the rest.
WITH r AS (SELECT movieId, rating, ROW_NUMBER() OVER (PARTITION BY movieId ORDER BY timestamp, userId) AS rn FROM raw_ratings) SELECT movieId, avg(CASE WHEN rn <= 20 THEN rating END) AS early, avg(CASE WHEN rn > 20 THEN rating END) AS late, avg(CASE WHEN rn <= 20 THEN rating END) - avg(CASE WHEN rn > 20 THEN rating END) AS decay FROM r GROUP BY movieId ORDER BY movieId

-- Users who rated the same movie as user 1, ranked by overlap and agreement.
WITH u1 AS (SELECT movieId, rating FROM raw_ratings WHERE userId = 1), o AS (SELECT r.userId, count(*) AS common, avg(abs(r.rating - u1.rating)) AS mad FROM raw_ratings r JOIN u1 ON u1.movieId = r.movieId WHERE r.userId <> 1 GROUP BY r.userId) SELECT userId, common, mad, RANK() OVER (ORDER BY common DESC) AS overlap_rank FROM o ORDER BY common DESC, mad, userId LIMIT 25

-- Pearson similarity of two users on shared movies.
WITH a AS (SELECT movieId, rating FROM raw_ratings WHERE userId = 1), b AS (SELECT userId, movieId, rating FROM raw_ratings WHERE userId BETWEEN 2 AND 60) SELECT b.userId, count(*) AS n, corr(a.rating, b.rating) AS sim FROM a JOIN b ON b.movieId = a.movieId GROUP BY b.userId HAVING count(*) >= 10 AND count(DISTINCT a.rating) > 1 AND count(DISTINCT b.rating) > 1

-- Movie pairs rated together most often by the first 40 users.
WITH r AS (SELECT userId, movieId FROM raw_ratings WHERE userId <= 40) SELECT a.movieId AS m1, b.movieId AS m2, count(*) AS together FROM r a JOIN r b ON a.userId = b.userId AND a.movieId < b.movieId GROUP BY a.movieId, b.movieId ORDER BY together DESC, m1, m2 LIMIT 30

-- A funnel: users by number of distinct rating years, with running share.
WITH u AS (SELECT userId, count(DISTINCT year(to_timestamp(timestamp))) AS years FROM raw_ratings GROUP BY userId) SELECT years, count(*) AS users, SUM(count(*)) OVER (ORDER BY years DESC) AS at_least, SUM(count(*)) OVER (ORDER BY years DESC) / SUM(count(*)) OVER () AS share_at_least FROM u GROUP BY years ORDER BY years

-- Rating value distribution per decile of user activity.
WITH u AS (SELECT userId, NTILE(5) OVER (ORDER BY count(*), userId) AS q FROM raw_ratings GROUP BY userId) SELECT u.q, r.rating, count(*) AS n, count(*) / SUM(count(*)) OVER (PARTITION BY u.q) AS share FROM raw_ratings r JOIN u ON u.userId = r.userId GROUP BY u.q, r.rating ORDER BY u.q, r.rating

-- Rollup of genre and rating band with a percent of the genre total.
WITH g AS (SELECT f.value AS genre, CASE WHEN r.rating >= 4 THEN 'high' WHEN r.rating >= 2.5 THEN 'mid' ELSE 'low' END AS band FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId, LATERAL FLATTEN(input => split(m.genres, '|')) f), c AS (SELECT genre, band, count(*) AS n FROM g GROUP BY ROLLUP (genre, band)) SELECT genre, band, n, n / MAX(n) OVER (PARTITION BY genre) AS of_genre FROM c WHERE genre IS NOT NULL
-- duckdb: WITH g AS (SELECT x.genre, CASE WHEN r.rating >= 4 THEN 'high' WHEN r.rating >= 2.5 THEN 'mid' ELSE 'low' END AS band FROM raw_ratings r JOIN (SELECT movieId, unnest(string_split(genres, '|')) AS genre FROM raw_movies) x ON x.movieId = r.movieId), c AS (SELECT genre, band, count(*) AS n FROM g GROUP BY ROLLUP (genre, band)) SELECT genre, band, n, n / MAX(n) OVER (PARTITION BY genre) AS of_genre FROM c WHERE genre IS NOT NULL

-- Windows over a GROUPING SETS result.
SELECT year(to_timestamp(timestamp)) AS yr, rating >= 4 AS good, count(*) AS n, RANK() OVER (PARTITION BY GROUPING(year(to_timestamp(timestamp)), rating >= 4) ORDER BY count(*) DESC) AS rk FROM raw_ratings GROUP BY GROUPING SETS ((year(to_timestamp(timestamp))), (rating >= 4), ()) ORDER BY GROUPING(year(to_timestamp(timestamp)), rating >= 4), rk, yr, good

-- Median time between a user's ratings.
WITH g AS (SELECT userId, timestamp - LAG(timestamp) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS gap FROM raw_ratings WHERE userId <= 400) SELECT userId, median(gap) AS med_gap, PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY gap) AS p90_gap FROM g GROUP BY userId ORDER BY userId

-- Change between consecutive ratings: how often users move up or down.
WITH d AS (SELECT userId, rating - LAG(rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS delta FROM raw_ratings) SELECT userId, count_if(delta > 0) AS ups, count_if(delta < 0) AS downs, count_if(delta = 0) AS same, avg(abs(delta)) AS avg_move FROM d GROUP BY userId ORDER BY userId

-- Tags written before the user rated the movie.
WITH first_rating AS (SELECT userId, movieId, timestamp FROM raw_ratings) SELECT t.userId, count(*) AS tags, count_if(t.timestamp < f.timestamp) AS before_rating, count(f.timestamp) AS rated FROM raw_tags t LEFT JOIN first_rating f ON f.userId = t.userId AND f.movieId = t.movieId GROUP BY t.userId

-- A CTE read twice with a window in each use.
WITH u AS (SELECT userId, count(*) AS n, avg(rating) AS a FROM raw_ratings GROUP BY userId) SELECT x.userId, x.n, x.rk_n, y.rk_a FROM (SELECT userId, n, RANK() OVER (ORDER BY n DESC) AS rk_n FROM u) x JOIN (SELECT userId, RANK() OVER (ORDER BY a DESC) AS rk_a FROM u) y ON y.userId = x.userId WHERE x.rk_n <= 20 OR y.rk_a <= 20 ORDER BY x.userId

-- UNION ALL of two ranked lists.
SELECT 'popular' AS list, movieId, n FROM (SELECT movieId, count(*) AS n FROM raw_ratings GROUP BY movieId QUALIFY ROW_NUMBER() OVER (ORDER BY count(*) DESC, movieId) <= 5) p UNION ALL SELECT 'niche', movieId, n FROM (SELECT movieId, count(*) AS n FROM raw_ratings GROUP BY movieId QUALIFY ROW_NUMBER() OVER (ORDER BY count(*), movieId) <= 5) q ORDER BY list, n, movieId

-- A window over a UNION: combined activity of ratings and tags per user.
WITH e AS (SELECT userId, timestamp, 'rating' AS kind FROM raw_ratings WHERE userId <= 10 UNION ALL SELECT userId, timestamp, 'tag' FROM raw_tags WHERE userId <= 10) SELECT userId, kind, count(*) AS n, count(*) / SUM(count(*)) OVER (PARTITION BY userId) AS share FROM e GROUP BY userId, kind ORDER BY userId, kind

-- Users active in consecutive years (LEAD over distinct years).
-- COUNT_IF over only NULLs is 0 (Snowflake); DuckDB's is NULL, so its form counts with FILTER.
WITH y AS (SELECT DISTINCT userId, year(to_timestamp(timestamp)) AS yr FROM raw_ratings) SELECT userId, count(*) AS years, count_if(nxt = yr + 1) AS consecutive FROM (SELECT userId, yr, LEAD(yr) OVER (PARTITION BY userId ORDER BY yr) AS nxt FROM y) z GROUP BY userId ORDER BY userId
-- duckdb: WITH y AS (SELECT DISTINCT userId, year(to_timestamp(timestamp)) AS yr FROM raw_ratings) SELECT userId, count(*) AS years, count(*) FILTER (WHERE nxt = yr + 1) AS consecutive FROM (SELECT userId, yr, LEAD(yr) OVER (PARTITION BY userId ORDER BY yr) AS nxt FROM y) z GROUP BY userId ORDER BY userId

-- Each movie's rating count against the genre average (window over a join).
WITH c AS (SELECT m.movieId, m.genres, count(*) AS n FROM raw_movies m JOIN raw_ratings r ON r.movieId = m.movieId GROUP BY m.movieId, m.genres) SELECT movieId, genres, n, AVG(n) OVER (PARTITION BY genres) AS genre_avg, n - AVG(n) OVER (PARTITION BY genres) AS diff, COUNT(*) OVER (PARTITION BY genres) AS peers FROM c

-- Ratings of the 50 most popular movies, with the movie's rank.
WITH p AS (SELECT movieId, count(*) AS n, ROW_NUMBER() OVER (ORDER BY count(*) DESC, movieId) AS rk FROM raw_ratings GROUP BY movieId) SELECT p.rk, p.movieId, median(r.rating) AS med, PERCENTILE_CONT(0.1) WITHIN GROUP (ORDER BY r.rating) AS p10 FROM p JOIN raw_ratings r ON r.movieId = p.movieId WHERE p.rk <= 50 GROUP BY p.rk, p.movieId ORDER BY p.rk

-- A user's ratings as a percentile of the movie's ratings.
SELECT userId, movieId, rating, PERCENT_RANK() OVER (PARTITION BY movieId ORDER BY rating) AS pr FROM raw_ratings WHERE movieId IN (1, 2, 3) ORDER BY movieId, userId

-- Movies gaining ratings: ratings per year with a running count per movie.
WITH my AS (SELECT movieId, year(to_timestamp(timestamp)) AS yr, count(*) AS n FROM raw_ratings WHERE movieId <= 30 GROUP BY movieId, yr) SELECT movieId, yr, n, SUM(n) OVER (PARTITION BY movieId ORDER BY yr) AS cumulative, ROW_NUMBER() OVER (PARTITION BY movieId ORDER BY yr) AS nth_year FROM my ORDER BY movieId, yr

-- Each user's median rating and its rank among users.
WITH u AS (SELECT userId, median(rating) AS med, count(*) AS n FROM raw_ratings GROUP BY userId) SELECT userId, med, n, DENSE_RANK() OVER (ORDER BY med DESC) AS dr FROM u ORDER BY dr, userId LIMIT 100

-- Tag adoption: first use of every tag and its running count of users.
WITH f AS (SELECT lower(tag) AS tag, userId, min(timestamp) AS first_ts FROM raw_tags GROUP BY lower(tag), userId) SELECT tag, userId, ROW_NUMBER() OVER (PARTITION BY tag ORDER BY first_ts, userId) AS adopter_no FROM f WHERE tag IN ('funny', 'atmospheric', 'twist ending', 'dark comedy') ORDER BY tag, adopter_no

-- The year each movie reached half of its ratings.
WITH my AS (SELECT movieId, year(to_timestamp(timestamp)) AS yr, count(*) AS n FROM raw_ratings GROUP BY movieId, yr), c AS (SELECT movieId, yr, SUM(n) OVER (PARTITION BY movieId ORDER BY yr) AS cum, SUM(n) OVER (PARTITION BY movieId) AS total FROM my) SELECT movieId, min(yr) AS half_year FROM c WHERE cum * 2 >= total GROUP BY movieId ORDER BY movieId

-- ===== 5. Edges: NULLs, empty frames and groups, extreme fractions =====

-- Window ORDER BY on a key with NULLs, NULL placement spelled out.
SELECT userId, movieId, ROW_NUMBER() OVER (PARTITION BY userId ORDER BY CASE WHEN rating >= 4 THEN timestamp END DESC NULLS LAST, movieId) AS rn, RANK() OVER (PARTITION BY userId ORDER BY CASE WHEN rating >= 4 THEN rating END NULLS FIRST) AS rk FROM raw_ratings WHERE userId IN (2, 3) ORDER BY userId, rn

-- RANGE frame over a key with NULLs (NULLs are peers of each other).
SELECT userId, movieId, SUM(rating) OVER (PARTITION BY userId ORDER BY CASE WHEN rating >= 3 THEN timestamp END RANGE BETWEEN 2592000 PRECEDING AND CURRENT ROW) AS s, COUNT(*) OVER (PARTITION BY userId ORDER BY CASE WHEN rating >= 3 THEN timestamp END) AS c FROM raw_ratings WHERE userId IN (36, 37) ORDER BY userId, timestamp, movieId

-- CUME_DIST and PERCENT_RANK with NULL keys.
SELECT movieId, userId, CUME_DIST() OVER (PARTITION BY movieId ORDER BY CASE WHEN rating > 2 THEN rating END) AS cd, PERCENT_RANK() OVER (PARTITION BY movieId ORDER BY CASE WHEN rating > 2 THEN rating END) AS pr FROM raw_ratings WHERE movieId IN (10, 12) ORDER BY movieId, userId

-- NTILE with more buckets than rows.
SELECT userId, movieId, NTILE(500) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS t FROM raw_ratings WHERE userId IN (38, 39) ORDER BY userId, timestamp, movieId

-- A one-row frame and an empty frame.
SELECT userId, movieId, SUM(rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 0 PRECEDING AND 0 FOLLOWING) AS self, SUM(rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 2 FOLLOWING AND 1 FOLLOWING) AS empty_sum, COUNT(*) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 2 FOLLOWING AND 1 FOLLOWING) AS empty_count FROM raw_ratings WHERE userId = 43 ORDER BY timestamp, movieId

-- LAG with offset 0 and a large offset.
SELECT userId, movieId, LAG(movieId, 0) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS same, LAG(movieId, 100, 0) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS far FROM raw_ratings WHERE userId IN (44, 45) ORDER BY userId, timestamp, movieId

-- Navigation with IGNORE NULLS over an all-NULL partition.
SELECT userId, movieId, LAST_VALUE(CASE WHEN rating > 5 THEN movieId END) IGNORE NULLS OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS none_lv, LAG(CASE WHEN rating > 5 THEN movieId END, 1, -7) IGNORE NULLS OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS none_lag FROM raw_ratings WHERE userId = 46 ORDER BY timestamp, movieId
-- duckdb: SELECT userId, movieId, LAST_VALUE(CASE WHEN rating > 5 THEN movieId END IGNORE NULLS) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS none_lv, LAG(CASE WHEN rating > 5 THEN movieId END, 1, -7 IGNORE NULLS) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS none_lag FROM raw_ratings WHERE userId = 46 ORDER BY timestamp, movieId

-- FIRST_VALUE and LAST_VALUE over a RANGE offset frame.
SELECT userId, movieId, FIRST_VALUE(rating) OVER (PARTITION BY userId ORDER BY timestamp RANGE BETWEEN 3600 PRECEDING AND 3600 FOLLOWING) AS fv, MAX(rating) OVER (PARTITION BY userId ORDER BY timestamp RANGE BETWEEN 3600 PRECEDING AND 3600 FOLLOWING) AS mx FROM raw_ratings WHERE userId IN (47, 48) AND userId NOT IN (SELECT userId FROM raw_ratings GROUP BY userId, timestamp HAVING count(*) > 1) ORDER BY userId, timestamp, movieId

-- MIN and MAX of text over windows.
SELECT r.userId, r.movieId, MIN(m.title) OVER (PARTITION BY r.userId) AS first_title, MAX(m.title) OVER (PARTITION BY r.userId ORDER BY r.timestamp, r.movieId ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS max_recent FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId WHERE r.userId IN (49, 52) ORDER BY r.userId, r.timestamp, r.movieId

-- Windowed SUM and AVG of an integer column.
SELECT userId, movieId, SUM(movieId) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS s, AVG(movieId) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS a, SUM(timestamp) OVER (PARTITION BY userId) AS ts_total FROM raw_ratings WHERE userId IN (53, 54) ORDER BY userId, timestamp, movieId

-- A descending RANGE frame over a double key.
SELECT userId, movieId, rating, MAX(movieId) OVER (PARTITION BY userId ORDER BY rating DESC RANGE BETWEEN CURRENT ROW AND 1.5 FOLLOWING) AS mx, COUNT(*) OVER (PARTITION BY userId ORDER BY rating DESC RANGE BETWEEN 0.5 PRECEDING AND CURRENT ROW) AS c FROM raw_ratings WHERE userId IN (55, 56) ORDER BY userId, movieId

-- Row numbers over a flattened array, per movie.
SELECT m.movieId, f.value AS genre, f.index, ROW_NUMBER() OVER (PARTITION BY m.movieId ORDER BY f.value DESC) AS rn, COUNT(*) OVER (PARTITION BY m.movieId) AS genres FROM raw_movies m, LATERAL FLATTEN(input => split(m.genres, '|')) f WHERE m.movieId < 80 ORDER BY m.movieId, rn
-- duckdb: SELECT movieId, genre, idx AS index, ROW_NUMBER() OVER (PARTITION BY movieId ORDER BY genre DESC) AS rn, COUNT(*) OVER (PARTITION BY movieId) AS genres FROM (SELECT movieId, unnest(string_split(genres, '|')) AS genre, generate_subscripts(string_split(genres, '|'), 1) - 1 AS idx FROM raw_movies WHERE movieId < 80) x ORDER BY movieId, rn

-- Windows over DISTINCT rows.
SELECT userId, yr, ROW_NUMBER() OVER (PARTITION BY userId ORDER BY yr) AS nth_year, COUNT(*) OVER (PARTITION BY userId) AS years FROM (SELECT DISTINCT userId, year(to_timestamp(timestamp)) AS yr FROM raw_ratings WHERE userId <= 60) d ORDER BY userId, yr

-- A window in a subquery with OFFSET.
SELECT movieId, n, rk FROM (SELECT movieId, count(*) AS n, ROW_NUMBER() OVER (ORDER BY count(*) DESC, movieId) AS rk FROM raw_ratings GROUP BY movieId) x ORDER BY rk LIMIT 10 OFFSET 20

-- A window over a LEFT JOIN with unmatched rows.
SELECT m.movieId, t.userId, COUNT(t.userId) OVER (PARTITION BY m.movieId) AS taggers, ROW_NUMBER() OVER (PARTITION BY m.movieId ORDER BY t.timestamp NULLS LAST, t.userId, t.tag) AS rn FROM raw_movies m LEFT JOIN raw_tags t ON t.movieId = m.movieId AND t.userId <= 10 WHERE m.movieId <= 40 ORDER BY m.movieId, rn

-- PARTITION BY a NULL-able expression.
SELECT userId, movieId, COUNT(*) OVER (PARTITION BY CASE WHEN rating >= 4 THEN 'high' END) AS n, SUM(rating) OVER (PARTITION BY CASE WHEN rating >= 4 THEN 'high' END ORDER BY userId, movieId) AS s FROM raw_ratings WHERE userId <= 3 ORDER BY userId, movieId

-- Extreme percentile fractions.
SELECT movieId, PERCENTILE_CONT(0) WITHIN GROUP (ORDER BY rating) AS p0, PERCENTILE_CONT(1) WITHIN GROUP (ORDER BY rating) AS p100, PERCENTILE_DISC(0) WITHIN GROUP (ORDER BY rating) AS d0, PERCENTILE_DISC(1) WITHIN GROUP (ORDER BY rating) AS d100 FROM raw_ratings WHERE movieId <= 100 GROUP BY movieId ORDER BY movieId

-- Median of integers (interpolated) and of an even-sized group.
SELECT userId, median(movieId) AS med_movie, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY timestamp) AS med_ts, count(*) AS n FROM raw_ratings WHERE userId <= 100 GROUP BY userId ORDER BY userId

-- Percentiles with a FILTER that may leave nothing.
SELECT movieId, median(rating) FILTER (WHERE userId <= 5) AS med_first5, PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY rating) FILTER (WHERE userId <= 5) AS disc_first5 FROM raw_ratings WHERE movieId <= 60 GROUP BY movieId ORDER BY movieId

-- Percentiles over NULL-able values.
SELECT userId, median(CASE WHEN rating >= 3 THEN rating END) AS med_ok, PERCENTILE_CONT(0.2) WITHIN GROUP (ORDER BY CASE WHEN rating < 3 THEN rating END) AS p20_low FROM raw_ratings WHERE userId <= 80 GROUP BY userId ORDER BY userId

-- LISTAGG skips NULLs; over no values it is NULL.
SELECT userId, LISTAGG(CASE WHEN rating = 0.5 THEN movieId END, ',') WITHIN GROUP (ORDER BY movieId) AS halves FROM raw_ratings WHERE userId <= 40 GROUP BY userId ORDER BY userId
-- duckdb: SELECT userId, string_agg(CASE WHEN rating = 0.5 THEN movieId END::VARCHAR, ',' ORDER BY movieId) AS halves FROM raw_ratings WHERE userId <= 40 GROUP BY userId ORDER BY userId

-- Statistics with NULLs in one argument (pairs are skipped).
SELECT movieId, covar_pop(CASE WHEN rating >= 2 THEN rating END, timestamp) AS cp, corr(CASE WHEN userId % 2 = 0 THEN rating END, timestamp) AS c, stddev_samp(CASE WHEN userId % 3 = 0 THEN rating END) AS sd FROM raw_ratings GROUP BY movieId HAVING count(DISTINCT CASE WHEN userId % 2 = 0 THEN rating END) > 1

-- Statistics with a FILTER.
-- Per-user timestamps are bursts (sessions) far from 0: DuckDB's corr over raw epoch seconds
-- loses ~1e-9 relative accuracy (moviecol's matches exact rational arithmetic), so the
-- reference shifts each user's timestamps to start at 0 (corr and regr_slope are shift-invariant).
-- duckdb: SELECT userId, corr(rating, timestamp) FILTER (WHERE movieId < 700) AS c, var_samp(rating) FILTER (WHERE rating > 1) AS v, regr_slope(rating, timestamp) FILTER (WHERE movieId >= 700) AS slope FROM (SELECT userId, movieId, rating, timestamp - min(timestamp) OVER (PARTITION BY userId) AS timestamp FROM raw_ratings) raw_ratings GROUP BY userId HAVING count(DISTINCT rating) FILTER (WHERE movieId < 700) > 1 AND count(DISTINCT rating) FILTER (WHERE movieId >= 700) > 1
SELECT userId, corr(rating, timestamp) FILTER (WHERE movieId < 700) AS c, var_samp(rating) FILTER (WHERE rating > 1) AS v, regr_slope(rating, timestamp) FILTER (WHERE movieId >= 700) AS slope FROM raw_ratings GROUP BY userId HAVING count(DISTINCT rating) FILTER (WHERE movieId < 700) > 1 AND count(DISTINCT rating) FILTER (WHERE movieId >= 700) > 1

-- MIN_BY / MAX_BY skip NULL keys.
SELECT userId, MIN_BY(movieId, CASE WHEN rating >= 4 THEN movieId END) AS min_good, MAX_BY(rating, CASE WHEN rating <= 2 THEN movieId END) AS last_bad_rating FROM raw_ratings WHERE userId <= 100 GROUP BY userId

-- Exact sketch of a small global set.
SELECT APPROX_COUNT_DISTINCT(movieId), APPROX_COUNT_DISTINCT(rating), APPROX_COUNT_DISTINCT(genres) FROM raw_ratings r JOIN raw_movies m USING (movieId) WHERE r.userId <= 8
-- duckdb: SELECT count(DISTINCT movieId), count(DISTINCT rating), count(DISTINCT genres) FROM raw_ratings r JOIN raw_movies m USING (movieId) WHERE r.userId <= 8

-- ROLLUP of three keys with a GROUPING filter.
SELECT year(to_timestamp(timestamp)) >= 2010 AS recent, rating >= 4 AS good, userId % 2 AS parity, count(*) AS n, GROUPING(year(to_timestamp(timestamp)) >= 2010, rating >= 4, userId % 2) AS g FROM raw_ratings GROUP BY ROLLUP (year(to_timestamp(timestamp)) >= 2010, rating >= 4, userId % 2) HAVING GROUPING(year(to_timestamp(timestamp)) >= 2010, rating >= 4, userId % 2) <> 1

-- CUBE of three keys ordered by the grouping id.
SELECT rating >= 4 AS good, userId % 2 AS parity, movieId % 3 AS m3, count(*) AS n, avg(rating) AS a FROM raw_ratings GROUP BY CUBE (good, parity, m3) ORDER BY GROUPING(good, parity, m3), good, parity, m3

-- GROUPING SETS with text keys and a median.
SELECT m.genres, r.rating, count(*) AS n, median(r.userId) AS med_user FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId WHERE m.movieId <= 40 GROUP BY GROUPING SETS ((m.genres), (r.rating))

-- Mode of a text column on groups with a unique mode.
WITH c AS (SELECT userId, lower(tag) AS tag, count(*) AS n FROM raw_tags GROUP BY userId, lower(tag)), top AS (SELECT userId, tag FROM c QUALIFY RANK() OVER (PARTITION BY userId ORDER BY n DESC) = 1), u AS (SELECT userId FROM top GROUP BY userId HAVING count(*) = 1) SELECT userId, mode(lower(tag)) AS favourite_tag FROM raw_tags WHERE userId IN (SELECT userId FROM u) GROUP BY userId ORDER BY userId

-- Correlated scalar subquery in a CASE.
SELECT m.movieId, CASE WHEN (SELECT count(*) FROM raw_tags t WHERE t.movieId = m.movieId) >= 30 THEN 'much tagged' ELSE 'quiet' END AS kind FROM raw_movies m

-- Correlated median in a scalar subquery.
SELECT m.movieId, (SELECT median(r.rating) FROM raw_ratings r WHERE r.movieId = m.movieId) AS med FROM raw_movies m WHERE m.movieId <= 300

-- Correlated statistics in scalar subqueries.
SELECT u.userId, (SELECT stddev_pop(r.rating) FROM raw_ratings r WHERE r.userId = u.userId) AS sd, (SELECT count(DISTINCT r.movieId) FROM raw_ratings r WHERE r.userId = u.userId AND r.rating >= 4) AS liked FROM (SELECT DISTINCT userId FROM raw_ratings WHERE userId <= 200) u

-- Correlated scalar subquery over a LEFT JOIN's outer row.
SELECT m.movieId, l.tmdbId, (SELECT max(r.timestamp) FROM raw_ratings r WHERE r.movieId = m.movieId AND r.userId <= 30) AS last_early FROM raw_movies m LEFT JOIN raw_links l ON l.movieId = m.movieId WHERE m.movieId <= 200

-- Correlated IN with an extra condition on outer columns.
SELECT r.userId, r.movieId FROM raw_ratings r WHERE r.movieId IN (SELECT t.movieId FROM raw_tags t WHERE t.userId = r.userId AND t.timestamp < r.timestamp)

-- NOT EXISTS related only by an inequality.
WITH p AS (SELECT movieId, avg(rating) AS a FROM raw_ratings GROUP BY movieId) SELECT p.movieId, p.a FROM p WHERE NOT EXISTS (SELECT 1 FROM p q WHERE q.a > p.a + 0.3)

-- Correlated min of text: the alphabetically first tag a user put on the movie.
SELECT r.userId, r.movieId, (SELECT min(t.tag) FROM raw_tags t WHERE t.userId = r.userId AND t.movieId = r.movieId) AS first_tag FROM raw_ratings r WHERE r.userId IN (SELECT userId FROM raw_tags) AND r.userId <= 60

-- A correlated subquery on a CTE used by a window.
WITH u AS (SELECT userId, count(*) AS n FROM raw_ratings GROUP BY userId) SELECT u.userId, u.n, (SELECT count(*) FROM u u2 WHERE u2.n >= u.n) AS rank_by_count, RANK() OVER (ORDER BY u.n DESC) AS rk FROM u ORDER BY u.userId

-- Scalar subquery comparing a movie with its best-rated genre peer.
WITH ma AS (SELECT m.movieId, m.genres, avg(r.rating) AS a FROM raw_movies m JOIN raw_ratings r ON r.movieId = m.movieId GROUP BY m.movieId, m.genres) SELECT ma.movieId, ma.a, (SELECT max(x.a) FROM ma x WHERE x.genres = ma.genres AND x.movieId <> ma.movieId) AS best_peer FROM ma

-- Ratings by users who tagged nothing.
SELECT count(*), avg(rating), median(rating) FROM raw_ratings r WHERE NOT EXISTS (SELECT 1 FROM raw_tags t WHERE t.userId = r.userId)

-- ===== 6. Top-k QUALIFY shapes, shared sorts, rollups of partials, NULL outer values =====

-- QUALIFY RANK() <= k keeps every tie.
SELECT userId, movieId, rating FROM raw_ratings WHERE userId <= 40 QUALIFY RANK() OVER (PARTITION BY userId ORDER BY rating DESC) <= 3 ORDER BY userId, movieId

-- QUALIFY DENSE_RANK() <= k.
SELECT movieId, userId, rating FROM raw_ratings WHERE movieId <= 20 QUALIFY DENSE_RANK() OVER (PARTITION BY movieId ORDER BY rating) <= 2 ORDER BY movieId, userId

-- QUALIFY on one row number that is not a prefix.
SELECT userId, movieId FROM raw_ratings WHERE userId <= 200 QUALIFY ROW_NUMBER() OVER (PARTITION BY userId ORDER BY timestamp, movieId) = 10 ORDER BY userId

-- QUALIFY on a range of row numbers, written backwards.
SELECT userId, movieId FROM raw_ratings WHERE userId <= 100 QUALIFY 5 >= ROW_NUMBER() OVER (PARTITION BY userId ORDER BY rating DESC, movieId) AND ROW_NUMBER() OVER (PARTITION BY userId ORDER BY rating DESC, movieId) > 2 ORDER BY userId, movieId

-- QUALIFY a top-k together with another condition.
SELECT userId, movieId, rating FROM raw_ratings WHERE userId <= 100 QUALIFY ROW_NUMBER() OVER (PARTITION BY userId ORDER BY timestamp DESC, movieId) <= 5 AND rating >= 3 ORDER BY userId, movieId

-- QUALIFY a top-k with OR.
SELECT userId, movieId, rating FROM raw_ratings WHERE userId <= 50 QUALIFY ROW_NUMBER() OVER (PARTITION BY userId ORDER BY timestamp, movieId) <= 2 OR ROW_NUMBER() OVER (PARTITION BY userId ORDER BY timestamp DESC, movieId DESC) <= 2 ORDER BY userId, movieId

-- Global top-k via QUALIFY without a partition.
SELECT userId, movieId, timestamp FROM raw_ratings QUALIFY ROW_NUMBER() OVER (ORDER BY timestamp DESC, userId, movieId) <= 15 ORDER BY timestamp DESC, userId, movieId

-- QUALIFY RANK() < k with the ranking also selected.
SELECT movieId, userId, timestamp, RANK() OVER (PARTITION BY movieId ORDER BY timestamp) AS rk FROM raw_ratings WHERE movieId BETWEEN 100 AND 140 QUALIFY RANK() OVER (PARTITION BY movieId ORDER BY timestamp) < 4 ORDER BY movieId, rk, userId

-- Several frames over one sort.
SELECT userId, movieId, SUM(rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS run, SUM(rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS s3, MIN(rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS min_so_far, MAX(rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS max_after, AVG(rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 10 PRECEDING AND 10 FOLLOWING) AS a21 FROM raw_ratings WHERE userId IN (57, 58) ORDER BY userId, timestamp, movieId

-- MIN and MAX over RANGE frames (segment tree with a range).
SELECT userId, movieId, MIN(rating) OVER (PARTITION BY userId ORDER BY timestamp RANGE BETWEEN 604800 PRECEDING AND 604800 FOLLOWING) AS lo, MAX(movieId) OVER (PARTITION BY userId ORDER BY timestamp RANGE BETWEEN 86400 PRECEDING AND CURRENT ROW) AS hi FROM raw_ratings WHERE userId BETWEEN 59 AND 64 ORDER BY userId, timestamp, movieId

-- Sliding sums of inexact doubles (genome relevance).
SELECT movieId, tagId, SUM(relevance) OVER (PARTITION BY movieId ORDER BY tagId ROWS BETWEEN 50 PRECEDING AND CURRENT ROW) AS s51, AVG(relevance) OVER (PARTITION BY movieId ORDER BY tagId ROWS BETWEEN 5 PRECEDING AND 5 FOLLOWING) AS a11 FROM raw_genome_scores WHERE movieId IN (SELECT min(movieId) FROM raw_genome_scores) ORDER BY movieId, tagId

-- Sliding COUNT and AVG of NULL-able values.
SELECT userId, movieId, COUNT(CASE WHEN rating >= 4 THEN rating END) OVER (PARTITION BY userId ORDER BY timestamp RANGE BETWEEN 2592000 PRECEDING AND CURRENT ROW) AS good30, AVG(CASE WHEN rating >= 4 THEN rating END) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS good_avg5 FROM raw_ratings WHERE userId IN (65, 66) ORDER BY userId, timestamp, movieId

-- Running count per movie over the whole table (large partitions).
SELECT movieId, count(*) AS n, max(rn) AS max_rn, sum(rn) AS sum_rn FROM (SELECT movieId, ROW_NUMBER() OVER (PARTITION BY movieId ORDER BY timestamp, userId) AS rn FROM raw_ratings) x GROUP BY movieId ORDER BY movieId

-- ROLLUP where a key is NULL itself, told apart by GROUPING.
SELECT CASE WHEN rating >= 4 THEN 'good' END AS band, userId % 2 AS parity, count(*) AS n, GROUPING(CASE WHEN rating >= 4 THEN 'good' END) AS g1, GROUPING(userId % 2) AS g2 FROM raw_ratings GROUP BY ROLLUP (CASE WHEN rating >= 4 THEN 'good' END, userId % 2)

-- ROLLUP of partial aggregates over NULL-able values.
SELECT userId % 5 AS b, movieId % 2 AS odd, count(CASE WHEN rating = 5 THEN 1 END) AS fives, sum(CASE WHEN rating < 1 THEN rating END) AS low_sum, avg(CASE WHEN rating >= 4 THEN rating END) AS good_avg, min(CASE WHEN rating > 4 THEN movieId END) AS first_top, max(timestamp) AS last_ts FROM raw_ratings GROUP BY ROLLUP (b, odd)

-- CUBE with an all-NULL SUM in some groups.
SELECT rating, userId % 2 AS parity, sum(CASE WHEN rating > 5 THEN movieId END) AS never, count(*) AS n FROM raw_ratings WHERE userId <= 100 GROUP BY CUBE (rating, parity)

-- GROUPING SETS mixing partial and distinct aggregates.
SELECT year(to_timestamp(timestamp)) AS yr, rating, count(*) AS n, count(DISTINCT userId) AS users, sum(rating) AS s FROM raw_ratings WHERE userId <= 300 GROUP BY GROUPING SETS ((yr), (rating), (yr, rating))

-- Correlated count for outer rows with NULL values (no partner: 0).
WITH o AS (SELECT userId, movieId, CASE WHEN rating >= 3 THEN timestamp END AS ts FROM raw_ratings WHERE userId <= 5) SELECT o.userId, o.movieId, (SELECT count(*) FROM raw_ratings r2 WHERE r2.userId = o.userId AND r2.timestamp < o.ts) AS earlier FROM o

-- Correlated equality count with a NULL outer key.
WITH o AS (SELECT movieId, CASE WHEN movieId % 3 = 0 THEN NULL ELSE movieId END AS k FROM raw_movies) SELECT o.movieId, (SELECT count(*) FROM raw_ratings r WHERE r.movieId = o.k) AS n, (SELECT max(r.rating) FROM raw_ratings r WHERE r.movieId = o.k) AS mx FROM o

-- EXISTS and NOT EXISTS with a NULL outer key.
WITH o AS (SELECT movieId, CASE WHEN movieId % 4 = 0 THEN NULL ELSE movieId END AS k FROM raw_movies) SELECT o.movieId, o.k FROM o WHERE NOT EXISTS (SELECT 1 FROM raw_tags t WHERE t.movieId = o.k)

WITH o AS (SELECT movieId, CASE WHEN movieId % 4 = 0 THEN NULL ELSE movieId END AS k FROM raw_movies) SELECT count(*) FROM o WHERE EXISTS (SELECT 1 FROM raw_tags t WHERE t.movieId = o.k AND t.userId <= 50)

-- Correlated value reading a NULL outer column.
WITH o AS (SELECT userId, movieId, timestamp, CASE WHEN rating >= 3 THEN rating END AS r FROM raw_ratings WHERE userId <= 4) SELECT o.userId, o.movieId, (SELECT max(r2.rating) - o.r FROM raw_ratings r2 WHERE r2.userId = o.userId AND r2.timestamp <= o.timestamp) AS gap FROM o

-- Duplicate outer rows share one subquery result.
SELECT r.movieId, r.rating, (SELECT count(*) FROM raw_ratings r2 WHERE r2.movieId = r.movieId AND r2.rating > r.rating) AS better FROM raw_ratings r WHERE r.movieId <= 12

-- IN over a correlated subquery whose values include NULLs.
SELECT m.movieId FROM raw_movies m WHERE m.movieId IN (SELECT CASE WHEN r.rating >= 4.5 THEN r.movieId END FROM raw_ratings r WHERE r.movieId = m.movieId AND r.userId <= 40)

-- Correlated scalar compared in WHERE together with a plain filter and an OR.
SELECT r.userId, r.movieId, r.rating FROM raw_ratings r WHERE r.userId <= 50 AND (r.rating = 5 OR r.movieId < 10) AND r.rating >= (SELECT max(r2.rating) FROM raw_ratings r2 WHERE r2.userId = r.userId AND r2.movieId < r.movieId)

-- Correlated count used in arithmetic and ORDER BY.
SELECT m.movieId, m.title, (SELECT count(*) FROM raw_tags t WHERE t.movieId = m.movieId) * 1.0 / (SELECT count(*) FROM raw_ratings r WHERE r.movieId = m.movieId) AS tags_per_rating FROM raw_movies m ORDER BY tags_per_rating DESC, m.movieId LIMIT 20

-- Two correlated subqueries with different correlations.
SELECT r.userId, r.movieId, (SELECT count(*) FROM raw_ratings a WHERE a.userId = r.userId AND a.rating > r.rating) AS user_better, (SELECT count(*) FROM raw_ratings b WHERE b.movieId = r.movieId AND b.rating > r.rating) AS movie_better FROM raw_ratings r WHERE r.userId <= 6

-- ===== 7. More navigation, frames and percentiles =====

-- LAG two non-NULL values back.
SELECT userId, movieId, LAG(CASE WHEN rating >= 4 THEN movieId END, 2) IGNORE NULLS OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS second_last_good FROM raw_ratings WHERE userId IN (67, 68) ORDER BY userId, timestamp, movieId
-- duckdb: SELECT userId, movieId, LAG(CASE WHEN rating >= 4 THEN movieId END, 2 IGNORE NULLS) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS second_last_good FROM raw_ratings WHERE userId IN (67, 68) ORDER BY userId, timestamp, movieId

-- NTH_VALUE over a sliding frame.
SELECT userId, movieId, NTH_VALUE(movieId, 2) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS nv FROM raw_ratings WHERE userId IN (69, 73) ORDER BY userId, timestamp, movieId

-- FIRST_VALUE and LAST_VALUE ignoring NULLs over sliding frames.
SELECT userId, movieId, FIRST_VALUE(CASE WHEN rating <= 2 THEN movieId END) IGNORE NULLS OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 5 PRECEDING AND 5 FOLLOWING) AS fv, LAST_VALUE(CASE WHEN rating <= 2 THEN movieId END) IGNORE NULLS OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN CURRENT ROW AND 8 FOLLOWING) AS lv FROM raw_ratings WHERE userId IN (74, 75) ORDER BY userId, timestamp, movieId
-- duckdb: SELECT userId, movieId, FIRST_VALUE(CASE WHEN rating <= 2 THEN movieId END IGNORE NULLS) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 5 PRECEDING AND 5 FOLLOWING) AS fv, LAST_VALUE(CASE WHEN rating <= 2 THEN movieId END IGNORE NULLS) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN CURRENT ROW AND 8 FOLLOWING) AS lv FROM raw_ratings WHERE userId IN (74, 75) ORDER BY userId, timestamp, movieId

-- A RANGE frame that ends before the current row (may be empty).
SELECT userId, movieId, COUNT(*) OVER (PARTITION BY userId ORDER BY timestamp RANGE BETWEEN 604800 PRECEDING AND 1 PRECEDING) AS prior_week, SUM(rating) OVER (PARTITION BY userId ORDER BY timestamp RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before_sum FROM raw_ratings WHERE userId IN (76, 77) ORDER BY userId, timestamp, movieId

-- A RANGE frame that starts after the current row.
SELECT userId, movieId, COUNT(*) OVER (PARTITION BY userId ORDER BY timestamp RANGE BETWEEN 1 FOLLOWING AND 86400 FOLLOWING) AS next_day FROM raw_ratings WHERE userId BETWEEN 78 AND 82 ORDER BY userId, timestamp, movieId

-- Huge ROWS offsets.
SELECT userId, movieId, SUM(rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 1000000 PRECEDING AND 1000000 FOLLOWING) AS total, COUNT(*) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 1000 PRECEDING AND 1 PRECEDING) AS before FROM raw_ratings WHERE userId = 83 ORDER BY timestamp, movieId

-- RANGE over an integer key with movie ids.
SELECT userId, movieId, COUNT(*) OVER (PARTITION BY userId ORDER BY movieId RANGE BETWEEN 50 PRECEDING AND 50 FOLLOWING) AS nearby_ids, AVG(rating) OVER (PARTITION BY userId ORDER BY movieId DESC RANGE BETWEEN 100 PRECEDING AND CURRENT ROW) AS a FROM raw_ratings WHERE userId IN (84, 85) ORDER BY userId, movieId

-- HAVING and QUALIFY in one grouped query.
SELECT userId, count(*) AS n, avg(rating) AS a FROM raw_ratings GROUP BY userId HAVING count(*) >= 200 QUALIFY RANK() OVER (ORDER BY avg(rating) DESC) <= 10 ORDER BY a DESC, userId

-- QUALIFY on a window not in the SELECT list.
SELECT movieId, title FROM raw_movies QUALIFY LEAD(movieId) OVER (ORDER BY movieId) - movieId >= 8 ORDER BY movieId

-- Discrete percentiles where fraction times count is a whole number.
SELECT userId, count(*) AS n, PERCENTILE_DISC(0.1) WITHIN GROUP (ORDER BY movieId) AS d10, PERCENTILE_DISC(0.3) WITHIN GROUP (ORDER BY movieId) AS d30, PERCENTILE_DISC(0.7) WITHIN GROUP (ORDER BY movieId) AS d70, PERCENTILE_CONT(0.1) WITHIN GROUP (ORDER BY movieId) AS c10 FROM raw_ratings GROUP BY userId HAVING count(*) % 10 = 0 ORDER BY userId

-- Interpolated percentiles at awkward fractions, descending.
SELECT movieId, PERCENTILE_CONT(0.33) WITHIN GROUP (ORDER BY timestamp DESC) AS c33, PERCENTILE_CONT(0.999) WITHIN GROUP (ORDER BY userId) AS c999, PERCENTILE_DISC(0.001) WITHIN GROUP (ORDER BY userId DESC) AS d001 FROM raw_ratings GROUP BY movieId ORDER BY movieId

-- Sorted distinct genres of a user's five-star movies, as an array.
SELECT r.userId, ARRAY_AGG(DISTINCT f.value) WITHIN GROUP (ORDER BY f.value) AS genres FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId, LATERAL FLATTEN(input => split(m.genres, '|')) f WHERE r.userId <= 15 AND r.rating = 5 GROUP BY r.userId ORDER BY r.userId
-- duckdb: SELECT r.userId, list(DISTINCT x.genre ORDER BY x.genre) AS genres FROM raw_ratings r JOIN (SELECT movieId, unnest(string_split(genres, '|')) AS genre FROM raw_movies) x ON x.movieId = r.movieId WHERE r.userId <= 15 AND r.rating = 5 GROUP BY r.userId ORDER BY r.userId

-- Number of genres per movie from the split array.
SELECT ARRAY_SIZE(split(genres, '|')) AS n_genres, count(*) AS movies, avg(movieId) AS a FROM raw_movies GROUP BY n_genres ORDER BY n_genres
-- duckdb: SELECT len(string_split(genres, '|')) AS n_genres, count(*) AS movies, avg(movieId) AS a FROM raw_movies GROUP BY n_genres ORDER BY n_genres

-- Genre-aware windows: how a movie ranks among movies sharing a genre.
WITH g AS (SELECT m.movieId, f.value AS genre FROM raw_movies m, LATERAL FLATTEN(input => split(m.genres, '|')) f), c AS (SELECT movieId, count(*) AS n FROM raw_ratings GROUP BY movieId) SELECT g.genre, g.movieId, c.n, PERCENT_RANK() OVER (PARTITION BY g.genre ORDER BY c.n) AS pr, c.n - LAG(c.n) OVER (PARTITION BY g.genre ORDER BY c.n, g.movieId) AS gap FROM g JOIN c ON c.movieId = g.movieId WHERE g.genre IN ('Action', 'Western', 'Documentary') ORDER BY g.genre, c.n, g.movieId
-- duckdb: WITH g AS (SELECT movieId, unnest(string_split(genres, '|')) AS genre FROM raw_movies), c AS (SELECT movieId, count(*) AS n FROM raw_ratings GROUP BY movieId) SELECT g.genre, g.movieId, c.n, PERCENT_RANK() OVER (PARTITION BY g.genre ORDER BY c.n) AS pr, c.n - LAG(c.n) OVER (PARTITION BY g.genre ORDER BY c.n, g.movieId) AS gap FROM g JOIN c ON c.movieId = g.movieId WHERE g.genre IN ('Action', 'Western', 'Documentary') ORDER BY g.genre, c.n, g.movieId

-- Earlier ratings by the same user of movies with the same genres string.
SELECT r.userId, r.movieId, (SELECT count(*) FROM raw_ratings r2 JOIN raw_movies m2 ON m2.movieId = r2.movieId WHERE r2.userId = r.userId AND m2.genres = m.genres AND r2.timestamp < r.timestamp) AS same_genres_before FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId WHERE r.userId <= 12

-- ===== 8. Named windows, GROUP BY ALL with windows, rollups under windows =====

-- GROUP BY ALL leaves out the window over an aggregate.
SELECT userId, count(*) AS n, RANK() OVER (ORDER BY count(*) DESC) AS rk FROM raw_ratings WHERE userId <= 80 GROUP BY ALL ORDER BY rk, userId

-- A named window with the frame added at the call.
SELECT userId, movieId, SUM(rating) OVER (w ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s3, MIN(rating) OVER (w ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS lo3, COUNT(*) OVER (w RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS rest FROM raw_ratings WHERE userId IN (86, 87) WINDOW w AS (PARTITION BY userId ORDER BY timestamp, movieId) ORDER BY userId, timestamp, movieId

-- A named window built on another one.
SELECT userId, movieId, COUNT(*) OVER p AS n, ROW_NUMBER() OVER o AS rn, LAG(movieId) OVER o AS prev FROM raw_ratings WHERE userId IN (88, 89) WINDOW p AS (PARTITION BY userId), o AS (p ORDER BY timestamp, movieId) ORDER BY userId, rn

-- QUALIFY through a named window.
SELECT userId, movieId, rating FROM raw_ratings WHERE userId <= 60 WINDOW w AS (PARTITION BY userId ORDER BY rating DESC, timestamp, movieId) QUALIFY ROW_NUMBER() OVER w = 1 ORDER BY userId
-- duckdb: SELECT userId, movieId, rating FROM raw_ratings WHERE userId <= 60 WINDOW w AS (PARTITION BY userId ORDER BY rating DESC, timestamp, movieId) QUALIFY ROW_NUMBER() OVER w = 1 ORDER BY userId

-- Running share within ROLLUP levels.
SELECT year(to_timestamp(timestamp)) AS yr, rating >= 4 AS good, count(*) AS n, count(*) / SUM(count(*)) OVER (PARTITION BY GROUPING(year(to_timestamp(timestamp)), rating >= 4), year(to_timestamp(timestamp))) AS share FROM raw_ratings GROUP BY ROLLUP (year(to_timestamp(timestamp)), rating >= 4) ORDER BY GROUPING(year(to_timestamp(timestamp)), rating >= 4), yr, good

-- Separator with quotes, descending order.
SELECT movieId, LISTAGG(tag, ''', ''') WITHIN GROUP (ORDER BY tag DESC) AS tags FROM (SELECT DISTINCT movieId, tag FROM raw_tags WHERE movieId BETWEEN 200 AND 260) t GROUP BY movieId ORDER BY movieId
-- duckdb: SELECT movieId, string_agg(tag, ''', ''' ORDER BY tag DESC) AS tags FROM (SELECT DISTINCT movieId, tag FROM raw_tags WHERE movieId BETWEEN 200 AND 260) t GROUP BY movieId ORDER BY movieId

-- Percentiles in HAVING and ORDER BY.
SELECT movieId, count(*) AS n, PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY rating) AS p90 FROM raw_ratings GROUP BY movieId HAVING PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY rating) = 5 ORDER BY PERCENTILE_CONT(0.1) WITHIN GROUP (ORDER BY rating) DESC, movieId LIMIT 30

-- Window with a constant partition and a constant plus key order.
SELECT movieId, title, ROW_NUMBER() OVER (PARTITION BY 1 ORDER BY title, movieId) AS alpha, COUNT(*) OVER (PARTITION BY 'x') AS n FROM raw_movies WHERE movieId < 120 ORDER BY alpha

-- Windows over a HAVING-filtered grouping.
SELECT m.genres, count(*) AS n, avg(r.rating) AS a, RANK() OVER (ORDER BY avg(r.rating) DESC) AS rk, count(*) - LAG(count(*)) OVER (ORDER BY count(*), m.genres) AS step FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId GROUP BY m.genres HAVING count(*) >= 1000 ORDER BY rk, m.genres

-- Year-over-year of the median rating (an ordered aggregate under LAG).
SELECT year(to_timestamp(timestamp)) AS yr, median(rating) AS med, median(rating) - LAG(median(rating)) OVER (ORDER BY year(to_timestamp(timestamp))) AS change, stddev_samp(rating) AS sd FROM raw_ratings GROUP BY year(to_timestamp(timestamp)) ORDER BY yr

-- Rank of users by their correlation of rating with time.
-- Per-user timestamps are bursts (sessions) far from 0: DuckDB's corr over raw epoch seconds
-- loses ~1e-9 relative accuracy (moviecol's matches exact rational arithmetic), so the
-- reference shifts each user's timestamps to start at 0 (corr and regr_slope are shift-invariant).
-- duckdb: WITH c AS (SELECT userId, corr(rating, timestamp) AS c FROM (SELECT userId, movieId, rating, timestamp - min(timestamp) OVER (PARTITION BY userId) AS timestamp FROM raw_ratings) raw_ratings GROUP BY userId HAVING count(DISTINCT rating) > 1) SELECT userId, c, NTILE(4) OVER (ORDER BY c, userId) AS q FROM c ORDER BY userId
WITH c AS (SELECT userId, corr(rating, timestamp) AS c FROM raw_ratings GROUP BY userId HAVING count(DISTINCT rating) > 1) SELECT userId, c, NTILE(4) OVER (ORDER BY c, userId) AS q FROM c ORDER BY userId

-- ===== 9. More correlated shapes =====

-- Ratings count of the next user id (outer key in an expression).
SELECT u.userId, (SELECT count(*) FROM raw_ratings r WHERE r.userId = u.userId + 1) AS next_user_n FROM (SELECT DISTINCT userId FROM raw_ratings WHERE userId <= 50) u

-- Ratings of the movie with the previous id (inner key in an expression).
SELECT m.movieId, (SELECT count(*) FROM raw_ratings r WHERE r.movieId + 1 = m.movieId) AS prev_n FROM raw_movies m

-- EXISTS with an OR inside the subquery.
SELECT r.userId, r.movieId FROM raw_ratings r WHERE r.userId <= 30 AND EXISTS (SELECT 1 FROM raw_tags t WHERE t.userId = r.userId AND (t.movieId = r.movieId OR t.tag = 'funny'))

-- Tags of the movie by other users, with the outer row from a join.
SELECT r.userId, m.title, (SELECT count(*) FROM raw_tags t WHERE t.movieId = m.movieId AND t.userId <> r.userId) AS others FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId WHERE r.userId <= 5

-- Median under ROLLUP.
SELECT year(to_timestamp(timestamp)) AS yr, median(rating), count(*) FROM raw_ratings GROUP BY ROLLUP (year(to_timestamp(timestamp)))

-- A CTE with a correlated count, self-joined.
WITH c AS (SELECT r.userId, r.movieId, (SELECT count(*) FROM raw_ratings r2 WHERE r2.userId = r.userId AND r2.timestamp < r.timestamp) AS k FROM raw_ratings r WHERE r.userId <= 20) SELECT a.userId, count(*) FROM c a JOIN c b ON a.userId = b.userId AND a.k = b.k + 1 GROUP BY a.userId

-- Other movies the user rated the same.
SELECT r.userId, r.movieId, (SELECT count(*) FROM raw_ratings r2 WHERE r2.userId = r.userId AND r2.movieId <> r.movieId AND r2.rating = r.rating) AS same_rating_others FROM raw_ratings r WHERE r.userId <= 10

-- Genome: a correlated average over a range of tag ids.
SELECT m.movieId, (SELECT avg(g.relevance) FROM raw_genome_scores g WHERE g.movieId = m.movieId AND g.tagId BETWEEN m.movieId AND m.movieId + 100) AS a FROM raw_movies m WHERE m.movieId IN (SELECT movieId FROM raw_genome_scores)

-- Correlated on an expression of both sides (case-insensitive tag).
SELECT t.tag, (SELECT count(*) FROM raw_tags t2 WHERE lower(t2.tag) = lower(t.tag)) AS uses FROM raw_tags t WHERE t.userId = 4

-- Each movie's first raters (ties included).
SELECT r.movieId, r.userId FROM raw_ratings r WHERE r.movieId <= 50 AND r.timestamp = (SELECT min(r2.timestamp) FROM raw_ratings r2 WHERE r2.movieId = r.movieId)

-- LAG with an expression default.
SELECT userId, movieId, LAG(rating, 1, rating + 10) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS prev FROM raw_ratings WHERE userId = 90 ORDER BY timestamp, movieId

-- The most active users (uncorrelated scalar in WHERE).
SELECT x.userId, x.cnt FROM (SELECT userId, count(*) AS cnt FROM raw_ratings GROUP BY userId) x WHERE x.cnt = (SELECT max(c) FROM (SELECT count(*) AS c FROM raw_ratings GROUP BY userId) y)

-- Ratings that are a movie's top rating (NOT EXISTS with a greater one). The inner filter
-- repeats the outer one: moviecol keeps `r.movieId <= 60` above the anti join (1.6 s without it).
SELECT movieId, count(*) FROM raw_ratings r WHERE r.movieId <= 60 AND NOT EXISTS (SELECT 1 FROM raw_ratings r2 WHERE r2.movieId = r.movieId AND r2.movieId <= 60 AND r2.rating > r.rating) GROUP BY movieId

-- Two general-rewrite subqueries in one SELECT.
SELECT r.userId, r.movieId, r.rating, (SELECT count(*) FROM raw_ratings r2 WHERE r2.userId = r.userId AND r2.timestamp < r.timestamp AND r2.rating = r.rating) AS same_before, (SELECT max(r3.timestamp) FROM raw_ratings r3 WHERE r3.userId = r.userId AND r3.timestamp < r.timestamp) AS prev_ts FROM raw_ratings r WHERE r.userId BETWEEN 200 AND 203

-- Found by this corpus and fixed: a correlated value reading an outer column under equalities
-- only, MIN_BY/MAX_BY skipping NULL values, OVER naming a window with a frame, lateral column
-- aliases; and two plans that were slow (a filter above an anti join, a comma join in EXISTS).

-- 1. A correlated scalar subquery related only by equalities whose value reads an outer column.
-- moviecol: `Binder Error: column 'r.rating' not found; did you mean 'r2.rating'?`.
-- DuckDB: 2127 rows (user 1, movie 2: 2.0). docs/sql.md says the subquery's value may read outer
-- columns (`(SELECT max(r2.rating) - r.rating ...)`), and it works once any non-equality
-- condition is added (analyst.sql has `... AND r2.timestamp <= r.timestamp`): only the
-- equality-only rewrite (LEFT JOIN to the grouped subquery) misses the outer column.
SELECT r.userId, r.movieId, (SELECT max(r2.rating) - r.rating FROM raw_ratings r2 WHERE r2.userId = r.userId) AS below_best FROM raw_ratings r WHERE r.userId <= 15

-- 1b. The same with the outer column inside the aggregate.
-- moviecol: the same Binder Error. DuckDB: 2127 rows (user 1, movie 2: 8.0).
SELECT r.userId, r.movieId, (SELECT max(r2.rating + r.rating) FROM raw_ratings r2 WHERE r2.userId = r.userId) AS best_pair FROM raw_ratings r WHERE r.userId <= 15

-- 2. MAX_BY / MIN_BY do not skip rows whose value is NULL.
-- docs/sql.md: "MIN_BY / MAX_BY skip rows where the value or the key is NULL, as DuckDB does".
-- Skipping NULL keys works (analyst.sql checks it); a NULL value at the extreme key is returned
-- instead of skipped. User 7's largest movieId (1366) has rating 2.0 and its smallest (1)
-- rating 1.0, so the CASE is NULL at both ends.
-- moviecol: user 7 -> max_good NULL, min_good NULL; user 1 -> 1353, NULL (44 of the 100 users
-- have a NULL max_good, 48 a NULL min_good).
-- DuckDB: user 7 -> 1358, 10 (the largest / smallest movieId rated >= 4); user 1 -> 1353, 3.
SELECT userId, MAX_BY(CASE WHEN rating >= 4 THEN movieId END, movieId) AS max_good, MIN_BY(CASE WHEN rating >= 4 THEN movieId END, movieId) AS min_good FROM raw_ratings WHERE userId <= 100 GROUP BY userId

-- 3. `OVER w` naming a window whose definition has a frame.
-- moviecol: `Binder Error: window w has a frame and cannot be extended`, but `OVER w` does not
-- extend w (only `OVER (w ...)` does, and SQL forbids that one only when it copies a frame).
-- DuckDB (and PostgreSQL) accept it: 226 rows (user 86: 1.5, 5.0, 9.0, ...).
SELECT userId, movieId, SUM(rating) OVER w AS s3, MIN(rating) OVER w AS lo3, COUNT(*) OVER w AS c3 FROM raw_ratings WHERE userId IN (86, 87) WINDOW w AS (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) ORDER BY userId, timestamp, movieId

-- 4. Feature gap (not a wrong answer): Snowflake lets a SELECT item name an alias defined
-- earlier in the same SELECT list (lateral column alias); DuckDB does too.
-- moviecol: `Binder Error: column 'n' not found (available: userId, movieId, rating, ...)`.
-- DuckDB: 47 rows.
SELECT m.genres, count(*) AS n, avg(r.rating) AS a, RANK() OVER (ORDER BY avg(r.rating) DESC) AS rk, n - LAG(n) OVER (ORDER BY count(*), m.genres) AS step FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId GROUP BY m.genres HAVING count(*) >= 1000 ORDER BY rk, m.genres

SELECT movieId, count(*) FROM raw_ratings r WHERE r.movieId <= 60 AND NOT EXISTS (SELECT 1 FROM raw_ratings r2 WHERE r2.movieId = r.movieId AND r2.rating > r.rating) GROUP BY movieId

SELECT count(*) FROM raw_movies m WHERE EXISTS (SELECT 1 FROM raw_tags t, raw_ratings r WHERE t.movieId = m.movieId AND r.movieId = m.movieId AND r.userId = t.userId)

-- Users who gave the same rating to at least five movies: EXISTS over a grouped subquery with HAVING.
SELECT u.userId FROM (SELECT DISTINCT userId FROM raw_ratings WHERE userId <= 300) u WHERE EXISTS (SELECT r.rating FROM raw_ratings r WHERE r.userId = u.userId GROUP BY r.rating HAVING count(*) >= 5) ORDER BY u.userId

-- Movies none of whose raters' per-rating groups reached ten: NOT EXISTS over a grouped subquery.
SELECT m.movieId FROM raw_movies m WHERE m.movieId <= 400 AND NOT EXISTS (SELECT r.rating FROM raw_ratings r WHERE r.movieId = m.movieId GROUP BY r.rating HAVING count(*) >= 10) ORDER BY m.movieId

-- Each user's latest rating's movie: a correlated ORDER BY ... LIMIT 1.
SELECT u.userId, (SELECT r.movieId FROM raw_ratings r WHERE r.userId = u.userId ORDER BY r.timestamp DESC, r.movieId DESC LIMIT 1) AS latest FROM (SELECT DISTINCT userId FROM raw_ratings WHERE userId <= 200) u ORDER BY u.userId

-- The second-highest rating of each movie, NULL with fewer than two ratings: LIMIT 1 OFFSET 1.
SELECT m.movieId, (SELECT r.rating FROM raw_ratings r WHERE r.movieId = m.movieId ORDER BY r.rating DESC, r.userId LIMIT 1 OFFSET 1) AS second_best FROM raw_movies m WHERE m.movieId <= 300 ORDER BY m.movieId

-- Movies rated or tagged by user 1 to 50: EXISTS over a correlated UNION.
SELECT m.movieId FROM raw_movies m WHERE EXISTS (SELECT r.userId FROM raw_ratings r WHERE r.movieId = m.movieId AND r.userId <= 50 UNION SELECT t.userId FROM raw_tags t WHERE t.movieId = m.movieId AND t.userId <= 50) ORDER BY m.movieId

-- Movies every one of whose 5-star raters also tagged it: NOT EXISTS over EXCEPT.
SELECT m.movieId FROM raw_movies m WHERE m.movieId <= 500 AND NOT EXISTS (SELECT r.userId FROM raw_ratings r WHERE r.movieId = m.movieId AND r.rating = 5 EXCEPT SELECT t.userId FROM raw_tags t WHERE t.movieId = m.movieId) ORDER BY m.movieId

-- Ratings above each of the same user's yearly average ratings: > ALL over a grouped subquery.
SELECT r.userId, r.movieId, r.rating FROM raw_ratings r WHERE r.userId <= 40 AND r.rating > ALL (SELECT avg(r2.rating) FROM raw_ratings r2 WHERE r2.userId = r.userId GROUP BY FLOOR(r2.timestamp / 31536000)) ORDER BY r.userId, r.movieId
-- duckdb: SELECT r.userId, r.movieId, r.rating FROM raw_ratings r WHERE r.userId <= 40 AND r.rating > ALL (SELECT avg(r2.rating) FROM raw_ratings r2 WHERE r2.userId = r.userId GROUP BY r2.timestamp // 31536000) ORDER BY r.userId, r.movieId

-- Whether a user's id is one of the movies they rated most often per rating: IN as a value over a grouped subquery.
SELECT u.userId, u.userId IN (SELECT max(r.movieId) FROM raw_ratings r WHERE r.userId = u.userId GROUP BY r.rating) AS hit FROM (SELECT DISTINCT userId FROM raw_ratings WHERE userId <= 150) u ORDER BY u.userId

-- Movies a user did not rate among their ten most recent tags: correlated NOT IN over a LIMIT.
SELECT t.userId, t.movieId FROM raw_tags t WHERE t.userId <= 500 AND t.movieId NOT IN (SELECT r.movieId FROM raw_ratings r WHERE r.userId = t.userId ORDER BY r.timestamp DESC, r.movieId LIMIT 10) ORDER BY t.userId, t.movieId, t.tag

-- How many distinct raters each movie had among users with a smaller id than its own: an aggregate over a correlated derived table.
SELECT m.movieId, (SELECT count(*) FROM (SELECT DISTINCT r.userId FROM raw_ratings r WHERE r.movieId = m.movieId AND r.userId < m.movieId) AS raters) AS n FROM raw_movies m WHERE m.movieId <= 300 ORDER BY m.movieId

-- Whether a movie has a rater whose ratings of it and tags of it differ: EXISTS over INTERSECT as a value.
SELECT m.movieId, EXISTS (SELECT r.userId FROM raw_ratings r WHERE r.movieId = m.movieId INTERSECT SELECT t.userId FROM raw_tags t WHERE t.movieId = m.movieId) AS both FROM raw_movies m WHERE m.movieId <= 300 ORDER BY m.movieId

-- ===== 10. Formats, recursion, multiset set operations, subqueries everywhere =====

-- Snowflake date formats (TO_CHAR / TO_VARCHAR, TO_DATE / TO_TIMESTAMP / TRY_ with a format,
-- TO_TIMESTAMP(n, scale)) against DuckDB's strftime / strptime; recursive CTEs (with and without
-- the word RECURSIVE) as number series, date spines, walks over the data and UNION walks that end
-- on cycles; EXCEPT ALL / INTERSECT ALL / MINUS ALL; correlated EXISTS / IN / NOT IN inside
-- expressions and scalar subqueries over groups; INITCAP with delimiters, SPLIT_PART,
-- ARRAY_CONSTRUCT, SHA2. MON and DY print 'Mar' / 'Tue' as DuckDB's %b / %a; NULL tmdb ids
-- are made with CASE (the generated links have none).

-- Ratings per calendar month, labelled 'YYYY-MM'.
SELECT TO_CHAR(TO_TIMESTAMP(timestamp), 'YYYY-MM') AS ym, count(*) AS n, avg(rating) AS avg_rating FROM raw_ratings GROUP BY ym ORDER BY ym
-- duckdb: SELECT strftime(to_timestamp(timestamp), '%Y-%m') AS ym, count(*) AS n, avg(rating) AS avg_rating FROM raw_ratings GROUP BY ym ORDER BY ym

-- Ratings by weekday name.
SELECT TO_CHAR(TO_TIMESTAMP(timestamp), 'DY') AS wd, count(*) AS n, avg(rating) AS avg_rating FROM raw_ratings GROUP BY wd
-- duckdb: SELECT strftime(to_timestamp(timestamp), '%a') AS wd, count(*) AS n, avg(rating) AS avg_rating FROM raw_ratings GROUP BY wd

-- Hour-of-day profile on a 12-hour clock with AM/PM.
SELECT TO_CHAR(TO_TIMESTAMP(timestamp), 'HH12 AM') AS hr, count(*) AS n, min(rating), max(rating) FROM raw_ratings GROUP BY hr
-- duckdb: SELECT strftime(to_timestamp(timestamp), '%I %p') AS hr, count(*) AS n, min(rating), max(rating) FROM raw_ratings GROUP BY hr

-- Each user's first rating date written 'Mon DD, YYYY'.
SELECT userId, TO_CHAR(min(TO_TIMESTAMP(timestamp)), 'MON DD, YYYY') AS first_day, count(*) AS n FROM raw_ratings WHERE userId <= 200 GROUP BY userId ORDER BY userId
-- duckdb: SELECT userId, strftime(min(to_timestamp(timestamp)), '%b %d, %Y') AS first_day, count(*) AS n FROM raw_ratings WHERE userId <= 200 GROUP BY userId ORDER BY userId

-- Tag dates in the short European style 'DD-MON-YY'.
SELECT userId, movieId, tag, TO_VARCHAR(TO_TIMESTAMP(timestamp), 'DD-MON-YY') AS tagged_on FROM raw_tags WHERE userId <= 40
-- duckdb: SELECT userId, movieId, tag, strftime(to_timestamp(timestamp), '%d-%b-%y') AS tagged_on FROM raw_tags WHERE userId <= 40

-- A full audit stamp with a quoted literal and milliseconds.
SELECT userId, movieId, TO_CHAR(TO_TIMESTAMP(timestamp * 1000 + movieId % 1000, 3), '"rated "YYYY-MM-DD"T"HH24:MI:SS.FF3') AS stamp FROM raw_ratings WHERE userId BETWEEN 50 AND 60
-- duckdb: SELECT userId, movieId, strftime(make_timestamp((timestamp * 1000 + movieId % 1000) * 1000), 'rated %Y-%m-%dT%H:%M:%S.%g') AS stamp FROM raw_ratings WHERE userId BETWEEN 50 AND 60

-- Millisecond epochs read with TO_TIMESTAMP(n, 3) agree with the seconds.
SELECT count(*) AS n, count_if(TO_TIMESTAMP(timestamp * 1000, 3) = TO_TIMESTAMP(timestamp)) AS same, min(TO_TIMESTAMP(timestamp * 1000 + 999, 3)) AS lo, max(TO_TIMESTAMP(timestamp * 1000 + 999, 3)) AS hi FROM raw_ratings
-- duckdb: SELECT count(*) AS n, count_if(make_timestamp(timestamp * 1000000) = to_timestamp(timestamp)::TIMESTAMP) AS same, min(make_timestamp((timestamp * 1000 + 999) * 1000)) AS lo, max(make_timestamp((timestamp * 1000 + 999) * 1000)) AS hi FROM raw_ratings

-- Weekday by hour heat map of weekend activity.
SELECT TO_CHAR(TO_TIMESTAMP(timestamp), 'DY') AS wd, TO_CHAR(TO_TIMESTAMP(timestamp), 'HH24') AS hr, count(*) AS n FROM raw_ratings WHERE TO_CHAR(TO_TIMESTAMP(timestamp), 'DY') IN ('Sat', 'Sun') GROUP BY wd, hr ORDER BY wd, hr
-- duckdb: SELECT strftime(to_timestamp(timestamp), '%a') AS wd, strftime(to_timestamp(timestamp), '%H') AS hr, count(*) AS n FROM raw_ratings WHERE strftime(to_timestamp(timestamp), '%a') IN ('Sat', 'Sun') GROUP BY wd, hr ORDER BY wd, hr

-- Quarter labels built from a format and QUARTER.
SELECT TO_CHAR(TO_TIMESTAMP(timestamp), 'YYYY') || '-Q' || QUARTER(TO_TIMESTAMP(timestamp)) AS yq, count(DISTINCT userId) AS users FROM raw_ratings GROUP BY yq ORDER BY yq
-- duckdb: SELECT strftime(to_timestamp(timestamp), '%Y') || '-Q' || quarter(to_timestamp(timestamp)) AS yq, count(DISTINCT userId) AS users FROM raw_ratings GROUP BY yq ORDER BY yq

-- A date formatted with TO_VARCHAR (US style) and the day of the year.
SELECT TO_VARCHAR(TO_TIMESTAMP(timestamp)::DATE, 'MM/DD/YYYY') AS d, DAYOFYEAR(TO_TIMESTAMP(timestamp)) AS doy, count(*) AS n FROM raw_ratings WHERE userId <= 30 GROUP BY 1, 2
-- duckdb: SELECT strftime(to_timestamp(timestamp)::DATE, '%m/%d/%Y') AS d, dayofyear(to_timestamp(timestamp)) AS doy, count(*) AS n FROM raw_ratings WHERE userId <= 30 GROUP BY 1, 2

-- DuckDB's STRFTIME spelling runs unchanged on both.
SELECT strftime(to_timestamp(timestamp), '%Y') AS yr, strftime(to_timestamp(timestamp), '%A') AS day_name, count(*) AS n FROM raw_ratings GROUP BY yr, day_name

-- Round trip: text in 'DD/MM/YYYY' read back with TO_DATE.
SELECT TO_DATE(TO_CHAR(TO_TIMESTAMP(timestamp), 'DD/MM/YYYY'), 'DD/MM/YYYY') AS d, count(*) AS n FROM raw_ratings WHERE userId <= 60 GROUP BY d
-- duckdb: SELECT strptime(strftime(to_timestamp(timestamp), '%d/%m/%Y'), '%d/%m/%Y')::DATE AS d, count(*) AS n FROM raw_ratings WHERE userId <= 60 GROUP BY d

-- Release year from the title, read as a date; titles without one give NULL.
SELECT TRY_TO_DATE(SUBSTR(title, LENGTH(title) - 4, 4), 'YYYY') AS release_year, count(*) AS movies FROM raw_movies GROUP BY 1
-- duckdb: SELECT try_strptime(substr(title, length(title) - 4, 4), '%Y')::DATE AS release_year, count(*) AS movies FROM raw_movies GROUP BY 1

-- Tag times as text with a 12-hour clock, read back with TO_TIMESTAMP(text, format).
SELECT userId, movieId, TO_TIMESTAMP(TO_CHAR(TO_TIMESTAMP(timestamp), 'MM/DD/YYYY HH12:MI:SS PM'), 'MM/DD/YYYY HH12:MI:SS PM') AS t FROM raw_tags WHERE userId <= 25
-- duckdb: SELECT userId, movieId, strptime(strftime(to_timestamp(timestamp), '%m/%d/%Y %I:%M:%S %p'), '%m/%d/%Y %I:%M:%S %p') AS t FROM raw_tags WHERE userId <= 25

-- First of each rated month rebuilt from a 'MON-YYYY' label.
SELECT TO_DATE('01-' || TO_CHAR(TO_TIMESTAMP(timestamp), 'MON-YYYY'), 'DD-MON-YYYY') AS month_start, count(*) AS n FROM raw_ratings GROUP BY 1 ORDER BY 1
-- duckdb: SELECT strptime('01-' || strftime(to_timestamp(timestamp), '%b-%Y'), '%d-%b-%Y')::DATE AS month_start, count(*) AS n FROM raw_ratings GROUP BY 1 ORDER BY 1

-- Which rated months have a 31st: TRY_TO_DATE gives NULL for the others.
SELECT TO_CHAR(TO_TIMESTAMP(timestamp), 'YYYY-MM') AS ym, TRY_TO_DATE(TO_CHAR(TO_TIMESTAMP(timestamp), 'YYYY-MM') || '-31', 'YYYY-MM-DD') AS last_31 FROM raw_ratings GROUP BY 1, 2 ORDER BY 1
-- duckdb: SELECT strftime(to_timestamp(timestamp), '%Y-%m') AS ym, try_strptime(strftime(to_timestamp(timestamp), '%Y-%m') || '-31', '%Y-%m-%d')::DATE AS last_31 FROM raw_ratings GROUP BY 1, 2 ORDER BY 1

-- Compact keys 'YYYYMMDDHH24MISS' parsed with DuckDB's STRPTIME on both.
SELECT userId, count(*) AS n, min(strptime(strftime(to_timestamp(timestamp), '%Y%m%d%H%M%S'), '%Y%m%d%H%M%S')) AS first_at FROM raw_ratings WHERE userId <= 100 GROUP BY userId

-- Genome tags that start with a year ('1920s', '007'): TRY_TO_DATE of the first four characters, trimmed.
SELECT tagId, tag, TRY_TO_DATE(RTRIM(LEFT(tag, 4)), 'YYYY') AS decade_start FROM raw_genome_tags WHERE tagId <= 40
-- duckdb: SELECT tagId, tag, try_strptime(rtrim(left(tag, 4)), '%Y')::DATE AS decade_start FROM raw_genome_tags WHERE tagId <= 40

-- Lower-case format elements read the same.
SELECT TO_CHAR(TO_TIMESTAMP(timestamp), 'yyyy-mm-dd hh24:mi:ss') AS rated_at, userId, movieId FROM raw_ratings WHERE userId = 77
-- duckdb: SELECT strftime(to_timestamp(timestamp), '%Y-%m-%d %H:%M:%S') AS rated_at, userId, movieId FROM raw_ratings WHERE userId = 77

-- An RFC-style stamp 'DY, DD MON YYYY HH24:MI:SS' of each user's latest tag.
SELECT userId, TO_CHAR(max(TO_TIMESTAMP(timestamp)), 'DY, DD MON YYYY HH24:MI:SS') AS last_tag FROM raw_tags GROUP BY userId
-- duckdb: SELECT userId, strftime(max(to_timestamp(timestamp)), '%a, %d %b %Y %H:%M:%S') AS last_tag FROM raw_tags GROUP BY userId

-- Microsecond epochs with TO_TIMESTAMP(n, 6), printed with FF6.
SELECT userId, movieId, TO_CHAR(TO_TIMESTAMP(timestamp * 1000000 + userId * 1000 + movieId % 1000, 6), 'HH24:MI:SS.FF6') AS t FROM raw_ratings WHERE userId BETWEEN 300 AND 305
-- duckdb: SELECT userId, movieId, strftime(make_timestamp(timestamp * 1000000 + userId * 1000 + movieId % 1000), '%H:%M:%S.%f') AS t FROM raw_ratings WHERE userId BETWEEN 300 AND 305

-- Long month names read back: 'MMMM DD, YYYY' text to a date.
SELECT TO_DATE(TO_CHAR(TO_TIMESTAMP(timestamp), 'MMMM DD, YYYY'), 'MMMM DD, YYYY') AS d, count(*) AS tags FROM raw_tags GROUP BY 1
-- duckdb: SELECT strptime(strftime(to_timestamp(timestamp), '%B %d, %Y'), '%B %d, %Y')::DATE AS d, count(*) AS tags FROM raw_tags GROUP BY 1

-- TRY_TO_TIMESTAMP over text that only sometimes fits the format (tags with a trailing number read as hours).
SELECT tag, TRY_TO_TIMESTAMP('2020-01-01 ' || SPLIT_PART(tag, ' ', -1), 'YYYY-MM-DD HH24') AS t FROM raw_tags WHERE userId <= 20
-- duckdb: SELECT tag, try_strptime('2020-01-01 ' || split_part(tag, ' ', -1), '%Y-%m-%d %H') AS t FROM raw_tags WHERE userId <= 20

-- A DATE formatted with time elements prints midnight.
SELECT DISTINCT TO_CHAR(TO_TIMESTAMP(timestamp)::DATE, 'YYYY-MM-DD HH24:MI') AS d FROM raw_tags WHERE userId <= 10
-- duckdb: SELECT DISTINCT strftime(to_timestamp(timestamp)::DATE, '%Y-%m-%d %H:%M') AS d FROM raw_tags WHERE userId <= 10

-- Weekly cohort labels: the Monday that starts the week of each user's first rating.
SELECT TO_CHAR(DATE_TRUNC('week', min(TO_TIMESTAMP(timestamp))), 'YYYY-MM-DD (DY)') AS cohort_week, userId FROM raw_ratings WHERE userId <= 150 GROUP BY userId
-- duckdb: SELECT strftime(date_trunc('week', min(to_timestamp(timestamp))), '%Y-%m-%d (%a)') AS cohort_week, userId FROM raw_ratings WHERE userId <= 150 GROUP BY userId

-- Every half-star rating value from a number series, with its count (zero where unused).
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) SELECT n.i / 2.0 AS rating, count(r.rating) AS n FROM n LEFT JOIN raw_ratings r ON r.rating = n.i / 2.0 GROUP BY n.i ORDER BY n.i

-- Month spine from the first to the last rating month, left-joined to monthly counts.
WITH RECURSIVE months(m) AS (SELECT DATE_TRUNC('month', min(TO_TIMESTAMP(timestamp)))::DATE FROM raw_ratings UNION ALL SELECT DATEADD(month, 1, m)::DATE FROM months WHERE m < (SELECT DATE_TRUNC('month', max(TO_TIMESTAMP(timestamp)))::DATE FROM raw_ratings)), c AS (SELECT DATE_TRUNC('month', TO_TIMESTAMP(timestamp))::DATE AS m, count(*) AS n FROM raw_ratings GROUP BY 1) SELECT months.m, TO_CHAR(months.m, 'MON YYYY') AS label, COALESCE(c.n, 0) AS n FROM months LEFT JOIN c ON c.m = months.m ORDER BY months.m
-- duckdb: WITH RECURSIVE months(m) AS (SELECT date_trunc('month', min(to_timestamp(timestamp)))::DATE FROM raw_ratings UNION ALL SELECT (m + INTERVAL 1 MONTH)::DATE FROM months WHERE m < (SELECT date_trunc('month', max(to_timestamp(timestamp)))::DATE FROM raw_ratings)), c AS (SELECT date_trunc('month', to_timestamp(timestamp))::DATE AS m, count(*) AS n FROM raw_ratings GROUP BY 1) SELECT months.m, strftime(months.m, '%b %Y') AS label, COALESCE(c.n, 0) AS n FROM months LEFT JOIN c ON c.m = months.m ORDER BY months.m

-- Months without a single rating (Snowflake's recursive CTE without the word RECURSIVE).
WITH months (m) AS (SELECT DATE_TRUNC('month', min(TO_TIMESTAMP(timestamp)))::DATE FROM raw_ratings UNION ALL SELECT DATEADD(month, 1, m)::DATE FROM months WHERE m < (SELECT max(TO_TIMESTAMP(timestamp))::DATE FROM raw_ratings)) SELECT TO_CHAR(m, 'YYYY-MM') AS empty_month FROM months WHERE NOT EXISTS (SELECT 1 FROM raw_ratings r WHERE DATE_TRUNC('month', TO_TIMESTAMP(r.timestamp))::DATE = months.m)
-- duckdb: WITH RECURSIVE months (m) AS (SELECT date_trunc('month', min(to_timestamp(timestamp)))::DATE FROM raw_ratings UNION ALL SELECT (m + INTERVAL 1 MONTH)::DATE FROM months WHERE m < (SELECT max(to_timestamp(timestamp))::DATE FROM raw_ratings)) SELECT strftime(m, '%Y-%m') AS empty_month FROM months WHERE NOT EXISTS (SELECT 1 FROM raw_ratings r WHERE date_trunc('month', to_timestamp(r.timestamp))::DATE = months.m)

-- Year spine of tag activity, counting years with no tags as zero.
WITH RECURSIVE y(yr) AS (SELECT min(YEAR(TO_TIMESTAMP(timestamp))) FROM raw_tags UNION ALL SELECT yr + 1 FROM y WHERE yr < (SELECT max(YEAR(TO_TIMESTAMP(timestamp))) FROM raw_tags)) SELECT y.yr, count(t.tag) AS tags, count(DISTINCT t.userId) AS taggers FROM y LEFT JOIN raw_tags t ON YEAR(TO_TIMESTAMP(t.timestamp)) = y.yr GROUP BY y.yr ORDER BY y.yr

-- Users with at least 2^k ratings, for k = 0..10 (a doubling series).
WITH RECURSIVE p(k, threshold) AS (SELECT 0, 1 UNION ALL SELECT k + 1, threshold * 2 FROM p WHERE k < 10), u AS (SELECT userId, count(*) AS n FROM raw_ratings GROUP BY userId) SELECT p.k, p.threshold, count(u.userId) AS users FROM p LEFT JOIN u ON u.n >= p.threshold GROUP BY p.k, p.threshold ORDER BY p.k

-- Running total of a user's first 30 ratings, walked one step per round.
WITH RECURSIVE o AS (SELECT userId, rating, ROW_NUMBER() OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS rn FROM raw_ratings WHERE userId <= 20), walk AS (SELECT userId, rn, rating, rating AS running FROM o WHERE rn = 1 UNION ALL SELECT o.userId, o.rn, o.rating, walk.running + o.rating FROM walk JOIN o ON o.userId = walk.userId AND o.rn = walk.rn + 1 WHERE o.rn <= 30) SELECT userId, rn, rating, running FROM walk ORDER BY userId, rn

-- Length of each user's opening streak of ratings of 4 or more.
WITH RECURSIVE o AS (SELECT userId, rating, ROW_NUMBER() OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS rn FROM raw_ratings WHERE userId <= 300), streak AS (SELECT userId, rn FROM o WHERE rn = 1 AND rating >= 4 UNION ALL SELECT o.userId, o.rn FROM streak s JOIN o ON o.userId = s.userId AND o.rn = s.rn + 1 WHERE o.rating >= 4) SELECT userId, max(rn) AS streak_len FROM streak GROUP BY userId ORDER BY userId

-- Chains of movies sharing a first genre: each movie links to the next id of its genre; walk five steps from movies 1-20.
WITH RECURSIVE g AS (SELECT movieId, SPLIT_PART(genres, '|', 1) AS genre, LEAD(movieId) OVER (PARTITION BY SPLIT_PART(genres, '|', 1) ORDER BY movieId) AS next_id FROM raw_movies), chain AS (SELECT movieId AS start_id, movieId AS at_id, 0 AS step FROM g WHERE movieId <= 20 UNION ALL SELECT c.start_id, g.next_id, c.step + 1 FROM chain c JOIN g ON g.movieId = c.at_id WHERE g.next_id IS NOT NULL AND c.step < 5) SELECT start_id, step, at_id FROM chain ORDER BY start_id, step

-- Users reachable from user 4 through movies tagged in common (UNION ends the walk on cycles).
WITH RECURSIVE edges AS (SELECT DISTINCT a.userId AS u, b.userId AS v FROM raw_tags a JOIN raw_tags b ON a.movieId = b.movieId AND a.userId <> b.userId), reach(u) AS (SELECT 4 UNION SELECT e.v FROM reach JOIN edges e ON e.u = reach.u) SELECT count(*) AS reachable, min(u), max(u) FROM reach

-- Genres reachable from Film-Noir by co-occurring on a movie.
WITH RECURSIVE mg AS (SELECT DISTINCT m.movieId, s.value AS genre FROM raw_movies m, LATERAL FLATTEN(input => SPLIT(m.genres, '|')) s), co AS (SELECT DISTINCT a.genre AS g1, b.genre AS g2 FROM mg a JOIN mg b ON a.movieId = b.movieId AND a.genre <> b.genre), reach(genre) AS (SELECT 'Film-Noir' UNION SELECT co.g2 FROM reach JOIN co ON co.g1 = reach.genre) SELECT genre FROM reach
-- duckdb: WITH RECURSIVE mg AS (SELECT DISTINCT movieId, unnest(string_split(genres, '|')) AS genre FROM raw_movies), co AS (SELECT DISTINCT a.genre AS g1, b.genre AS g2 FROM mg a JOIN mg b ON a.movieId = b.movieId AND a.genre <> b.genre), reach(genre) AS (SELECT 'Film-Noir' UNION SELECT co.g2 FROM reach JOIN co ON co.g1 = reach.genre) SELECT genre FROM reach

-- Splitting genres into rows by recursion over SPLIT_PART.
WITH RECURSIVE parts(movieId, k, genre, n_parts) AS (SELECT movieId, 1, SPLIT_PART(genres, '|', 1), LENGTH(genres) - LENGTH(REPLACE(genres, '|', '')) + 1 FROM raw_movies UNION ALL SELECT p.movieId, p.k + 1, SPLIT_PART(m.genres, '|', p.k + 1), p.n_parts FROM parts p JOIN raw_movies m ON m.movieId = p.movieId WHERE p.k < p.n_parts) SELECT genre, count(*) AS movies, max(k) AS deepest FROM parts GROUP BY genre

-- A cycle over user ids walked with UNION: u -> (u * 7) mod 50 + 1 from user 3.
WITH RECURSIVE walk(u) AS (SELECT 3 UNION SELECT (u * 7) % 50 + 1 FROM walk) SELECT w.u, count(r.movieId) AS n FROM walk w LEFT JOIN raw_ratings r ON r.userId = w.u GROUP BY w.u

-- Daily spine over user 17's first rating month, with ratings per day.
WITH RECURSIVE days(d) AS (SELECT min(TO_TIMESTAMP(timestamp))::DATE FROM raw_ratings WHERE userId = 17 UNION ALL SELECT DATEADD(day, 1, d)::DATE FROM days WHERE d < (SELECT DATEADD(day, 30, min(TO_TIMESTAMP(timestamp)))::DATE FROM raw_ratings WHERE userId = 17)) SELECT days.d, TO_CHAR(days.d, 'DY') AS wd, count(r.movieId) AS n FROM days LEFT JOIN raw_ratings r ON r.userId = 17 AND TO_TIMESTAMP(r.timestamp)::DATE = days.d GROUP BY days.d ORDER BY days.d
-- duckdb: WITH RECURSIVE days(d) AS (SELECT min(to_timestamp(timestamp))::DATE FROM raw_ratings WHERE userId = 17 UNION ALL SELECT (d + INTERVAL 1 DAY)::DATE FROM days WHERE d < (SELECT (min(to_timestamp(timestamp)) + INTERVAL 30 DAY)::DATE FROM raw_ratings WHERE userId = 17)) SELECT days.d, strftime(days.d, '%a') AS wd, count(r.movieId) AS n FROM days LEFT JOIN raw_ratings r ON r.userId = 17 AND to_timestamp(r.timestamp)::DATE = days.d GROUP BY days.d ORDER BY days.d

-- The step's values take the anchor's types: a shrinking stock kept as the anchor's BIGINT.
WITH RECURSIVE r(k, v) AS (SELECT 1, CAST(100 AS BIGINT) UNION ALL SELECT k + 1, FLOOR(v * 3 / 4) FROM r WHERE k < 12) SELECT k, v, v * 2 AS doubled FROM r ORDER BY k

-- A path string grown along the chain of a user's first five movies.
WITH RECURSIVE o AS (SELECT userId, movieId, ROW_NUMBER() OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS rn FROM raw_ratings WHERE userId <= 40), p AS (SELECT userId, rn, CAST(movieId AS VARCHAR) AS path FROM o WHERE rn = 1 UNION ALL SELECT o.userId, o.rn, p.path || '>' || o.movieId FROM p JOIN o ON o.userId = p.userId AND o.rn = p.rn + 1 WHERE o.rn <= 5) SELECT userId, path FROM p WHERE rn = 5 ORDER BY userId

-- UNION recursion deduplicates the anchor as well: the rating values reachable upward from user 1's.
WITH RECURSIVE up(v) AS (SELECT rating FROM raw_ratings WHERE userId = 1 UNION SELECT v + 0.5 FROM up WHERE v < 5) SELECT v FROM up

-- A recursive CTE read twice: pairs of months a year apart.
WITH RECURSIVE m(k, d) AS (SELECT 0, DATE '2010-01-01' UNION ALL SELECT k + 1, DATEADD(month, 1, d)::DATE FROM m WHERE k < 35), c AS (SELECT DATE_TRUNC('month', TO_TIMESTAMP(timestamp))::DATE AS d, count(*) AS n FROM raw_ratings GROUP BY 1) SELECT TO_CHAR(a.d, 'MON YYYY') AS month, ca.n AS n, cb.n AS n_year_before FROM m a JOIN m b ON b.k = a.k - 12 LEFT JOIN c ca ON ca.d = a.d LEFT JOIN c cb ON cb.d = b.d ORDER BY a.k
-- duckdb: WITH RECURSIVE m(k, d) AS (SELECT 0, DATE '2010-01-01' UNION ALL SELECT k + 1, (d + INTERVAL 1 MONTH)::DATE FROM m WHERE k < 35), c AS (SELECT date_trunc('month', to_timestamp(timestamp))::DATE AS d, count(*) AS n FROM raw_ratings GROUP BY 1) SELECT strftime(a.d, '%b %Y') AS month, ca.n AS n, cb.n AS n_year_before FROM m a JOIN m b ON b.k = a.k - 12 LEFT JOIN c ca ON ca.d = a.d LEFT JOIN c cb ON cb.d = b.d ORDER BY a.k

-- Hour spine 0-23 with a window share over the recursive rows.
WITH RECURSIVE h(hr) AS (SELECT 0 UNION ALL SELECT hr + 1 FROM h WHERE hr < 23), c AS (SELECT HOUR(TO_TIMESTAMP(timestamp)) AS hr, count(*) AS n FROM raw_ratings WHERE userId <= 50 GROUP BY 1) SELECT h.hr, COALESCE(c.n, 0) AS n, COALESCE(c.n, 0) / SUM(COALESCE(c.n, 0)) OVER () AS share, SUM(COALESCE(c.n, 0)) OVER (ORDER BY h.hr) AS running FROM h LEFT JOIN c ON c.hr = h.hr ORDER BY h.hr

-- Ratings both user 1 and user 2 gave, as a multiset (how often each value is shared).
SELECT rating, count(*) AS shared FROM (SELECT rating FROM raw_ratings WHERE userId = 1 INTERSECT ALL SELECT rating FROM raw_ratings WHERE userId = 2) GROUP BY rating

-- The same with Snowflake's MINUS ALL.
SELECT rating FROM raw_ratings WHERE userId = 3 MINUS ALL SELECT rating FROM raw_ratings WHERE userId = 4
-- duckdb: SELECT rating FROM raw_ratings WHERE userId = 3 EXCEPT ALL SELECT rating FROM raw_ratings WHERE userId = 4

-- How many ratings each movie has beyond its tags (EXCEPT ALL of movie ids).
SELECT movieId, count(*) AS untagged_surplus FROM (SELECT movieId FROM raw_ratings EXCEPT ALL SELECT movieId FROM raw_tags) GROUP BY movieId

-- Tags each user wrote beyond the ratings they gave the same movie (tags on unrated movies, repeated tags).
SELECT userId, count(*) AS extra_tags, count(DISTINCT movieId) AS movies FROM (SELECT userId, movieId FROM raw_tags EXCEPT ALL SELECT userId, movieId FROM raw_ratings) GROUP BY userId

-- (user, movie) pairs both rated and tagged, once per tag written.
SELECT count(*) AS pairs, count(DISTINCT userId) AS users FROM (SELECT userId, movieId FROM raw_tags INTERSECT ALL SELECT userId, movieId FROM raw_ratings)

-- Rating distribution of 2013 against 2012: the surplus of each value, copy for copy.
WITH a AS (SELECT rating FROM raw_ratings WHERE YEAR(TO_TIMESTAMP(timestamp)) = 2013), b AS (SELECT rating FROM raw_ratings WHERE YEAR(TO_TIMESTAMP(timestamp)) = 2012) SELECT rating, count(*) AS surplus_2013 FROM (SELECT rating FROM a EXCEPT ALL SELECT rating FROM b) GROUP BY rating ORDER BY rating

-- Weekday profile shared by two years, copy for copy (multiset intersection of weekday names).
SELECT wd, count(*) AS n FROM (SELECT TO_CHAR(TO_TIMESTAMP(timestamp), 'DY') AS wd FROM raw_ratings WHERE YEAR(TO_TIMESTAMP(timestamp)) = 2000 INTERSECT ALL SELECT TO_CHAR(TO_TIMESTAMP(timestamp), 'DY') FROM raw_ratings WHERE YEAR(TO_TIMESTAMP(timestamp)) = 2010) GROUP BY wd
-- duckdb: SELECT wd, count(*) AS n FROM (SELECT strftime(to_timestamp(timestamp), '%a') AS wd FROM raw_ratings WHERE year(to_timestamp(timestamp)) = 2000 INTERSECT ALL SELECT strftime(to_timestamp(timestamp), '%a') FROM raw_ratings WHERE year(to_timestamp(timestamp)) = 2010) GROUP BY wd

-- NULLs match NULLs in the multiset operations (tmdb ids blanked for every ninth link).
WITH l AS (SELECT movieId, CASE WHEN movieId % 9 = 0 THEN NULL ELSE tmdbId % 5 END AS bucket FROM raw_links) SELECT bucket, count(*) AS n FROM (SELECT bucket FROM l WHERE movieId <= 600 EXCEPT ALL SELECT bucket FROM l WHERE movieId <= 300) GROUP BY bucket

-- INTERSECT ALL with NULL rows on both sides.
WITH l AS (SELECT movieId, CASE WHEN movieId % 9 = 0 THEN NULL ELSE tmdbId % 5 END AS bucket FROM raw_links) SELECT bucket, count(*) AS n FROM (SELECT bucket FROM l WHERE movieId % 2 = 0 INTERSECT ALL SELECT bucket FROM l WHERE movieId % 2 = 1) GROUP BY bucket

-- INTERSECT ALL binds tighter than UNION ALL.
SELECT rating, count(*) AS n FROM (SELECT rating FROM raw_ratings WHERE userId = 5 UNION ALL SELECT rating FROM raw_ratings WHERE userId = 6 INTERSECT ALL SELECT rating FROM raw_ratings WHERE userId = 7) GROUP BY rating

-- Chained multiset differences, left to right.
SELECT movieId, count(*) AS n FROM (SELECT movieId FROM raw_ratings WHERE userId <= 50 EXCEPT ALL SELECT movieId FROM raw_ratings WHERE userId BETWEEN 51 AND 100 EXCEPT ALL SELECT movieId FROM raw_tags) GROUP BY movieId

-- Each user's repeated tags: all tag rows minus one copy of each distinct tag.
SELECT userId, tag, count(*) AS repeats FROM (SELECT userId, tag FROM raw_tags EXCEPT ALL SELECT DISTINCT userId, tag FROM raw_tags) GROUP BY userId, tag

-- The multiset difference, ordered.
SELECT rating FROM raw_ratings WHERE userId = 8 EXCEPT ALL SELECT rating FROM raw_ratings WHERE userId = 9 ORDER BY rating

-- INTERSECT ALL in a CTE read twice (shared rating values of two users, against a third's).
WITH s AS (SELECT rating FROM raw_ratings WHERE userId = 10 INTERSECT ALL SELECT rating FROM raw_ratings WHERE userId = 11) SELECT (SELECT count(*) FROM s) AS shared, (SELECT count(*) FROM (SELECT rating FROM s EXCEPT ALL SELECT rating FROM raw_ratings WHERE userId = 12)) AS beyond_12

-- Whether each movie has been tagged, as a column (EXISTS in the SELECT list).
SELECT m.movieId, m.title, EXISTS (SELECT 1 FROM raw_tags t WHERE t.movieId = m.movieId) AS has_tags FROM raw_movies m

-- Whether each of a user's ratings was followed by a tag on the same movie within a day.
SELECT r.userId, r.movieId, r.rating, EXISTS (SELECT 1 FROM raw_tags t WHERE t.userId = r.userId AND t.movieId = r.movieId AND t.timestamp BETWEEN r.timestamp AND r.timestamp + 86400) AS tagged_soon FROM raw_ratings r WHERE r.userId <= 60

-- Tagged / untagged label with NOT EXISTS inside CASE.
SELECT m.movieId, CASE WHEN NOT EXISTS (SELECT 1 FROM raw_tags t WHERE t.movieId = m.movieId) THEN 'untagged' WHEN EXISTS (SELECT 1 FROM raw_tags t WHERE t.movieId = m.movieId AND t.tag = 'classic') THEN 'classic' ELSE 'tagged' END AS status FROM raw_movies m

-- Ratings of users who either rated at least 5 or tagged that movie (OR of a comparison and EXISTS).
SELECT r.userId, r.movieId, r.rating FROM raw_ratings r WHERE r.userId <= 80 AND (r.rating >= 5 OR EXISTS (SELECT 1 FROM raw_tags t WHERE t.userId = r.userId AND t.movieId = r.movieId))

-- Movies with no genome scores or no tags at all (NOT EXISTS under OR).
SELECT m.movieId FROM raw_movies m WHERE NOT EXISTS (SELECT 1 FROM raw_genome_scores g WHERE g.movieId = m.movieId) OR NOT EXISTS (SELECT 1 FROM raw_tags t WHERE t.movieId = m.movieId)

-- For each rating, whether the user also tagged the movie (correlated IN in the SELECT list).
SELECT r.userId, r.movieId, r.movieId IN (SELECT t.movieId FROM raw_tags t WHERE t.userId = r.userId) AS also_tagged FROM raw_ratings r WHERE r.userId <= 40

-- Share of each user's ratings on movies they tagged (correlated IN in a CTE's SELECT list, then aggregated).
WITH x AS (SELECT r.userId, r.movieId IN (SELECT t.movieId FROM raw_tags t WHERE t.userId = r.userId) AS tagged FROM raw_ratings r WHERE r.userId <= 150) SELECT userId, count(*) AS n, avg(CASE WHEN tagged THEN 1.0 ELSE 0.0 END) AS tagged_share FROM x GROUP BY userId

-- Correlated NOT IN over a column with NULLs: a NULL among the user's bucket values makes it unknown.
WITH l AS (SELECT movieId, CASE WHEN movieId % 7 = 0 THEN NULL ELSE tmdbId % 10 END AS tmdb_bucket FROM raw_links) SELECT r.userId, r.movieId FROM raw_ratings r WHERE r.userId <= 10 AND r.movieId % 10 NOT IN (SELECT l.tmdb_bucket FROM l WHERE l.movieId BETWEEN r.movieId AND r.movieId + 20)

-- Links whose tmdb-derived user id (NULL for some) did not give the movie a 5 among the first 20
-- users: a NULL outer value drops out unless the subquery is empty, where NOT IN is true.
WITH l AS (SELECT movieId, CASE WHEN movieId % 5 = 0 THEN NULL ELSE tmdbId % 20 + 1 END AS u FROM raw_links) SELECT l.movieId, l.u FROM l WHERE l.u NOT IN (SELECT r.userId FROM raw_ratings r WHERE r.movieId = l.movieId AND r.userId <= 20 AND r.rating = 5)

-- NOT IN with NULLs in the SELECT list: true, false or NULL per row.
WITH l AS (SELECT movieId, CASE WHEN movieId % 11 = 0 THEN NULL ELSE tmdbId END AS tmdbId FROM raw_links) SELECT m.movieId, m.movieId * 3 NOT IN (SELECT l.tmdbId FROM l WHERE l.movieId <= m.movieId + 10 AND l.movieId >= m.movieId - 10) AS fresh FROM raw_movies m WHERE m.movieId <= 300

-- Ratings on movies the user did not tag (correlated NOT IN on a non-null column).
SELECT r.userId, count(*) AS untagged_ratings FROM raw_ratings r WHERE r.userId IN (SELECT userId FROM raw_tags) AND r.movieId NOT IN (SELECT t.movieId FROM raw_tags t WHERE t.userId = r.userId) GROUP BY r.userId

-- Users whose rating count exceeds 20 times the number of tags they wrote (scalar subquery in HAVING).
SELECT r.userId, count(*) AS n FROM raw_ratings r GROUP BY r.userId HAVING count(*) > 20 * (SELECT count(*) FROM raw_tags t WHERE t.userId = r.userId)

-- Movies whose average rating exceeds the average of movies sharing their first genre.
SELECT m.movieId, SPLIT_PART(m.genres, '|', 1) AS first_genre, avg(r.rating) AS a FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId GROUP BY m.movieId, m.genres HAVING avg(r.rating) > (SELECT avg(r2.rating) FROM raw_ratings r2 JOIN raw_movies m2 ON m2.movieId = r2.movieId WHERE SPLIT_PART(m2.genres, '|', 1) = SPLIT_PART(m.genres, '|', 1))

-- Each user's ratings next to the tags they wrote (correlated scalar in a grouped SELECT list).
SELECT r.userId, count(*) AS n, avg(r.rating) AS a, (SELECT count(*) FROM raw_tags t WHERE t.userId = r.userId) AS tags FROM raw_ratings r WHERE r.userId <= 200 GROUP BY r.userId

-- Per genre combination: movies, ratings, and the tags on movies of that combination (scalar over a group key).
SELECT m.genres, count(DISTINCT m.movieId) AS movies, count(*) AS ratings, (SELECT count(*) FROM raw_tags t JOIN raw_movies m2 ON m2.movieId = t.movieId WHERE m2.genres = m.genres) AS tags FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId GROUP BY m.genres

-- Yearly rating counts beside the tags written that year.
SELECT r.yr, count(*) AS ratings, (SELECT count(*) FROM raw_tags t WHERE YEAR(TO_TIMESTAMP(t.timestamp)) = r.yr) AS tags FROM (SELECT YEAR(TO_TIMESTAMP(timestamp)) AS yr FROM raw_ratings) r GROUP BY r.yr ORDER BY r.yr

-- Movies rated higher than their taggers rate on the whole (scalar over a join in HAVING).
SELECT r.movieId, avg(r.rating) AS a FROM raw_ratings r GROUP BY r.movieId HAVING avg(r.rating) > (SELECT avg(r2.rating) FROM raw_ratings r2 JOIN raw_tags t ON t.userId = r2.userId WHERE t.movieId = r.movieId)

-- Whether a user's group has any tags, with EXISTS in a grouped SELECT list.
SELECT r.userId, count(*) AS n, EXISTS (SELECT 1 FROM raw_tags t WHERE t.userId = r.userId) AS tagger, CASE WHEN EXISTS (SELECT 1 FROM raw_tags t WHERE t.userId = r.userId AND t.tag = 'funny') THEN 'funny' ELSE '-' END AS funny FROM raw_ratings r WHERE r.userId <= 120 GROUP BY r.userId

-- Each movie's top genome relevance, NULL where it has no genome scores (NOT EXISTS in CASE, scalar in ELSE).
SELECT m.movieId, CASE WHEN NOT EXISTS (SELECT 1 FROM raw_genome_scores g WHERE g.movieId = m.movieId) THEN NULL ELSE (SELECT max(g.relevance) FROM raw_genome_scores g WHERE g.movieId = m.movieId) END AS top_relevance FROM raw_movies m

-- Tags written for a movie the tagger rated 4 or more (correlated IN inside CASE).
SELECT t.userId, t.movieId, t.tag, CASE WHEN t.movieId IN (SELECT r.movieId FROM raw_ratings r WHERE r.userId = t.userId AND r.rating >= 4) THEN 'liked' WHEN t.movieId IN (SELECT r.movieId FROM raw_ratings r WHERE r.userId = t.userId) THEN 'rated' ELSE 'unrated' END AS relation FROM raw_tags t WHERE t.userId <= 50

-- A correlated IN in the SELECT list with NULL outer values (NULL unless the set is empty).
WITH l AS (SELECT movieId, CASE WHEN movieId % 6 = 0 THEN NULL ELSE tmdbId % 30 + 1 END AS u FROM raw_links) SELECT l.movieId, l.u, l.u IN (SELECT r.userId FROM raw_ratings r WHERE r.movieId = l.movieId AND r.userId <= 30) AS rated_by_u FROM l

-- NOT EXISTS in the SELECT list beside NOT IN over the same correlated set.
SELECT m.movieId, NOT EXISTS (SELECT 1 FROM raw_tags t WHERE t.movieId = m.movieId AND t.userId <= 40) AS no_early_tags, m.movieId % 40 NOT IN (SELECT t.userId FROM raw_tags t WHERE t.movieId = m.movieId) AS id_not_a_tagger FROM raw_movies m

-- Tags in title case, words split at spaces only (INITCAP with delimiters).
SELECT tag, INITCAP(tag, ' ') AS pretty, count(*) AS uses FROM raw_tags GROUP BY tag
-- duckdb: SELECT tag, array_to_string(list_transform(string_split(tag, ' '), lambda w: upper(left(w, 1)) || lower(substr(w, 2))), ' ') AS pretty, count(*) AS uses FROM raw_tags GROUP BY tag

-- Only the first letter capitalised (INITCAP with no delimiters), for sentence-style labels.
SELECT DISTINCT tag, INITCAP(tag, '') AS sentence FROM raw_genome_tags WHERE tagId <= 200
-- duckdb: SELECT DISTINCT tag, upper(left(tag, 1)) || lower(substr(tag, 2)) AS sentence FROM raw_genome_tags WHERE tagId <= 200

-- Genre lists with each genre capitalised after '|' and '-' ('Sci-Fi', 'Film-Noir').
SELECT genres, INITCAP(LOWER(genres), '|-') AS cleaned, count(*) AS movies FROM raw_movies GROUP BY genres
-- duckdb: SELECT genres, array_to_string(list_transform(string_split(lower(genres), '|'), lambda g: array_to_string(list_transform(string_split(g, '-'), lambda w: upper(left(w, 1)) || lower(substr(w, 2))), '-')), '|') AS cleaned, count(*) AS movies FROM raw_movies GROUP BY genres

-- First and last genre of every movie with SPLIT_PART (negative parts count from the end).
SELECT SPLIT_PART(genres, '|', 1) AS first_genre, SPLIT_PART(genres, '|', -1) AS last_genre, count(*) AS movies FROM raw_movies GROUP BY 1, 2

-- Release year from the last '(' of the title, by SPLIT_PART.
SELECT SPLIT_PART(SPLIT_PART(title, '(', -1), ')', 1) AS year_text, count(*) AS movies FROM raw_movies GROUP BY 1

-- A readable key per rating from its parts (ARRAY_CONSTRUCT + ARRAY_TO_STRING).
SELECT userId, movieId, ARRAY_TO_STRING(ARRAY_CONSTRUCT(userId, movieId, timestamp), ':') AS rating_key FROM raw_ratings WHERE userId <= 20
-- duckdb: SELECT userId, movieId, array_to_string(list_value(userId, movieId, timestamp), ':') AS rating_key FROM raw_ratings WHERE userId <= 20

-- Tag, title and first genre in one label; NULL parts are left out.
SELECT t.userId, t.movieId, ARRAY_TO_STRING(ARRAY_CONSTRUCT(t.tag, m.title, NULLIF(SPLIT_PART(m.genres, '|', 2), '')), ' | ') AS label FROM raw_tags t JOIN raw_movies m ON m.movieId = t.movieId WHERE t.userId <= 60
-- duckdb: SELECT t.userId, t.movieId, array_to_string(list_value(t.tag, m.title, NULLIF(split_part(m.genres, '|', 2), '')), ' | ') AS label FROM raw_tags t JOIN raw_movies m ON m.movieId = t.movieId WHERE t.userId <= 60

-- A movie's external ids in one string, with the tmdb id blanked for some (left out when NULL).
SELECT l.movieId, ARRAY_TO_STRING(ARRAY_CONSTRUCT('ml' || l.movieId, 'imdb' || l.imdbId, CASE WHEN l.movieId % 4 = 0 THEN NULL ELSE 'tmdb' || l.tmdbId END), ',') AS ids FROM raw_links l
-- duckdb: SELECT l.movieId, array_to_string(list_value('ml' || l.movieId, 'imdb' || l.imdbId, CASE WHEN l.movieId % 4 = 0 THEN NULL ELSE 'tmdb' || l.tmdbId END), ',') AS ids FROM raw_links l

-- Pseudonymous user keys: SHA2 of the user id, with rating counts.
SELECT SHA2(CAST(userId AS VARCHAR)) AS user_key, count(*) AS n FROM raw_ratings GROUP BY userId
-- duckdb: SELECT sha256(CAST(userId AS VARCHAR)) AS user_key, count(*) AS n FROM raw_ratings GROUP BY userId

-- Fingerprint of each tag with SHA2(x, 256), and how many users share it.
SELECT SHA2(tag, 256) AS tag_hash, count(DISTINCT userId) AS users FROM raw_tags GROUP BY tag
-- duckdb: SELECT sha256(tag) AS tag_hash, count(DISTINCT userId) AS users FROM raw_tags GROUP BY tag

-- A stable bucket of users from the first hex digit of their hash.
SELECT LEFT(SHA2(CAST(userId AS VARCHAR)), 1) AS bucket, count(DISTINCT userId) AS users, count(*) AS ratings FROM raw_ratings GROUP BY 1
-- duckdb: SELECT left(sha256(CAST(userId AS VARCHAR)), 1) AS bucket, count(DISTINCT userId) AS users, count(*) AS ratings FROM raw_ratings GROUP BY 1

-- ===== PIVOT and UNPIVOT =====

-- Each user's ratings counted per star value, one column per value.
SELECT * FROM (SELECT userId, rating FROM raw_ratings WHERE userId <= 200) PIVOT (COUNT(*) FOR rating IN (1.0, 2.0, 3.0, 4.0, 5.0)) AS p (user_id, one, two, three, four, five) ORDER BY user_id

-- Average rating per year of rating for a few genres, genres as columns.
WITH g AS (SELECT YEAR(TO_TIMESTAMP(r.timestamp)) AS yr, CASE WHEN m.genres LIKE '%Drama%' THEN 'drama' WHEN m.genres LIKE '%Comedy%' THEN 'comedy' ELSE 'other' END AS genre, r.rating FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId) SELECT * FROM g PIVOT (AVG(rating) FOR genre IN ('drama', 'comedy', 'other')) ORDER BY yr
-- duckdb: WITH g AS (SELECT year(to_timestamp(r.timestamp)) AS yr, CASE WHEN m.genres LIKE '%Drama%' THEN 'drama' WHEN m.genres LIKE '%Comedy%' THEN 'comedy' ELSE 'other' END AS genre, r.rating FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId) SELECT * FROM g PIVOT (avg(rating) FOR genre IN ('drama', 'comedy', 'other')) ORDER BY yr

-- Ratings and their average per half-star bucket of the first users, two aggregates per value.
SELECT * FROM (SELECT userId, CASE WHEN rating >= 4 THEN 'high' ELSE 'low' END AS band, rating FROM raw_ratings WHERE userId <= 150) PIVOT (COUNT(*) AS n, AVG(rating) AS mean FOR band IN ('high', 'low')) ORDER BY userId

-- Snowflake's dynamic pivot over every rating value, missing cells as 0.
SELECT * FROM (SELECT movieId, rating FROM raw_ratings WHERE movieId <= 300) PIVOT (COUNT(*) FOR rating IN (ANY ORDER BY rating)) ORDER BY movieId
-- duckdb: PIVOT (SELECT movieId, rating FROM raw_ratings WHERE movieId <= 300) ON rating USING count(*) GROUP BY movieId ORDER BY movieId

-- A user's first and latest rating side by side, unpivoted back into rows.
WITH t AS (SELECT userId, min(rating) AS lowest, max(rating) AS highest, avg(rating) AS mean FROM raw_ratings WHERE userId <= 300 GROUP BY userId) SELECT * FROM t UNPIVOT (value FOR measure IN (lowest, highest, mean)) ORDER BY userId, measure

-- Counts per genre flag unpivoted into (genre, movies), NULLs kept.
WITH f AS (SELECT movieId, CASE WHEN genres LIKE '%Drama%' THEN 1 END AS drama, CASE WHEN genres LIKE '%Comedy%' THEN 1 END AS comedy FROM raw_movies) SELECT genre, count(flag) AS movies, count(*) AS rows_seen FROM f UNPIVOT INCLUDE NULLS (flag FOR genre IN (drama, comedy)) GROUP BY genre ORDER BY genre

-- ===== Distribution shape, buckets and time slices =====

-- Skew and kurtosis of each popular movie's ratings.
SELECT movieId, count(*) AS n, SKEW(rating) AS skew, KURTOSIS(rating) AS kurt FROM raw_ratings GROUP BY movieId HAVING count(*) >= 50 ORDER BY movieId
-- duckdb: SELECT movieId, count(*) AS n, skewness(rating) AS skew, kurtosis(rating) AS kurt FROM raw_ratings GROUP BY movieId HAVING count(*) >= 50 ORDER BY movieId

-- How lopsided each active user's ratings are, over time stamps too (large values). DuckDB
-- sums plain powers in doubles, which cancel for epoch seconds (user 774's kurtosis off by 1e-7
-- relative; moviecol's equals exact rational arithmetic), so it gets each user's times from
-- their first; both are rounded to 9 places (symmetric users: 0.0 here, 5e-17 in DuckDB).
SELECT userId, ROUND(SKEW(rating), 9) AS rating_skew, ROUND(KURTOSIS(timestamp), 9) AS time_kurtosis FROM raw_ratings GROUP BY userId HAVING count(*) >= 20 ORDER BY userId
-- duckdb: WITH m AS (SELECT userId, min(timestamp) AS t0 FROM raw_ratings GROUP BY userId) SELECT r.userId, round(skewness(r.rating), 9) AS rating_skew, round(kurtosis(r.timestamp - m.t0), 9) AS time_kurtosis FROM raw_ratings r JOIN m ON m.userId = r.userId GROUP BY r.userId HAVING count(*) >= 20 ORDER BY r.userId

-- A histogram of users' average ratings in ten buckets.
WITH u AS (SELECT userId, avg(rating) AS a FROM raw_ratings GROUP BY userId) SELECT WIDTH_BUCKET(a, 0.5, 5.5, 10) AS bucket, count(*) AS users FROM u GROUP BY 1 ORDER BY 1
-- duckdb: WITH u AS (SELECT userId, avg(rating) AS a FROM raw_ratings GROUP BY userId) SELECT CASE WHEN a < 0.5 THEN 0 WHEN a >= 5.5 THEN 11 ELSE CAST(floor((a - 0.5) * 10 / 5.0) AS BIGINT) + 1 END AS bucket, count(*) AS users FROM u GROUP BY 1 ORDER BY 1

-- Ratings per calendar month with TIME_SLICE.
SELECT TIME_SLICE(TO_TIMESTAMP(timestamp), 1, 'MONTH') AS month, count(*) AS ratings, avg(rating) AS mean FROM raw_ratings GROUP BY 1 ORDER BY 1
-- duckdb: SELECT date_trunc('month', make_timestamp(timestamp * 1000000)) AS month, count(*) AS ratings, avg(rating) AS mean FROM raw_ratings GROUP BY 1 ORDER BY 1

-- Busy six-hour slices of the rating log.
SELECT TIME_SLICE(TO_TIMESTAMP(timestamp), 6, 'HOUR') AS slice, count(*) AS ratings FROM raw_ratings GROUP BY 1 HAVING count(*) >= 100 ORDER BY 1
-- duckdb: SELECT make_timestamp((timestamp // 21600) * 21600 * 1000000) AS slice, count(*) AS ratings FROM raw_ratings GROUP BY 1 HAVING count(*) >= 100 ORDER BY 1

-- A seeded 100-percent sample is the whole table.
SELECT count(*), sum(rating) FROM raw_ratings SAMPLE (100) SEED (1)
-- duckdb: SELECT count(*), sum(rating) FROM raw_ratings

-- Sessions of each user: a new one after more than an hour without a rating.
WITH g AS (SELECT userId, movieId, timestamp, timestamp - LAG(timestamp) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS gap FROM raw_ratings WHERE userId <= 300) SELECT userId, CONDITIONAL_TRUE_EVENT(gap > 3600) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS session, count(*) OVER (PARTITION BY userId) AS ratings, movieId FROM g ORDER BY userId, timestamp, movieId
-- duckdb: WITH g AS (SELECT userId, movieId, timestamp, timestamp - LAG(timestamp) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS gap FROM raw_ratings WHERE userId <= 300) SELECT userId, sum(CASE WHEN gap > 3600 THEN 1 ELSE 0 END) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS UNBOUNDED PRECEDING) AS session, count(*) OVER (PARTITION BY userId) AS ratings, movieId FROM g ORDER BY userId, timestamp, movieId

-- How often each user switches between liking and disliking, in rating order.
SELECT userId, max(flips) AS flips, count(*) AS ratings FROM (SELECT userId, CONDITIONAL_CHANGE_EVENT(rating >= 3.5) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS flips FROM raw_ratings) GROUP BY userId ORDER BY userId
-- duckdb: SELECT userId, max(flips) AS flips, count(*) AS ratings FROM (SELECT userId, sum(CASE WHEN liked <> prev THEN 1 ELSE 0 END) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS UNBOUNDED PRECEDING) AS flips FROM (SELECT userId, movieId, timestamp, rating >= 3.5 AS liked, LAG(rating >= 3.5) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS prev FROM raw_ratings)) GROUP BY userId ORDER BY userId

-- Titles that read most like a search term (DuckDB's Jaro-Winkler similarity).
SELECT title, ROUND(JARO_WINKLER_SIMILARITY(LOWER(title), 'star wars'), 9) AS score FROM raw_movies ORDER BY score DESC, title LIMIT 10

-- Tags one transposition or typo away from 'funny' (Damerau-Levenshtein, Levenshtein, Jaro).
SELECT tag, DAMERAU_LEVENSHTEIN(LOWER(tag), 'funny') AS dl, LEVENSHTEIN(LOWER(tag), 'funny') AS lev, ROUND(JARO_SIMILARITY(LOWER(tag), 'funny'), 9) AS jaro, count(*) AS uses FROM raw_tags GROUP BY tag HAVING DAMERAU_LEVENSHTEIN(LOWER(tag), 'funny') <= 2 ORDER BY dl, tag

-- Blocks of a thousand movie ids, by integer division.
SELECT movieId // 1000 AS block, count(*) AS ratings, ROUND(avg(rating), 9) AS mean FROM raw_ratings GROUP BY 1 ORDER BY 1

-- Root mean square distance from a middling 3 stars, with the power operator.
SELECT userId, ROUND(SQRT(avg((rating - 3) ** 2)), 9) AS rms, ROUND(avg(2 ^ rating), 9) AS growth FROM raw_ratings GROUP BY userId ORDER BY userId

-- Geometric mean and product of ratings per genre (GEOMEAN, PRODUCT of at most a few rows).
WITH g AS (SELECT r.rating, r.movieId, s.value AS genre FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId, LATERAL SPLIT_TO_TABLE(m.genres, '|') s) SELECT genre, ROUND(GEOMEAN(rating), 9) AS geo, ROUND(avg(rating), 9) AS mean, count(*) AS n FROM g GROUP BY genre ORDER BY genre
-- duckdb: WITH g AS (SELECT r.rating, r.movieId, unnest(string_split(m.genres, '|')) AS genre FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId) SELECT genre, round(geomean(rating), 9) AS geo, round(avg(rating), 9) AS mean, count(*) AS n FROM g GROUP BY genre ORDER BY genre

-- Compensated sums and averages (always DOUBLE) of the ids and ratings per user.
SELECT userId, FSUM(movieId) AS ids, KAHAN_SUM(rating) AS total, FAVG(rating) AS mean FROM raw_ratings GROUP BY userId ORDER BY userId

-- Each user's active span in seconds and days, from epoch conversions.
SELECT userId, EPOCH(MAX(TO_TIMESTAMP(timestamp))) - EPOCH(MIN(TO_TIMESTAMP(timestamp))) AS seconds, (EPOCH_MS(MAX(TO_TIMESTAMP(timestamp))) - EPOCH_MS(MIN(TO_TIMESTAMP(timestamp)))) // 86400000 AS days FROM raw_ratings GROUP BY userId ORDER BY userId
-- duckdb: SELECT userId, epoch(max(make_timestamp(timestamp * 1000000))) - epoch(min(make_timestamp(timestamp * 1000000))) AS seconds, (epoch_ms(max(make_timestamp(timestamp * 1000000))) - epoch_ms(min(make_timestamp(timestamp * 1000000)))) // 86400000 AS days FROM raw_ratings GROUP BY userId ORDER BY userId

-- Ratings per day, keyed by whole days since 1970 from EPOCH_MS.
SELECT EPOCH_MS(TO_TIMESTAMP(timestamp)) // 86400000 AS day, count(*) AS ratings FROM raw_ratings GROUP BY 1 HAVING count(*) >= 500 ORDER BY 1
-- duckdb: SELECT epoch_ms(make_timestamp(timestamp * 1000000)) // 86400000 AS day, count(*) AS ratings FROM raw_ratings GROUP BY 1 HAVING count(*) >= 500 ORDER BY 1

-- Years written in titles, with REGEXP_SUBSTR_ALL.
SELECT movieId, title, ARRAY_SIZE(REGEXP_SUBSTR_ALL(title, '[0-9]{4}')) AS years, ARRAY_TO_STRING(REGEXP_SUBSTR_ALL(title, '[0-9]{4}'), ',') AS found FROM raw_movies WHERE ARRAY_SIZE(REGEXP_SUBSTR_ALL(title, '[0-9]{4}')) >= 2 ORDER BY movieId
-- duckdb: SELECT movieId, title, len(regexp_extract_all(title, '[0-9]{4}')) AS years, array_to_string(regexp_extract_all(title, '[0-9]{4}'), ',') AS found FROM raw_movies WHERE len(regexp_extract_all(title, '[0-9]{4}')) >= 2 ORDER BY movieId

-- Each user's second-to-last rated movie, NTH_VALUE ... FROM LAST.
SELECT DISTINCT userId, NTH_VALUE(movieId, 2) FROM LAST OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS before_last FROM raw_ratings ORDER BY userId
-- duckdb: SELECT DISTINCT userId, nth_value(movieId, 2) OVER (PARTITION BY userId ORDER BY timestamp DESC, movieId DESC ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS before_last FROM raw_ratings ORDER BY userId

-- Movies whose ids share a factor with 12 (GCD) and the first common multiple with 10 (LCM).
SELECT GCD(movieId, 12) AS g, min(LCM(movieId, 10)) AS first_lcm, count(*) AS movies FROM raw_movies GROUP BY 1 ORDER BY 1

-- When people rate, on the clock of New York and of Berlin (CONVERT_TIMEZONE from UTC).
SELECT HOUR(CONVERT_TIMEZONE('America/New_York', TO_TIMESTAMP(timestamp))) AS ny_hour, count(*) AS ratings, count(DISTINCT DAYNAME(CONVERT_TIMEZONE('Europe/Berlin', TO_TIMESTAMP(timestamp)))) AS berlin_days FROM raw_ratings GROUP BY 1 ORDER BY 1
-- duckdb: SELECT hour((make_timestamp(timestamp * 1000000) AT TIME ZONE 'UTC') AT TIME ZONE 'America/New_York') AS ny_hour, count(*) AS ratings, count(DISTINCT dayname((make_timestamp(timestamp * 1000000) AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Berlin')) AS berlin_days FROM raw_ratings GROUP BY 1 ORDER BY 1

-- Ratings per local calendar day in Tokyo, wall-clock times moved from UTC with three arguments.
SELECT CAST(CONVERT_TIMEZONE('UTC', 'Asia/Tokyo', TO_TIMESTAMP(timestamp)) AS DATE) AS tokyo_day, count(*) AS ratings FROM raw_ratings GROUP BY 1 HAVING count(*) >= 300 ORDER BY 1
-- duckdb: SELECT CAST((make_timestamp(timestamp * 1000000) AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Tokyo' AS DATE) AS tokyo_day, count(*) AS ratings FROM raw_ratings GROUP BY 1 HAVING count(*) >= 300 ORDER BY 1

-- How spread each genre's ratings are over the rating values, in bits (ENTROPY).
WITH g AS (SELECT r.rating, s.value AS genre FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId, LATERAL SPLIT_TO_TABLE(m.genres, '|') s) SELECT genre, ROUND(ENTROPY(rating), 9) AS bits, count(DISTINCT rating) AS values_used FROM g GROUP BY genre ORDER BY genre
-- duckdb: WITH g AS (SELECT r.rating, unnest(string_split(m.genres, '|')) AS genre FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId) SELECT genre, round(entropy(rating), 9) AS bits, count(DISTINCT rating) AS values_used FROM g GROUP BY genre ORDER BY genre

-- Average rating per movie as a two-decimal NUMBER, the way a Snowflake model types a metric column
-- (a DOUBLE rounds as it prints: 4.435 is 4.44, so DuckDB goes through text, where it rounds its binary value).
SELECT movieId, avg(rating)::NUMBER(3,2) AS avg_rating, count(*)::NUMBER AS ratings FROM raw_ratings GROUP BY movieId HAVING count(*) >= 50 ORDER BY movieId
-- duckdb: SELECT movieId, avg(rating)::VARCHAR::DECIMAL(3,2) AS avg_rating, count(*)::DECIMAL(38,0) AS ratings FROM raw_ratings GROUP BY movieId HAVING count(*) >= 50 ORDER BY movieId

-- Share of each user's ratings that are 4 stars or more, as a percentage with one decimal (CAST to DECIMAL).
SELECT userId, CAST(100.0 * COUNT_IF(rating >= 4) / count(*) AS DECIMAL(4,1)) AS pct_high FROM raw_ratings GROUP BY userId HAVING count(*) >= 200 ORDER BY pct_high DESC, userId LIMIT 40
-- duckdb: SELECT userId, CAST(CAST(100.0 * count(*) FILTER (WHERE rating >= 4) / count(*) AS VARCHAR) AS DECIMAL(4,1)) AS pct_high FROM raw_ratings GROUP BY userId HAVING count(*) >= 200 ORDER BY pct_high DESC, userId LIMIT 40

-- Genome relevance scores read back from text at three decimals, with TRY_TO_NUMBER refusing nothing.
SELECT tagId, count(*) AS scores, sum(TRY_TO_NUMBER(CAST(relevance AS VARCHAR), 6, 3)) AS total FROM raw_genome_scores GROUP BY tagId ORDER BY tagId LIMIT 25
-- duckdb: SELECT tagId, count(*) AS scores, sum(TRY_CAST(CAST(relevance AS VARCHAR) AS DECIMAL(6,3))) AS total FROM raw_genome_scores GROUP BY tagId ORDER BY tagId LIMIT 25

-- Ratings bucketed by their average in whole stars: TO_NUMBER rounds half away from zero.
WITH m AS (SELECT movieId, avg(rating) AS a FROM raw_ratings GROUP BY movieId) SELECT TO_NUMBER(a, 2) AS stars, count(*) AS movies FROM m GROUP BY 1 ORDER BY 1
-- duckdb: WITH m AS (SELECT movieId, avg(rating) AS a FROM raw_ratings GROUP BY movieId) SELECT CAST(a AS DECIMAL(2,0)) AS stars, count(*) AS movies FROM m GROUP BY 1 ORDER BY 1

-- How consistent each prolific user's ratings are: the median absolute deviation next to the standard deviation.
SELECT userId, count(*) AS ratings, mad(rating) AS mad_rating, ROUND(STDDEV_SAMP(rating), 9) AS sd FROM raw_ratings GROUP BY userId HAVING count(*) >= 300 ORDER BY mad_rating, userId LIMIT 30

-- Words per title, split on a pattern of spaces and punctuation (DuckDB's REGEXP_SPLIT_TO_ARRAY).
SELECT array_size(regexp_split_to_array(title, '[ ,:.()]+')) AS words, count(*) AS movies FROM raw_movies GROUP BY 1 ORDER BY 1
-- duckdb: SELECT len(regexp_split_to_array(title, '[ ,:.()]+')) AS words, count(*) AS movies FROM raw_movies GROUP BY 1 ORDER BY 1

-- Release years read from the title with TRY, so a title without a year is NULL rather than an error.
SELECT FLOOR(try(CAST(regexp_substr(title, '[(]([0-9]{4})[)]', 1, 1, 'e', 1) AS INTEGER)) / 10) * 10 AS decade, count(*) AS movies FROM raw_movies GROUP BY 1 ORDER BY 1 NULLS LAST
-- duckdb: SELECT floor(try(CAST(nullif(regexp_extract(title, '[(]([0-9]{4})[)]', 1), '') AS INTEGER)) / 10) * 10 AS decade, count(*) AS movies FROM raw_movies GROUP BY 1 ORDER BY 1 NULLS LAST

-- Titles that mention a year in the 1990s anywhere (REGEXP_MATCHES finds the pattern inside the text).
SELECT count(*) AS movies, count(*) FILTER (regexp_matches(title, 'The')) AS with_the FROM raw_movies WHERE regexp_matches(title, '199[0-9]')

-- Genres picked from a list literal, with the rating spread per genre.
WITH g AS (SELECT r.rating, s.value AS genre FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId, LATERAL SPLIT_TO_TABLE(m.genres, '|') s) SELECT genre, count(*) AS ratings, mad(rating) AS mad_rating FROM g WHERE list_contains(['Comedy', 'Drama', 'Horror'], genre) GROUP BY genre ORDER BY genre
-- duckdb: WITH g AS (SELECT r.rating, unnest(string_split(m.genres, '|')) AS genre FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId) SELECT genre, count(*) AS ratings, mad(rating) AS mad_rating FROM g WHERE list_contains(['Comedy', 'Drama', 'Horror'], genre) GROUP BY genre ORDER BY genre

-- Ratings per ISO week of 2015 (DATE_PART week and isoyear).
SELECT DATE_PART('week', TO_TIMESTAMP(timestamp)) AS week, count(*) AS ratings FROM raw_ratings WHERE DATE_PART('isoyear', TO_TIMESTAMP(timestamp)) = 2015 GROUP BY 1 ORDER BY 1
-- duckdb: SELECT date_part('week', make_timestamp(timestamp * 1000000)) AS week, count(*) AS ratings FROM raw_ratings WHERE date_part('isoyear', make_timestamp(timestamp * 1000000)) = 2015 GROUP BY 1 ORDER BY 1

-- Ratings per genre the DuckDB way: UNNEST in the SELECT list, grouped by its alias.
SELECT unnest(string_split(m.genres, '|')) AS genre, count(*) AS ratings, ROUND(avg(r.rating), 9) AS mean FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId GROUP BY genre ORDER BY ratings DESC, genre

-- Each movie's genres, one row each, in the order the movie lists them.
SELECT movieId, unnest(string_split(genres, '|')) AS genre FROM raw_movies WHERE movieId <= 40 ORDER BY movieId, genre

-- Movies per genre count of their own: how many genres a movie lists, then the movies in each genre.
WITH g AS (SELECT movieId, unnest(string_split(genres, '|')) AS genre FROM raw_movies) SELECT genre, count(DISTINCT movieId) AS movies FROM g GROUP BY genre HAVING count(*) > 10 ORDER BY movies DESC, genre

-- A movie's genres next to the words of its title, zipped position by position.
SELECT movieId, unnest(string_split(genres, '|')) AS genre, unnest(string_split(title, ' ')) AS word FROM raw_movies WHERE movieId BETWEEN 100 AND 120 ORDER BY ALL

-- Distinct genres of the highly rated movies (DISTINCT over an UNNEST).
SELECT DISTINCT unnest(string_split(m.genres, '|')) AS genre FROM raw_movies m WHERE m.movieId IN (SELECT movieId FROM raw_ratings GROUP BY movieId HAVING avg(rating) >= 4.5 AND count(*) >= 20) ORDER BY genre

-- Each prolific user's three latest ratings, with a LATERAL subquery ordered and limited per user.
SELECT u.userId, l.movieId, l.rating FROM (SELECT userId FROM raw_ratings GROUP BY userId HAVING count(*) >= 500) u, LATERAL (SELECT r.movieId, r.rating FROM raw_ratings r WHERE r.userId = u.userId ORDER BY r.timestamp DESC, r.movieId LIMIT 3) l ORDER BY u.userId, l.movieId

-- Per genre-less movie, its rating count and mean from a LATERAL aggregate (one row even with no ratings).
SELECT m.movieId, s.n, s.mean FROM raw_movies m LEFT JOIN LATERAL (SELECT count(*) AS n, ROUND(avg(r.rating), 9) AS mean FROM raw_ratings r WHERE r.movieId = m.movieId) s ON TRUE WHERE m.movieId <= 60 ORDER BY m.movieId

-- Movies whose best tag relevance is above 0.9, from a correlated derived table inside EXISTS.
SELECT count(*) AS movies FROM raw_movies m WHERE EXISTS (SELECT 1 FROM (SELECT * FROM raw_genome_scores g WHERE g.movieId = m.movieId) s WHERE s.relevance > 0.9)

-- For each user of the first hundred, how many of their ratings beat their own average, via a derived table that reads the outer user.
SELECT u.userId, (SELECT count(*) FROM (SELECT r.rating FROM raw_ratings r WHERE r.userId = u.userId) s WHERE s.rating > u.mean) AS above FROM (SELECT userId, avg(rating) AS mean FROM raw_ratings WHERE userId <= 100 GROUP BY userId) u ORDER BY u.userId

-- The two most tagged movies of each year since 2010, LATERAL over the years (DuckDB's REGEXP_EXTRACT reads the year).
SELECT y.yr, t.movieId, t.tags FROM (SELECT DISTINCT CAST(regexp_extract(title, '[(]([0-9]{4})[)]', 1) AS INTEGER) AS yr FROM raw_movies WHERE regexp_extract(title, '[(]([0-9]{4})[)]', 1) >= '2010') y, LATERAL (SELECT m.movieId, count(*) AS tags FROM raw_movies m JOIN raw_tags tg ON tg.movieId = m.movieId WHERE TRY_CAST(regexp_extract(m.title, '[(]([0-9]{4})[)]', 1) AS INTEGER) = y.yr GROUP BY m.movieId ORDER BY tags DESC, m.movieId LIMIT 2) t ORDER BY y.yr, t.tags DESC, t.movieId

-- Each movie's first listed genre and its genres in reverse alphabetical order (DuckDB's 1-based list functions).
SELECT movieId, list_extract(string_split(genres, '|'), 1) AS first_genre, array_to_string(list_sort(string_split(genres, '|'), 'DESC'), ',') AS sorted FROM raw_movies WHERE movieId <= 50 ORDER BY movieId

-- Movies whose genres overlap a watch list, and the middle of their genre lists.
SELECT count(*) AS movies, count(*) FILTER (WHERE list_has_all(string_split(genres, '|'), ['Action', 'Thriller'])) AS both_genres, sum(len(list_slice(string_split(genres, '|'), 2, -2))) AS middle FROM raw_movies WHERE list_has_any(string_split(genres, '|'), ['Action', 'Thriller'])

-- Per user of the first fifty, their five-star movies listed, then unnested after the aggregation (list elements are text here: cast back).
SELECT userId, CAST(movie AS INTEGER) AS movie FROM (SELECT userId, unnest(list(movieId ORDER BY movieId)) AS movie FROM raw_ratings WHERE userId <= 50 AND rating = 5 GROUP BY userId) ORDER BY userId, movie

-- A running count next to each genre of the first movies: the window before the UNNEST.
SELECT movieId, unnest(string_split(genres, '|')) AS genre, row_number() OVER (ORDER BY movieId) AS nth FROM raw_movies WHERE movieId <= 30 ORDER BY movieId, genre

-- Each user's moving median over their last 20 ratings and a moving 90th percentile, averaged per user (the rank tree).
SELECT userId, round(avg(md), 9) AS avg_median, round(avg(p9), 9) AS avg_p90 FROM (SELECT userId, MEDIAN(rating) OVER w AS md, PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY rating) OVER w AS p9 FROM raw_ratings WINDOW w AS (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 19 PRECEDING AND CURRENT ROW)) GROUP BY userId ORDER BY userId LIMIT 100
-- duckdb: SELECT userId, round(avg(md), 9) AS avg_median, round(avg(p9), 9) AS avg_p90 FROM (SELECT userId, MEDIAN(rating) OVER w AS md, quantile_disc(rating, 0.9) OVER w AS p9 FROM raw_ratings WINDOW w AS (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 19 PRECEDING AND CURRENT ROW)) GROUP BY userId ORDER BY userId LIMIT 100

-- A centred moving median of each movie's ratings (ten before, ten after), per movie's first rows.
SELECT movieId, timestamp, userId, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY rating) OVER (PARTITION BY movieId ORDER BY timestamp, userId ROWS BETWEEN 10 PRECEDING AND 10 FOLLOWING) AS centred FROM raw_ratings WHERE movieId <= 20 ORDER BY movieId, timestamp, userId
-- duckdb: SELECT movieId, timestamp, userId, quantile_cont(rating, 0.5) OVER (PARTITION BY movieId ORDER BY timestamp, userId ROWS BETWEEN 10 PRECEDING AND 10 FOLLOWING) AS centred FROM raw_ratings WHERE movieId <= 20 ORDER BY movieId, timestamp, userId

-- For the first movies, how many of their ratings come from users who also tagged the movie (a correlated derived table joined to another table).
SELECT m.movieId, (SELECT count(*) FROM (SELECT * FROM raw_ratings r WHERE r.movieId = m.movieId) s JOIN raw_tags t ON t.userId = s.userId AND t.movieId = s.movieId) AS tagged_ratings FROM raw_movies m WHERE m.movieId <= 60 ORDER BY m.movieId

-- A placeholder column typed by its use: a CTE's NULL note compared and coalesced.
WITH notes AS (SELECT movieId, NULL AS note FROM raw_movies) SELECT count(*) AS movies, count(*) FILTER (WHERE note = 'x') AS noted, min(coalesce(note, 'none')) AS fallback FROM notes

-- Every id column's range and the ratings' spread in one line, with DuckDB's COLUMNS(...).
SELECT min(COLUMNS('Id$')), max(COLUMNS('Id$')), count(DISTINCT COLUMNS('^(userId|movieId)$')) FROM raw_ratings WHERE COLUMNS('Id$') > 10

-- Per user of the first ten, the averages of every numeric rating column picked by a list of names.
SELECT userId, round(avg(COLUMNS(['rating', 'timestamp'])), 6) FROM raw_ratings WHERE userId <= 10 GROUP BY userId ORDER BY userId

-- Each of the first hundred users' latest movie and the rating they gave it, with DuckDB's FIRST(... ORDER BY ...).
SELECT userId, first(movieId ORDER BY timestamp DESC, movieId) AS latest_movie, first(rating ORDER BY timestamp DESC, movieId) AS latest_rating, last(rating ORDER BY timestamp DESC, movieId) AS earliest_rating FROM raw_ratings WHERE userId <= 100 GROUP BY userId ORDER BY userId

-- Distinct raters over each day's trailing 30 days (a rolling distinct count over a RANGE frame), for the first users.
SELECT day, max(raters) AS raters FROM (SELECT timestamp // 86400 AS day, COUNT(DISTINCT userId) OVER (ORDER BY timestamp // 86400 RANGE BETWEEN 29 PRECEDING AND CURRENT ROW) AS raters FROM raw_ratings WHERE userId <= 300) GROUP BY day ORDER BY day

-- Distinct genres-lists among each movie's neighbours by id (a centred window of 11 movies).
SELECT movieId, COUNT(DISTINCT genres) OVER (ORDER BY movieId ROWS BETWEEN 5 PRECEDING AND 5 FOLLOWING) AS variety FROM raw_movies ORDER BY movieId LIMIT 200

-- Snowflake's ASOF JOIN: for each of the first users' ratings, how long since the last tag they applied at or before it.
SELECT r.userId, count(*) AS ratings, count(t.tag) AS after_a_tag, sum(r.timestamp - t.timestamp) AS seconds_since FROM raw_ratings r ASOF JOIN raw_tags t MATCH_CONDITION (r.timestamp >= t.timestamp) ON r.userId = t.userId WHERE r.userId <= 300 GROUP BY r.userId ORDER BY r.userId
-- duckdb: SELECT r.userId, count(*) AS ratings, count(t.tag) AS after_a_tag, sum(r.timestamp - t.timestamp) AS seconds_since FROM raw_ratings r ASOF LEFT JOIN raw_tags t ON r.userId = t.userId AND r.timestamp >= t.timestamp WHERE r.userId <= 300 GROUP BY r.userId ORDER BY r.userId

-- The next tag a user applied strictly after each rating (ASOF with >), counted per movie for the first movies.
SELECT r.movieId, count(*) AS followed, min(t.timestamp - r.timestamp) AS soonest FROM raw_ratings r ASOF JOIN raw_tags t ON t.userId = r.userId AND t.timestamp > r.timestamp WHERE r.movieId <= 50 GROUP BY r.movieId ORDER BY r.movieId

-- Ratings packed as JSON events (OBJECT_CONSTRUCT), then read back through a path: the average per user of the first users.
SELECT e:user::INT AS userId, count(*) AS n, avg(e:stars::DOUBLE) AS stars FROM (SELECT object_construct('user', userId, 'movie', movieId, 'stars', rating) AS e FROM raw_ratings WHERE userId <= 200) GROUP BY 1 ORDER BY 1
-- duckdb: SELECT CAST(json_extract_string(e, '$.user') AS INT) AS userId, count(*) AS n, avg(CAST(json_extract_string(e, '$.stars') AS DOUBLE)) AS stars FROM (SELECT json_object('user', userId, 'movie', movieId, 'stars', rating) AS e FROM raw_ratings WHERE userId <= 200) GROUP BY 1 ORDER BY 1

-- A JSON document per movie with its genres as an array; the second genre read back by a path.
SELECT movieId, parse_json('{"title": "' || replace(title, '"', '') || '", "genres": ["' || replace(genres, '|', '","') || '"]}'):genres[1] AS second_genre FROM raw_movies WHERE movieId <= 300 ORDER BY movieId
-- duckdb: SELECT movieId, json_extract_string(json('{"title": "' || replace(title, '"', '') || '", "genres": ["' || replace(genres, '|', '","') || '"]}'), '$.genres[1]') AS second_genre FROM raw_movies WHERE movieId <= 300 ORDER BY movieId
