SELECT coalesce(genres, 'all genres'), count(*) FROM raw_movies GROUP BY ROLLUP(genres)
HAVING count(*) > 1 OR grouping(genres) = 1 ORDER BY grouping(genres), 2 DESC, 1