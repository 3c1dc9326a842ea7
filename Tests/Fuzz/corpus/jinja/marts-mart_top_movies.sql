-- Dashboard: Top Movies by Avg Rating.
select
    movies.movie_id,
    movies.movie_title,
    avg(ratings.rating) as avg_rating,
    count(*) as rating_count
from {{ ref('dim_movies') }} movies
join {{ ref('fct_ratings') }} ratings on movies.movie_id = ratings.movie_id
group by movies.movie_id, movies.movie_title
having count(*) >= {{ var('top_movies_min_ratings', 100) }}
