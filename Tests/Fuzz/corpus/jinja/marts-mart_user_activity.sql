-- Dashboard: Most Active Users.
select
    user_id,
    count(*) as rating_count,
    avg(rating) as avg_rating,
    min(rating_timestamp) as first_rating_at,
    max(rating_timestamp) as last_rating_at
from {{ ref('fct_ratings') }}
group by user_id
