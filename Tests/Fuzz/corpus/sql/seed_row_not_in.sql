SELECT a, b FROM (VALUES (1, 1), (2, NULL), (NULL, 3)) v(a, b) WHERE (a, b) NOT IN (SELECT * FROM (VALUES (1, NULL), (NULL, 3)) w(x, y))
