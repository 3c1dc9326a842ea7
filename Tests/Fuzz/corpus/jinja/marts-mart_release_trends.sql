-- Dashboard: Yearly Release Trends. The release year is a "(YYYY)" that ends the title;
-- titles without one (or with a range such as "(2007-2013)") are left out.
with movies as (
    select
        movie_id,
        cast(substr(regexp_substr(movie_title, '[(][0-9]{4}[)]$'), 2, 4) as int) as release_year
    from {{ ref('dim_movies') }}
)

select
    movies.release_year,
    count(distinct movies.movie_id) as movie_count,
    count(ratings.rating) as rating_count,
    avg(ratings.rating) as avg_rating
from movies
left join {{ ref('fct_ratings') }} ratings on movies.movie_id = ratings.movie_id
where movies.release_year is not null
group by movies.release_year
