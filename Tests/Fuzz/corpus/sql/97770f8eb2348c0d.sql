SELECT last_day(DATE '2020-02-10'), dayname(DATE '2020-01-01'), monthname(DATE '2020-12-01'), quarter(DATE '2020-05-05'),
       dayofweek(DATE '2020-01-05'), dayofyear(DATE '2020-02-01')