-- Dashboard: Genre-wise Avg Ratings.
with movie_genres as (
    select
        movies.movie_id,
        genre.value as genre
    from {{ ref('dim_movies') }} movies,
        lateral flatten(input => movies.genre_array) genre
)

select
    movie_genres.genre,
    count(distinct movie_genres.movie_id) as movie_count,
    count(ratings.rating) as rating_count,
    avg(ratings.rating) as avg_rating
from movie_genres
left join {{ ref('fct_ratings') }} ratings on movie_genres.movie_id = ratings.movie_id
group by movie_genres.genre
