SELECT g, product(x), geomean(x), fsum(x), favg(x) FROM (VALUES (1, 2.0), (1, -1.0), (2, 0.0)) t(g, x) GROUP BY g
