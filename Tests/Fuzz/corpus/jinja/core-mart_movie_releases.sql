with ratings as (
    select * from {{ ref('fct_ratings') }}
),

release_dates as (
    select * from {{ ref('seed_movie_release_dates') }}
)

select
    ratings.*,
    case when release_dates.movie_id is null then 'unknown' else 'known' end as release_info_available
from ratings
left join release_dates on ratings.movie_id = release_dates.movie_id
