SELECT approx_count_distinct(userId), approx_count_distinct(movieId), approx_count_distinct(rating), approx_count_distinct(tmdbId)
FROM raw_ratings LEFT JOIN raw_links USING (movieId)