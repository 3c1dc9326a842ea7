{{ config(materialized='incremental', unique_key='id', tags=['a']) }}
select * from {{ ref('stg_ratings') }}
{% if is_incremental() %}where ts > (select max(ts) from {{ this }}){% endif %}