SELECT userId, movieId, median(rating) OVER (PARTITION BY userId), stddev(rating) OVER (PARTITION BY userId),
       listagg(movieId, ',') OVER (PARTITION BY userId), count_if(rating >= 4) OVER (),
       approx_percentile(rating, 0.9) OVER (PARTITION BY userId ORDER BY timestamp ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
FROM raw_ratings ORDER BY 1, 2