SELECT userId, median(rating), percentile_cont(0.25) WITHIN GROUP (ORDER BY rating),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY rating DESC), percentile_disc(0.5) WITHIN GROUP (ORDER BY rating),
       percentile_disc(0.6) WITHIN GROUP (ORDER BY rating)
FROM raw_ratings GROUP BY userId