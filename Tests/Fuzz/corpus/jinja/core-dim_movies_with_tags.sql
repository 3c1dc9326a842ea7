with movies as (
    select * from {{ ref('dim_movies') }}
),

scores as (
    select * from {{ ref('fct_genome_scores') }}
),

tags as (
    select * from {{ ref('dim_genome_tags') }}
)

select
    movies.movie_id,
    movies.movie_title,
    movies.genres,
    tags.tag_name,
    scores.relevance_score
from movies
left join scores on movies.movie_id = scores.movie_id
left join tags on scores.tag_id = tags.tag_id
