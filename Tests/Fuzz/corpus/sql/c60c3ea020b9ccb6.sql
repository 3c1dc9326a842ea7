SELECT userId, rating >= 4 AS good, count(*), grouping(good, userId) FROM raw_ratings WHERE userId IN (1, 3)
GROUP BY CUBE(userId, good) ORDER BY 4, 1, 2