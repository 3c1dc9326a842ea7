SELECT movieId, equal_null(tmdbId, NULL), tmdbId IS DISTINCT FROM 862, tmdbId IS NOT DISTINCT FROM NULL, decode(tmdbId, NULL, 'no link', 'linked')
FROM raw_links ORDER BY 1