-- Every genome relevance score lies in [0, 1].
select *
from {{ ref('fct_genome_scores') }}
where relevance_score < 0 or relevance_score > 1
