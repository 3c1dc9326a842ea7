-- Dashboard: Top Tags by Genome Relevance. The top movie of a tag has its highest
-- relevance score; ties go to the smallest movie id.
with scores as (
    select
        scores.movie_id,
        scores.tag_id,
        scores.relevance_score,
        tags.tag_name
    from {{ ref('fct_genome_scores') }} scores
    join {{ ref('dim_genome_tags') }} tags on scores.tag_id = tags.tag_id
    join {{ ref('dim_movies') }} movies on scores.movie_id = movies.movie_id
),

per_tag as (
    select
        tag_id,
        tag_name,
        count(distinct movie_id) as movie_count,
        avg(relevance_score) as avg_relevance,
        max(relevance_score) as top_score
    from scores
    group by tag_id, tag_name
),

top_movie as (
    select
        scores.tag_id,
        min(scores.movie_id) as top_movie_id
    from scores
    join per_tag on scores.tag_id = per_tag.tag_id and scores.relevance_score = per_tag.top_score
    group by scores.tag_id
)

select
    per_tag.tag_id,
    per_tag.tag_name,
    per_tag.movie_count,
    per_tag.avg_relevance,
    top_movie.top_movie_id,
    movies.movie_title as top_movie_title
from per_tag
join top_movie on per_tag.tag_id = top_movie.tag_id
join {{ ref('dim_movies') }} movies on top_movie.top_movie_id = movies.movie_id
