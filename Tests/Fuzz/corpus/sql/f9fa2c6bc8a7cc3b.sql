WITH RECURSIVE chain(start, cur, depth) AS (
    SELECT movieId, movieId, 0 FROM raw_movies WHERE movieId <= 3
    UNION ALL
    SELECT c.start, m.movieId, c.depth + 1 FROM chain c JOIN raw_movies m ON m.movieId = c.cur + 1 WHERE c.depth < 2
)
SELECT start, count(*) FROM chain GROUP BY start ORDER BY start