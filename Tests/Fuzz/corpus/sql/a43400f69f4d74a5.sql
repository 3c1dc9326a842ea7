SELECT r.userId, s.userId, r.rating FROM raw_ratings r, raw_ratings s, raw_movies m
WHERE r.movieId = s.movieId AND r.userId < s.userId AND m.movieId = r.movieId AND m.genres LIKE '%Comedy%' AND r.rating = s.rating
ORDER BY 1, 2, 3