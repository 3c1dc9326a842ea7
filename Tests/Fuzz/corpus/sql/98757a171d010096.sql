WITH RECURSIVE t(level, total) AS (SELECT 0, 1 UNION ALL SELECT 0, 2 UNION ALL SELECT max(level) + 1, sum(total) FROM t HAVING max(level) < 3)
SELECT level, total FROM t ORDER BY level, total