SELECT strftime(TIMESTAMP '2024-03-05 14:07:09.5', '%Y/%m/%d %H:%M:%S.%f %a %A %b %B %j %p %I %-d %-m %w %u %%'),
       strptime('05/03/2024 10:11', '%d/%m/%Y %H:%M'), try_strptime('x', '%Y')