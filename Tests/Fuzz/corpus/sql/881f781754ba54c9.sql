SELECT userId, count_if(rating >= 4), count_if(rating IS NULL), bool_and(rating >= 1), bool_or(rating = 5), booland_agg(rating), boolor_agg(rating > 4.5)
FROM raw_ratings GROUP BY userId