SELECT a // 2, a ** 2, 2 ^ a, epoch_ms(TIMESTAMP '2020-01-01'), make_timestamp(2020, 1, 2, 3, 4, 5.5) FROM (VALUES (1), (NULL), (-7)) t(a)
