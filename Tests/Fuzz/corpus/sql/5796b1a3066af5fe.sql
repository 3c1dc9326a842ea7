SELECT to_date('2024-03-05', 'AUTO'), to_timestamp('2024-03-05 10:11:12', 'auto'), to_timestamp(1700000000123, 3), to_timestamp(1700000000, 0),
       to_timestamp(1700000000123456789, 9)