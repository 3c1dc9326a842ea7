SELECT regr_r2(rating, movieId), regr_count(rating, movieId), regr_avgx(rating, movieId), regr_avgy(rating, movieId),
       regr_sxx(rating, movieId), regr_syy(rating, movieId), regr_sxy(rating, movieId)
FROM raw_ratings