SELECT regexp_replace('Hello World', 'o', '0'), regexp_replace('Hello World', 'o', '0', 1, 2), regexp_replace('abc abc', '(a)(b)', '\\2\\1'),
       regexp_like('abc', 'a.c'), regexp_like('xabc', 'a.c'), rlike('ABC', 'abc', 'i'), regexp_count('banana', 'an'),
       regexp_count('banana', 'a', 3), regexp_instr('banana', 'an', 1, 2), regexp_instr('banana', 'an', 1, 1, 1)