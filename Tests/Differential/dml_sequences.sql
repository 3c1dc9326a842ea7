-- Differential statement sequences: each sequence runs on a fresh moviecol warehouse and a
-- fresh DuckDB database (Tests/Differential/statement_sequences.py); the queries must agree.
-- A query returning several rows needs an ORDER BY that makes the order total. A statement
-- after a line `-- error` must fail on both engines.

-- sequence: tutorial crud
CREATE TABLE customers (id INTEGER NOT NULL, name VARCHAR, city VARCHAR, balance DOUBLE);
INSERT INTO customers VALUES (1, 'Alice', 'Paris', 120.5), (2, 'Bob', 'Berlin', 80.0), (3, 'Carol', 'Paris', 0.0);
SELECT * FROM customers ORDER BY id;
UPDATE customers SET balance = balance + 10 WHERE city = 'Paris';
SELECT id, balance FROM customers ORDER BY id;
DELETE FROM customers WHERE id = 2;
SELECT * FROM customers ORDER BY id;
INSERT INTO customers VALUES (4, 'Dan', 'Rome', 5.25);
SELECT count(*), sum(balance), min(name), max(name) FROM customers;

-- sequence: insert with column list in another order
CREATE TABLE items (sku VARCHAR, qty INTEGER, price DOUBLE, note VARCHAR);
INSERT INTO items (price, sku) VALUES (9.99, 'A-1'), (1.5, 'B-2');
INSERT INTO items (qty, note, sku) VALUES (3, 'restock', 'C-3');
INSERT INTO items (sku, qty, price, note) VALUES ('D-4', 0, 0.0, '');
SELECT sku, qty, price, note FROM items ORDER BY sku;
SELECT count(qty), count(price), count(note), count(*) FROM items;
SELECT sku FROM items WHERE note = '' ORDER BY sku;
SELECT sku FROM items WHERE note IS NULL ORDER BY sku;

-- sequence: insert select between tables
CREATE TABLE src (id INTEGER, grp VARCHAR, val DOUBLE);
INSERT INTO src VALUES (1, 'a', 1.0), (2, 'a', 2.5), (3, 'b', -1.0), (4, 'c', NULL), (5, 'b', 4.0);
CREATE TABLE dst (grp VARCHAR, total DOUBLE, n BIGINT);
INSERT INTO dst SELECT grp, sum(val), count(*) FROM src GROUP BY grp;
SELECT * FROM dst ORDER BY grp;
INSERT INTO dst (grp, n) SELECT 'z', count(*) FROM src WHERE val > 1;
SELECT * FROM dst ORDER BY grp;
INSERT INTO dst SELECT grp || '2', total * 2, n + 1 FROM dst WHERE total IS NOT NULL;
SELECT grp, total, n FROM dst ORDER BY grp;

-- sequence: update every row without where
CREATE TABLE prices (product VARCHAR, price DOUBLE, currency VARCHAR);
INSERT INTO prices VALUES ('tea', 3.5, 'EUR'), ('coffee', 2.25, 'EUR'), ('cake', 4.0, 'EUR'), ('water', NULL, 'EUR');
UPDATE prices SET price = price * 1.1, currency = 'USD';
SELECT product, price, currency FROM prices ORDER BY product;
UPDATE prices SET price = round(price, 2);
SELECT product, price FROM prices ORDER BY product;
SELECT count(*) FROM prices WHERE currency = 'USD';

-- sequence: update swaps columns using old values
CREATE TABLE pairs (k INTEGER, a VARCHAR, b VARCHAR, x INTEGER, y INTEGER);
INSERT INTO pairs VALUES (1, 'left', 'right', 10, 20), (2, 'up', 'down', -1, 1), (3, NULL, 'only b', NULL, 7);
UPDATE pairs SET a = b, b = a, x = y, y = x;
SELECT * FROM pairs ORDER BY k;
UPDATE pairs SET x = x + y, y = x - y WHERE k <> 3;
SELECT k, x, y FROM pairs ORDER BY k;

-- sequence: update with case expressions
CREATE TABLE grades (student VARCHAR, score INTEGER, grade VARCHAR);
INSERT INTO grades (student, score) VALUES ('ann', 91), ('ben', 78), ('cat', 65), ('dov', 42), ('eve', NULL), ('fay', 80);
UPDATE grades SET grade = CASE WHEN score >= 90 THEN 'A' WHEN score >= 80 THEN 'B' WHEN score >= 70 THEN 'C' WHEN score >= 50 THEN 'D' ELSE 'F' END;
SELECT student, score, grade FROM grades ORDER BY student;
SELECT grade, count(*) AS n FROM grades GROUP BY grade ORDER BY grade;
UPDATE grades SET score = score + 5 WHERE grade IN ('C', 'D');
UPDATE grades SET grade = CASE WHEN score >= 80 THEN 'B' WHEN score >= 70 THEN 'C' ELSE grade END WHERE grade IN ('C', 'D');
SELECT student, score, grade FROM grades ORDER BY student;

-- sequence: delete with between like and in list
CREATE TABLE logs (id INTEGER, level VARCHAR, msg VARCHAR, logged DATE);
INSERT INTO logs VALUES (1, 'INFO', 'started', '2024-03-01'), (2, 'DEBUG', 'x=1', '2024-03-01'), (3, 'WARN', 'disk 91%', '2024-03-02'), (4, 'DEBUG', 'x=2', '2024-03-03'), (5, 'ERROR', 'failed: timeout', '2024-03-04'), (6, 'INFO', 'stopped', '2024-03-05'), (7, 'DEBUG', 'trace', '2024-03-06');
DELETE FROM logs WHERE level = 'DEBUG' AND logged BETWEEN '2024-03-01' AND '2024-03-03';
SELECT id, level FROM logs ORDER BY id;
DELETE FROM logs WHERE msg LIKE 'fail%';
SELECT id, msg FROM logs ORDER BY id;
DELETE FROM logs WHERE id IN (1, 6, 99);
SELECT id, level, msg, logged FROM logs ORDER BY id;

-- sequence: changes that match no rows
CREATE TABLE t (id INTEGER, v VARCHAR);
INSERT INTO t VALUES (1, 'one'), (2, 'two');
UPDATE t SET v = 'changed' WHERE id > 100;
DELETE FROM t WHERE v = 'three';
DELETE FROM t WHERE 1 = 0;
UPDATE t SET v = NULL WHERE false;
SELECT * FROM t ORDER BY id;
SELECT * FROM t WHERE id > 100;
SELECT count(*) FROM t WHERE v = 'changed';

-- sequence: delete everything then insert again
CREATE TABLE queue (id INTEGER, payload VARCHAR);
INSERT INTO queue VALUES (1, 'a'), (2, 'b'), (3, 'c');
DELETE FROM queue;
SELECT count(*) FROM queue;
SELECT * FROM queue;
INSERT INTO queue VALUES (4, 'd'), (5, 'e');
SELECT * FROM queue ORDER BY id;
DELETE FROM queue WHERE id = 4;
INSERT INTO queue SELECT id + 10, upper(payload) FROM queue;
SELECT * FROM queue ORDER BY id;

-- sequence: repeated changes to the same row
CREATE TABLE counters (name VARCHAR, hits BIGINT, last_note VARCHAR);
INSERT INTO counters VALUES ('home', 0, NULL), ('about', 0, NULL);
UPDATE counters SET hits = hits + 1, last_note = 'first' WHERE name = 'home';
UPDATE counters SET hits = hits + 1, last_note = 'second' WHERE name = 'home';
UPDATE counters SET hits = hits * 10 WHERE name = 'home';
UPDATE counters SET hits = hits + 1 WHERE name = 'about';
UPDATE counters SET hits = hits - 3, last_note = last_note || '!' WHERE name = 'home';
SELECT * FROM counters ORDER BY name;
DELETE FROM counters WHERE name = 'home';
INSERT INTO counters VALUES ('home', 100, 'reborn');
UPDATE counters SET hits = hits + 1 WHERE name = 'home';
SELECT * FROM counters ORDER BY name;

-- sequence: ctas copies are independent
CREATE TABLE base (id INTEGER, v DOUBLE);
INSERT INTO base VALUES (1, 1.5), (2, 2.5), (3, 3.5);
CREATE TABLE copy1 AS SELECT * FROM base;
UPDATE base SET v = v * 100;
DELETE FROM copy1 WHERE id = 2;
SELECT 'base' AS t, id, v FROM base UNION ALL SELECT 'copy', id, v FROM copy1 ORDER BY t, id;
CREATE TABLE copy2 AS SELECT id, v / 100 AS v FROM base WHERE id <> 1;
INSERT INTO copy1 SELECT * FROM copy2;
SELECT id, v FROM copy1 ORDER BY id, v;

-- sequence: create or replace table
CREATE TABLE snap (id INTEGER, label VARCHAR);
INSERT INTO snap VALUES (1, 'old'), (2, 'old');
CREATE OR REPLACE TABLE snap AS SELECT id, label, id * 2 AS twice FROM snap WHERE id = 2;
SELECT * FROM snap ORDER BY id;
INSERT INTO snap VALUES (5, 'new', 10);
CREATE OR REPLACE TABLE snap (id INTEGER, note VARCHAR DEFAULT 'empty');
INSERT INTO snap (id) VALUES (9);
SELECT * FROM snap ORDER BY id;

-- sequence: drop and recreate with another schema
CREATE TABLE things (a INTEGER, b VARCHAR);
INSERT INTO things VALUES (1, 'x');
DROP TABLE things;
-- error
SELECT * FROM things;
CREATE TABLE things (a VARCHAR, c DATE);
INSERT INTO things VALUES ('1', '2020-02-29');
SELECT a, c FROM things ORDER BY a;
-- error
SELECT b FROM things;
DROP TABLE IF EXISTS things;
DROP TABLE IF EXISTS things;
-- error
DROP TABLE things;

-- sequence: view follows base table changes
CREATE TABLE sales (region VARCHAR, amount DOUBLE, sold DATE);
INSERT INTO sales VALUES ('north', 100.0, '2024-01-05'), ('south', 50.0, '2024-01-07'), ('north', 25.5, '2024-02-01');
CREATE VIEW region_totals AS SELECT region, sum(amount) AS total, count(*) AS n FROM sales GROUP BY region;
SELECT * FROM region_totals ORDER BY region;
UPDATE sales SET region = 'south' WHERE amount < 30;
SELECT * FROM region_totals ORDER BY region;
DELETE FROM sales WHERE region = 'north';
INSERT INTO sales VALUES ('east', 7.0, '2024-03-01');
SELECT * FROM region_totals ORDER BY region;
CREATE OR REPLACE VIEW region_totals AS SELECT region, max(amount) AS top FROM sales GROUP BY region;
SELECT * FROM region_totals ORDER BY region;

-- sequence: view with join after changes on both sides
CREATE TABLE depts (dept_id INTEGER, dept VARCHAR);
CREATE TABLE emps (emp_id INTEGER, dept_id INTEGER, salary DOUBLE);
INSERT INTO depts VALUES (1, 'eng'), (2, 'ops'), (3, 'sales');
INSERT INTO emps VALUES (10, 1, 100.0), (11, 1, 120.0), (12, 2, 90.0), (13, NULL, 50.0);
CREATE VIEW payroll AS SELECT d.dept, count(e.emp_id) AS heads, coalesce(sum(e.salary), 0) AS cost FROM depts d LEFT JOIN emps e ON e.dept_id = d.dept_id GROUP BY d.dept;
SELECT * FROM payroll ORDER BY dept;
UPDATE emps SET dept_id = 3 WHERE emp_id IN (11, 13);
DELETE FROM depts WHERE dept = 'ops';
SELECT * FROM payroll ORDER BY dept;
DROP VIEW payroll;
-- error
SELECT * FROM payroll;

-- sequence: null in set and where
CREATE TABLE people (id INTEGER, nick VARCHAR, age INTEGER);
INSERT INTO people VALUES (1, 'al', 30), (2, NULL, 40), (3, 'cy', NULL), (4, NULL, NULL);
UPDATE people SET age = NULL WHERE nick = 'al';
UPDATE people SET nick = 'none' WHERE nick IS NULL;
SELECT * FROM people ORDER BY id;
UPDATE people SET age = 0 WHERE age <> 40;
SELECT id, age FROM people ORDER BY id;
UPDATE people SET age = coalesce(age, -1);
SELECT id, nick, age FROM people ORDER BY id;
UPDATE people SET nick = nullif(nick, 'none');
SELECT id, nick FROM people WHERE nick IS NULL ORDER BY id;

-- sequence: three valued logic in where
CREATE TABLE tv (id INTEGER, a BOOLEAN, b INTEGER);
INSERT INTO tv VALUES (1, true, 1), (2, false, 2), (3, NULL, 3), (4, true, NULL), (5, NULL, NULL), (6, false, NULL);
DELETE FROM tv WHERE a AND b > 1;
SELECT id FROM tv ORDER BY id;
DELETE FROM tv WHERE NOT a OR b = 3;
SELECT id, a, b FROM tv ORDER BY id;
UPDATE tv SET b = 100 WHERE NOT (b IS NOT NULL AND a);
SELECT id, a, b FROM tv ORDER BY id;

-- sequence: delete where is null and is not null
CREATE TABLE contacts (id INTEGER, email VARCHAR, phone VARCHAR);
INSERT INTO contacts VALUES (1, 'a@x.org', NULL), (2, NULL, '555'), (3, NULL, NULL), (4, 'd@x.org', '556');
DELETE FROM contacts WHERE email IS NULL AND phone IS NULL;
SELECT id FROM contacts ORDER BY id;
UPDATE contacts SET email = 'unknown' WHERE email IS NULL;
DELETE FROM contacts WHERE phone IS NOT NULL AND email <> 'unknown';
SELECT * FROM contacts ORDER BY id;

-- sequence: not in with a null in the subquery deletes nothing
CREATE TABLE a (id INTEGER);
CREATE TABLE b (id INTEGER);
INSERT INTO a VALUES (1), (2), (3), (NULL);
INSERT INTO b VALUES (2), (NULL);
DELETE FROM a WHERE id NOT IN (SELECT id FROM b);
SELECT count(*), count(id) FROM a;
DELETE FROM b WHERE id IS NULL;
DELETE FROM a WHERE id NOT IN (SELECT id FROM b);
SELECT id FROM a ORDER BY id NULLS FIRST;
DELETE FROM a WHERE id IN (SELECT id FROM b);
SELECT id FROM a ORDER BY id NULLS FIRST;

-- sequence: defaults fill omitted columns
CREATE TABLE accounts (id INTEGER NOT NULL, owner VARCHAR DEFAULT 'nobody', credit DOUBLE DEFAULT 1 + 1.5, opened DATE DEFAULT '2024-01-01', active BOOLEAN DEFAULT true, tier INTEGER DEFAULT 3);
INSERT INTO accounts (id) VALUES (1);
INSERT INTO accounts (id, owner) VALUES (2, 'bea'), (3, NULL);
INSERT INTO accounts VALUES (4, 'cy', NULL, NULL, NULL, NULL);
INSERT INTO accounts (tier, id, active) VALUES (1, 5, false);
INSERT INTO accounts (id, opened) SELECT 6, DATE '2023-12-31';
SELECT * FROM accounts ORDER BY id;
SELECT count(owner), count(credit), count(opened), count(active), sum(tier) FROM accounts;

-- sequence: not null insert error leaves table unchanged
CREATE TABLE orders (order_id INTEGER NOT NULL, customer VARCHAR NOT NULL, total DOUBLE);
INSERT INTO orders VALUES (1, 'ann', 10.0), (2, 'bob', 20.0);
-- error
INSERT INTO orders VALUES (3, 'cat', 5.0), (4, NULL, 6.0), (5, 'dan', 7.0);
SELECT * FROM orders ORDER BY order_id;
-- error
INSERT INTO orders (order_id, total) VALUES (6, 1.0);
-- error
INSERT INTO orders (customer) VALUES ('eve');
SELECT count(*), sum(total) FROM orders;
INSERT INTO orders (order_id, customer) VALUES (7, 'gus');
SELECT order_id, customer, total FROM orders ORDER BY order_id;

-- sequence: not null update error leaves table unchanged
CREATE TABLE staff (id INTEGER NOT NULL, name VARCHAR NOT NULL, boss INTEGER);
INSERT INTO staff VALUES (1, 'ada', NULL), (2, 'bo', 1), (3, 'cid', 1), (4, 'di', 2);
-- error
UPDATE staff SET name = NULL WHERE boss = 1;
SELECT * FROM staff ORDER BY id;
-- error
UPDATE staff SET name = CASE WHEN id = 4 THEN NULL ELSE upper(name) END;
SELECT id, name FROM staff ORDER BY id;
UPDATE staff SET name = upper(name) WHERE id < 3;
-- error
UPDATE staff SET id = boss;
SELECT * FROM staff ORDER BY id;

-- sequence: not null insert select error
CREATE TABLE raw_rows (k INTEGER, v VARCHAR);
INSERT INTO raw_rows VALUES (1, 'a'), (2, NULL), (3, 'c');
CREATE TABLE clean (k INTEGER NOT NULL, v VARCHAR NOT NULL);
-- error
INSERT INTO clean SELECT k, v FROM raw_rows;
SELECT count(*) FROM clean;
INSERT INTO clean SELECT k, v FROM raw_rows WHERE v IS NOT NULL;
INSERT INTO clean SELECT k * 10, coalesce(v, 'missing') FROM raw_rows;
SELECT * FROM clean ORDER BY k;

-- sequence: defaults with expressions and types
CREATE TABLE cfg (k VARCHAR NOT NULL, num BIGINT DEFAULT 40 + 2, txt VARCHAR DEFAULT upper('abc'), ratio DOUBLE DEFAULT 0.25, day DATE DEFAULT DATE '2000-02-29', flag BOOLEAN DEFAULT false);
INSERT INTO cfg (k) VALUES ('one'), ('two');
INSERT INTO cfg (k, num, flag) VALUES ('three', NULL, true);
SELECT * FROM cfg ORDER BY k;
UPDATE cfg SET num = num * 2 WHERE flag = false;
SELECT k, num FROM cfg ORDER BY k;
SELECT sum(num), avg(ratio), min(day), bool_or(flag) FROM cfg;

-- sequence: conversion errors leave the table unchanged
CREATE TABLE typed (i INTEGER, d DATE, b BOOLEAN);
INSERT INTO typed VALUES (1, '2024-05-05', true);
-- error
INSERT INTO typed VALUES (2, '2024-05-06', true), (3, 'not a date', false);
-- error
INSERT INTO typed VALUES ('abc', '2024-05-06', true);
-- error
UPDATE typed SET d = 'nope';
SELECT * FROM typed ORDER BY i;
INSERT INTO typed VALUES ('7', '2024-12-31', 'false');
SELECT i, d, b FROM typed ORDER BY i;

-- sequence: wrong shapes are errors
CREATE TABLE shape (a INTEGER, b VARCHAR);
-- error
INSERT INTO shape VALUES (1, 'x', 'extra');
-- error
INSERT INTO shape VALUES (1);
-- error
INSERT INTO shape (a, nope) VALUES (1, 2);
-- error
UPDATE shape SET nope = 1;
-- error
INSERT INTO missing_table VALUES (1);
-- error
DELETE FROM missing_table;
-- error
INSERT INTO shape SELECT 1, 'a', 'b';
INSERT INTO shape VALUES (1, 'ok');
SELECT * FROM shape ORDER BY a;

-- sequence: create table if not exists
CREATE TABLE IF NOT EXISTS reg (id INTEGER, v VARCHAR);
INSERT INTO reg VALUES (1, 'kept');
CREATE TABLE IF NOT EXISTS reg (other DOUBLE);
SELECT * FROM reg ORDER BY id;
-- error
CREATE TABLE reg (x INTEGER);
-- error
CREATE TABLE reg AS SELECT 1 AS x;
SELECT id, v FROM reg ORDER BY id;

-- sequence: delete where id in subquery
CREATE TABLE users (user_id INTEGER, name VARCHAR, country VARCHAR);
CREATE TABLE banned (user_id INTEGER, reason VARCHAR);
INSERT INTO users VALUES (1, 'u1', 'FR'), (2, 'u2', 'DE'), (3, 'u3', 'FR'), (4, 'u4', 'IT'), (5, 'u5', 'DE');
INSERT INTO banned VALUES (2, 'spam'), (4, 'abuse'), (9, 'ghost');
DELETE FROM users WHERE user_id IN (SELECT user_id FROM banned);
SELECT * FROM users ORDER BY user_id;
DELETE FROM users WHERE country IN (SELECT country FROM users GROUP BY country HAVING count(*) = 1);
SELECT user_id, country FROM users ORDER BY user_id;

-- sequence: delete where exists correlated
CREATE TABLE products (pid INTEGER, name VARCHAR, discontinued BOOLEAN);
CREATE TABLE order_lines (oid INTEGER, pid INTEGER, qty INTEGER);
INSERT INTO products VALUES (1, 'pen', false), (2, 'ink', true), (3, 'pad', true), (4, 'cap', false);
INSERT INTO order_lines VALUES (100, 1, 2), (100, 2, 1), (101, 3, 5), (102, 2, 1), (103, 4, 0);
DELETE FROM order_lines WHERE EXISTS (SELECT 1 FROM products p WHERE p.pid = order_lines.pid AND p.discontinued);
SELECT * FROM order_lines ORDER BY oid, pid;
DELETE FROM products WHERE discontinued AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.pid = products.pid);
SELECT * FROM products ORDER BY pid;

-- sequence: delete orphans with not exists
CREATE TABLE parent (id INTEGER, name VARCHAR);
CREATE TABLE child (id INTEGER, parent_id INTEGER, label VARCHAR);
INSERT INTO parent VALUES (1, 'p1'), (2, 'p2');
INSERT INTO child VALUES (10, 1, 'a'), (11, 2, 'b'), (12, 3, 'c'), (13, NULL, 'd'), (14, 1, 'e');
DELETE FROM child WHERE NOT EXISTS (SELECT 1 FROM parent WHERE parent.id = child.parent_id);
SELECT * FROM child ORDER BY id;
DELETE FROM parent WHERE id = 1;
DELETE FROM child WHERE parent_id NOT IN (SELECT id FROM parent);
SELECT * FROM child ORDER BY id;

-- sequence: update where in grouped subquery
CREATE TABLE purchases (id INTEGER, customer VARCHAR, amount DOUBLE, vip BOOLEAN);
INSERT INTO purchases VALUES (1, 'a', 50.0, false), (2, 'a', 70.0, false), (3, 'b', 10.0, false), (4, 'c', 200.0, false), (5, 'b', 5.0, false), (6, 'd', NULL, false);
UPDATE purchases SET vip = true WHERE customer IN (SELECT customer FROM purchases GROUP BY customer HAVING sum(amount) >= 100);
SELECT customer, bool_and(vip) AS all_vip, count(*) AS n FROM purchases GROUP BY customer ORDER BY customer;
UPDATE purchases SET amount = amount * 0.9 WHERE vip AND id NOT IN (SELECT id FROM purchases WHERE amount < 60);
SELECT id, amount FROM purchases ORDER BY id;

-- sequence: update set from uncorrelated scalar subqueries
CREATE TABLE readings (id INTEGER, val DOUBLE, norm DOUBLE, flag VARCHAR);
INSERT INTO readings VALUES (1, 10.0, NULL, NULL), (2, 30.0, NULL, NULL), (3, 20.0, NULL, NULL), (4, 40.0, NULL, NULL);
UPDATE readings SET norm = val / (SELECT max(val) FROM readings);
SELECT id, norm FROM readings ORDER BY id;
UPDATE readings SET flag = 'high' WHERE val > (SELECT avg(val) FROM readings);
UPDATE readings SET val = val - (SELECT min(val) FROM readings);
SELECT id, val, norm, flag FROM readings ORDER BY id;

-- sequence: update set correlated scalar subquery
CREATE TABLE authors (aid INTEGER, name VARCHAR, books BIGINT, latest INTEGER);
CREATE TABLE books (bid INTEGER, aid INTEGER, year INTEGER);
INSERT INTO authors VALUES (1, 'le guin', NULL, NULL), (2, 'banks', NULL, NULL), (3, 'nobody', NULL, NULL);
INSERT INTO books VALUES (1, 1, 1969), (2, 1, 1974), (3, 2, 1987), (4, 2, 1988), (5, 2, 1990), (6, 1, 2000);
UPDATE authors SET books = (SELECT count(*) FROM books b WHERE b.aid = authors.aid);
UPDATE authors SET latest = (SELECT max(year) FROM books b WHERE b.aid = authors.aid);
SELECT * FROM authors ORDER BY aid;
DELETE FROM books WHERE year < 1980;
UPDATE authors SET books = (SELECT count(*) FROM books b WHERE b.aid = authors.aid) WHERE name <> 'nobody';
SELECT aid, books, latest FROM authors ORDER BY aid;

-- sequence: delete above self average
CREATE TABLE scores (player VARCHAR, pts INTEGER);
INSERT INTO scores VALUES ('a', 10), ('b', 20), ('c', 30), ('d', 40), ('e', 50);
DELETE FROM scores WHERE pts > (SELECT avg(pts) FROM scores);
SELECT * FROM scores ORDER BY player;
DELETE FROM scores WHERE pts = (SELECT min(pts) FROM scores);
SELECT * FROM scores ORDER BY player;
DELETE FROM scores WHERE pts < (SELECT min(pts) FROM scores);
SELECT count(*) FROM scores;

-- sequence: delete using another table
CREATE TABLE inventory (sku VARCHAR, warehouse VARCHAR, qty INTEGER);
CREATE TABLE closed (warehouse VARCHAR, since DATE);
INSERT INTO inventory VALUES ('a', 'w1', 5), ('a', 'w2', 3), ('b', 'w2', 0), ('c', 'w3', 9), ('d', 'w1', 1);
INSERT INTO closed VALUES ('w2', '2024-01-01'), ('w9', '2023-01-01');
DELETE FROM inventory USING closed WHERE inventory.warehouse = closed.warehouse;
SELECT * FROM inventory ORDER BY sku, warehouse;
INSERT INTO closed VALUES ('w1', '2024-06-01');
DELETE FROM inventory i USING closed c WHERE i.warehouse = c.warehouse AND c.since > '2024-03-01' AND i.qty < 5;
SELECT * FROM inventory ORDER BY sku, warehouse;

-- sequence: update from aggregate subquery
CREATE TABLE customer_stats (cid INTEGER, orders BIGINT, spent DOUBLE, last_order DATE);
CREATE TABLE sales_log (cid INTEGER, amount DOUBLE, day DATE);
INSERT INTO customer_stats VALUES (1, 0, 0.0, NULL), (2, 0, 0.0, NULL), (3, 0, 0.0, NULL);
INSERT INTO sales_log VALUES (1, 10.0, '2024-01-01'), (1, 15.5, '2024-01-09'), (2, 99.0, '2024-02-02'), (4, 1.0, '2024-02-03');
UPDATE customer_stats SET orders = s.n, spent = s.total, last_order = s.last FROM (SELECT cid, count(*) AS n, sum(amount) AS total, max(day) AS last FROM sales_log GROUP BY cid) s WHERE customer_stats.cid = s.cid;
SELECT * FROM customer_stats ORDER BY cid;
INSERT INTO sales_log VALUES (3, 5.0, '2024-03-01'), (1, 4.5, '2024-03-02');
UPDATE customer_stats c SET orders = c.orders + s.n, spent = c.spent + s.total, last_order = s.last FROM (SELECT cid, count(*) AS n, sum(amount) AS total, max(day) AS last FROM sales_log WHERE day >= '2024-03-01' GROUP BY cid) s WHERE c.cid = s.cid;
SELECT * FROM customer_stats ORDER BY cid;

-- sequence: update from join with extra conditions
CREATE TABLE tasks (tid INTEGER, owner VARCHAR, status VARCHAR, prio INTEGER);
CREATE TABLE moves (owner VARCHAR, new_owner VARCHAR, min_prio INTEGER);
INSERT INTO tasks VALUES (1, 'ann', 'open', 1), (2, 'ann', 'open', 3), (3, 'ann', 'done', 5), (4, 'bob', 'open', 2), (5, 'cal', 'open', 9);
INSERT INTO moves VALUES ('ann', 'zed', 2), ('bob', 'yan', 5);
UPDATE tasks SET owner = m.new_owner FROM moves m WHERE tasks.owner = m.owner AND tasks.status = 'open' AND tasks.prio >= m.min_prio;
SELECT * FROM tasks ORDER BY tid;
SELECT owner, count(*) AS n FROM tasks GROUP BY owner ORDER BY owner;

-- sequence: insert missing rows with not exists
CREATE TABLE dim_city (city VARCHAR, country VARCHAR);
CREATE TABLE stage_city (city VARCHAR, country VARCHAR);
INSERT INTO dim_city VALUES ('Paris', 'FR'), ('Lyon', 'FR');
INSERT INTO stage_city VALUES ('Paris', 'FR'), ('Berlin', 'DE'), ('Lyon', 'FR'), ('Rome', 'IT');
INSERT INTO dim_city SELECT s.city, s.country FROM stage_city s WHERE NOT EXISTS (SELECT 1 FROM dim_city d WHERE d.city = s.city);
SELECT * FROM dim_city ORDER BY city;
INSERT INTO dim_city SELECT city, country FROM stage_city WHERE city NOT IN (SELECT city FROM dim_city);
SELECT count(*) FROM dim_city;

-- sequence: delete with subquery over cte
CREATE TABLE events (id INTEGER, kind VARCHAR, val INTEGER);
INSERT INTO events VALUES (1, 'a', 5), (2, 'a', 7), (3, 'b', 1), (4, 'b', 2), (5, 'c', 100);
DELETE FROM events WHERE id IN (WITH ranked AS (SELECT id, row_number() OVER (PARTITION BY kind ORDER BY val DESC, id) AS rn FROM events) SELECT id FROM ranked WHERE rn > 1);
SELECT * FROM events ORDER BY id;
WITH remaining AS (SELECT kind, val FROM events) SELECT kind, val FROM remaining ORDER BY kind;

-- sequence: merge staging into dimension
CREATE TABLE dim_product (product_id INTEGER NOT NULL, name VARCHAR, category VARCHAR, price DOUBLE, updated DATE);
INSERT INTO dim_product VALUES (1, 'hammer', 'tools', 9.5, '2024-01-01'), (2, 'saw', 'tools', 15.0, '2024-01-01'), (3, 'glue', 'craft', 2.0, '2024-01-01');
CREATE TABLE stg_product (product_id INTEGER, name VARCHAR, category VARCHAR, price DOUBLE);
INSERT INTO stg_product VALUES (2, 'saw', 'tools', 17.5), (3, 'super glue', 'craft', 2.5), (4, 'tape', 'craft', 1.25), (5, 'drill', 'tools', 60.0);
MERGE INTO dim_product d USING stg_product s ON d.product_id = s.product_id WHEN MATCHED THEN UPDATE SET name = s.name, category = s.category, price = s.price, updated = DATE '2024-02-01' WHEN NOT MATCHED THEN INSERT VALUES (s.product_id, s.name, s.category, s.price, DATE '2024-02-01');
SELECT * FROM dim_product ORDER BY product_id;
SELECT category, count(*) AS n, sum(price) AS total FROM dim_product GROUP BY category ORDER BY category;

-- sequence: merge is idempotent when run twice
CREATE TABLE target (k VARCHAR, v INTEGER);
CREATE TABLE delta (k VARCHAR, v INTEGER);
INSERT INTO target VALUES ('a', 1), ('b', 2);
INSERT INTO delta VALUES ('b', 20), ('c', 30);
MERGE INTO target USING delta ON target.k = delta.k WHEN MATCHED THEN UPDATE SET v = delta.v WHEN NOT MATCHED THEN INSERT VALUES (delta.k, delta.v);
SELECT * FROM target ORDER BY k;
MERGE INTO target USING delta ON target.k = delta.k WHEN MATCHED THEN UPDATE SET v = delta.v WHEN NOT MATCHED THEN INSERT VALUES (delta.k, delta.v);
SELECT * FROM target ORDER BY k;
SELECT count(*), sum(v) FROM target;

-- sequence: merge with delete clause
CREATE TABLE stock (item VARCHAR NOT NULL, qty INTEGER);
CREATE TABLE movements (item VARCHAR, delta INTEGER);
INSERT INTO stock VALUES ('bolt', 10), ('nut', 4), ('screw', 7), ('washer', 1);
INSERT INTO movements VALUES ('bolt', -3), ('nut', -4), ('washer', 5), ('rivet', 12);
MERGE INTO stock s USING movements m ON s.item = m.item WHEN MATCHED AND s.qty + m.delta <= 0 THEN DELETE WHEN MATCHED THEN UPDATE SET qty = s.qty + m.delta WHEN NOT MATCHED THEN INSERT VALUES (m.item, m.delta);
SELECT * FROM stock ORDER BY item;

-- sequence: merge only inserts
CREATE TABLE seen (id INTEGER, first_seen DATE);
INSERT INTO seen VALUES (1, '2024-01-01'), (2, '2024-01-02');
MERGE INTO seen USING (VALUES (2, DATE '2024-02-01'), (3, DATE '2024-02-01'), (4, DATE '2024-02-02')) AS v(id, d) ON seen.id = v.id WHEN NOT MATCHED THEN INSERT (id, first_seen) VALUES (v.id, v.d);
SELECT * FROM seen ORDER BY id;

-- sequence: merge only updates
CREATE TABLE balances (acct INTEGER, bal DOUBLE);
INSERT INTO balances VALUES (1, 100.0), (2, 50.0), (3, 0.0);
MERGE INTO balances b USING (SELECT 1 AS acct, 25.5 AS amt UNION ALL SELECT 3, -10.0 UNION ALL SELECT 7, 99.0) t ON b.acct = t.acct WHEN MATCHED THEN UPDATE SET bal = b.bal + t.amt;
SELECT * FROM balances ORDER BY acct;

-- sequence: merge updates only changed rows
CREATE TABLE dim_customer (cid INTEGER, email VARCHAR, tier VARCHAR, version INTEGER);
INSERT INTO dim_customer VALUES (1, 'a@x', 'gold', 1), (2, 'b@x', 'silver', 1), (3, 'c@x', 'bronze', 1);
CREATE TABLE stg_customer (cid INTEGER, email VARCHAR, tier VARCHAR);
INSERT INTO stg_customer VALUES (1, 'a@x', 'gold'), (2, 'b@y', 'silver'), (3, 'c@x', 'gold');
MERGE INTO dim_customer d USING stg_customer s ON d.cid = s.cid WHEN MATCHED AND (d.email <> s.email OR d.tier <> s.tier) THEN UPDATE SET email = s.email, tier = s.tier, version = d.version + 1;
SELECT * FROM dim_customer ORDER BY cid;
MERGE INTO dim_customer d USING stg_customer s ON d.cid = s.cid WHEN MATCHED AND (d.email <> s.email OR d.tier <> s.tier) THEN UPDATE SET email = s.email, tier = s.tier, version = d.version + 1;
SELECT sum(version) FROM dim_customer;

-- sequence: merge source is an aggregating subquery
CREATE TABLE daily (day DATE, visits BIGINT);
CREATE TABLE hits (at_day DATE, page VARCHAR);
INSERT INTO daily VALUES ('2024-04-01', 3), ('2024-04-02', 5);
INSERT INTO hits VALUES ('2024-04-02', '/'), ('2024-04-02', '/a'), ('2024-04-03', '/'), ('2024-04-03', '/b'), ('2024-04-03', '/c'), ('2024-04-04', '/');
MERGE INTO daily USING (SELECT at_day, count(*) AS n FROM hits GROUP BY at_day) h ON daily.day = h.at_day WHEN MATCHED THEN UPDATE SET visits = daily.visits + h.n WHEN NOT MATCHED THEN INSERT VALUES (h.at_day, h.n);
SELECT * FROM daily ORDER BY day;
SELECT sum(visits) FROM daily;

-- sequence: merge into empty target inserts all
CREATE TABLE empty_target (id INTEGER, name VARCHAR, score DOUBLE);
CREATE TABLE feed (id INTEGER, name VARCHAR, score DOUBLE);
INSERT INTO feed VALUES (1, 'x', 0.5), (2, 'y', NULL), (3, NULL, 1.5);
MERGE INTO empty_target t USING feed f ON t.id = f.id WHEN MATCHED THEN UPDATE SET score = f.score WHEN NOT MATCHED THEN INSERT VALUES (f.id, f.name, f.score);
SELECT * FROM empty_target ORDER BY id;

-- sequence: merge with empty source changes nothing
CREATE TABLE keep (id INTEGER, v VARCHAR);
CREATE TABLE nothing (id INTEGER, v VARCHAR);
INSERT INTO keep VALUES (1, 'a'), (2, 'b');
MERGE INTO keep USING nothing ON keep.id = nothing.id WHEN MATCHED THEN DELETE WHEN NOT MATCHED THEN INSERT VALUES (nothing.id, nothing.v);
MERGE INTO keep USING (SELECT * FROM keep WHERE id > 10) s ON keep.id = s.id WHEN MATCHED THEN UPDATE SET v = 'zzz';
SELECT * FROM keep ORDER BY id;

-- sequence: merge first matching clause wins
CREATE TABLE accts (id INTEGER, status VARCHAR, bal INTEGER);
INSERT INTO accts VALUES (1, 'open', 10), (2, 'open', 20), (3, 'open', 30), (4, 'open', 40);
CREATE TABLE ops (id INTEGER, op VARCHAR, amt INTEGER);
INSERT INTO ops VALUES (1, 'close', 0), (2, 'add', 5), (3, 'add', -100), (4, 'freeze', 0), (5, 'add', 1);
MERGE INTO accts a USING ops o ON a.id = o.id WHEN MATCHED AND o.op = 'close' THEN DELETE WHEN MATCHED AND o.op = 'add' AND a.bal + o.amt < 0 THEN UPDATE SET status = 'overdrawn', bal = a.bal + o.amt WHEN MATCHED AND o.op = 'add' THEN UPDATE SET bal = a.bal + o.amt WHEN MATCHED THEN UPDATE SET status = o.op WHEN NOT MATCHED AND o.op = 'add' THEN INSERT VALUES (o.id, 'new', o.amt);
SELECT * FROM accts ORDER BY id;

-- sequence: merge not matched with condition and column list
CREATE TABLE members (mid INTEGER NOT NULL, name VARCHAR, joined DATE DEFAULT '2020-01-01', points INTEGER DEFAULT 0);
INSERT INTO members (mid, name) VALUES (1, 'ann');
CREATE TABLE signups (mid INTEGER, name VARCHAR, ok BOOLEAN);
INSERT INTO signups VALUES (1, 'ann', true), (2, 'bo', true), (3, 'cy', false), (4, 'di', true);
MERGE INTO members m USING signups s ON m.mid = s.mid WHEN NOT MATCHED AND s.ok THEN INSERT (mid, name) VALUES (s.mid, s.name);
SELECT * FROM members ORDER BY mid;
MERGE INTO members m USING signups s ON m.mid = s.mid WHEN MATCHED THEN UPDATE SET points = m.points + 10 WHEN NOT MATCHED THEN INSERT (name, mid, points) VALUES (upper(s.name), s.mid, 1);
SELECT * FROM members ORDER BY mid;

-- sequence: merge with null keys never matches
CREATE TABLE tgt (k INTEGER, v VARCHAR);
INSERT INTO tgt VALUES (1, 'one'), (NULL, 'null key');
MERGE INTO tgt USING (VALUES (CAST(NULL AS INTEGER), 'incoming null'), (1, 'uno')) AS s(k, v) ON tgt.k = s.k WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT VALUES (s.k, s.v);
SELECT k, v FROM tgt ORDER BY k NULLS FIRST, v;
SELECT count(*), count(k) FROM tgt;

-- sequence: merge not null violation writes nothing
CREATE TABLE req (id INTEGER NOT NULL, label VARCHAR NOT NULL);
INSERT INTO req VALUES (1, 'a'), (2, 'b');
-- error
MERGE INTO req USING (VALUES (1, 'A'), (3, CAST(NULL AS VARCHAR))) AS s(id, label) ON req.id = s.id WHEN MATCHED THEN UPDATE SET label = s.label WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.label);
SELECT * FROM req ORDER BY id;
-- error
MERGE INTO req USING (VALUES (2, CAST(NULL AS VARCHAR))) AS s(id, label) ON req.id = s.id WHEN MATCHED THEN UPDATE SET label = s.label;
SELECT * FROM req ORDER BY id;
MERGE INTO req USING (VALUES (1, 'A'), (3, 'c')) AS s(id, label) ON req.id = s.id WHEN MATCHED THEN UPDATE SET label = s.label WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.label);
SELECT * FROM req ORDER BY id;

-- sequence: scd type 2 with update from and insert select
CREATE TABLE dim_emp (emp_id INTEGER, title VARCHAR, valid_from DATE, valid_to DATE, is_current BOOLEAN);
INSERT INTO dim_emp VALUES (1, 'engineer', '2020-01-01', NULL, true), (2, 'analyst', '2021-06-01', NULL, true), (3, 'manager', '2019-03-01', NULL, true);
CREATE TABLE src_emp (emp_id INTEGER, title VARCHAR);
INSERT INTO src_emp VALUES (1, 'senior engineer'), (2, 'analyst'), (4, 'intern');
UPDATE dim_emp SET valid_to = DATE '2024-01-01', is_current = false FROM src_emp s WHERE dim_emp.emp_id = s.emp_id AND dim_emp.is_current AND dim_emp.title <> s.title;
INSERT INTO dim_emp SELECT s.emp_id, s.title, DATE '2024-01-01', NULL, true FROM src_emp s WHERE NOT EXISTS (SELECT 1 FROM dim_emp d WHERE d.emp_id = s.emp_id AND d.is_current);
SELECT * FROM dim_emp ORDER BY emp_id, valid_from;
SELECT emp_id, title FROM dim_emp WHERE is_current ORDER BY emp_id;
SELECT emp_id, count(*) AS versions FROM dim_emp GROUP BY emp_id ORDER BY emp_id;

-- sequence: scd type 2 twice over
CREATE TABLE hist (id INTEGER, attr VARCHAR, v_from INTEGER, v_to INTEGER, cur BOOLEAN);
CREATE TABLE batch (id INTEGER, attr VARCHAR, loaded INTEGER);
INSERT INTO hist VALUES (1, 'a', 1, NULL, true), (2, 'b', 1, NULL, true);
INSERT INTO batch VALUES (1, 'a2', 2), (2, 'b', 2), (3, 'c', 2);
MERGE INTO hist h USING batch b ON h.id = b.id AND h.cur WHEN MATCHED AND h.attr <> b.attr THEN UPDATE SET v_to = b.loaded, cur = false;
INSERT INTO hist SELECT b.id, b.attr, b.loaded, NULL, true FROM batch b WHERE NOT EXISTS (SELECT 1 FROM hist h WHERE h.id = b.id AND h.cur);
TRUNCATE batch;
INSERT INTO batch VALUES (1, 'a3', 3), (3, 'c', 3), (2, 'b2', 3);
MERGE INTO hist h USING batch b ON h.id = b.id AND h.cur WHEN MATCHED AND h.attr <> b.attr THEN UPDATE SET v_to = b.loaded, cur = false;
INSERT INTO hist SELECT b.id, b.attr, b.loaded, NULL, true FROM batch b WHERE NOT EXISTS (SELECT 1 FROM hist h WHERE h.id = b.id AND h.cur);
SELECT * FROM hist ORDER BY id, v_from;
SELECT id, attr FROM hist h WHERE v_from <= 2 AND (v_to IS NULL OR v_to > 2) ORDER BY id;

-- sequence: scd type 1 overwrite in place
CREATE TABLE dim_store (store_id INTEGER, city VARCHAR, manager VARCHAR, sqm DOUBLE);
INSERT INTO dim_store VALUES (1, 'Oslo', 'Ida', 120.0), (2, 'Bergen', 'Ola', 80.0), (3, 'Oslo', NULL, 200.0);
CREATE TABLE changes (store_id INTEGER, manager VARCHAR, sqm DOUBLE);
INSERT INTO changes VALUES (2, 'Kari', NULL), (3, 'Per', 210.0);
UPDATE dim_store SET manager = coalesce(c.manager, dim_store.manager), sqm = coalesce(c.sqm, dim_store.sqm) FROM changes c WHERE c.store_id = dim_store.store_id;
SELECT * FROM dim_store ORDER BY store_id;
SELECT city, sum(sqm) AS sqm FROM dim_store GROUP BY city ORDER BY city;

-- sequence: merge then window over changed rows
CREATE TABLE ledger (acct VARCHAR, day INTEGER, amount INTEGER);
INSERT INTO ledger VALUES ('a', 1, 10), ('a', 2, 20), ('a', 3, 30), ('b', 1, 5), ('b', 2, 5);
MERGE INTO ledger l USING (VALUES ('a', 2, 25), ('b', 3, 7), ('c', 1, 1)) AS s(acct, day, amount) ON l.acct = s.acct AND l.day = s.day WHEN MATCHED THEN UPDATE SET amount = s.amount WHEN NOT MATCHED THEN INSERT VALUES (s.acct, s.day, s.amount);
SELECT acct, day, amount, sum(amount) OVER (PARTITION BY acct ORDER BY day) AS running, lag(amount) OVER (PARTITION BY acct ORDER BY day) AS prev FROM ledger ORDER BY acct, day;

-- sequence: merge delete all matches
CREATE TABLE cart (user_id INTEGER, item VARCHAR, qty INTEGER);
INSERT INTO cart VALUES (1, 'apple', 2), (1, 'pear', 1), (2, 'apple', 5), (3, 'fig', 1);
CREATE TABLE checkout (user_id INTEGER);
INSERT INTO checkout VALUES (1), (3);
MERGE INTO cart USING checkout c ON cart.user_id = c.user_id WHEN MATCHED THEN DELETE;
SELECT * FROM cart ORDER BY user_id, item;
MERGE INTO cart USING (SELECT 2 AS user_id) c ON cart.user_id = c.user_id WHEN MATCHED THEN DELETE;
SELECT count(*) FROM cart;
SELECT * FROM cart;

-- sequence: merge source with expressions and strings
CREATE TABLE tags (tag VARCHAR, uses INTEGER, first_use DATE);
INSERT INTO tags VALUES ('sql', 3, '2023-05-01'), ('swift', 1, '2023-06-01');
CREATE TABLE incoming (raw_tag VARCHAR, at_day DATE);
INSERT INTO incoming VALUES ('  SQL ', '2024-01-01'), ('Rust', '2024-01-02'), ('rust', '2024-01-03'), ('Swift', '2022-01-01');
MERGE INTO tags t USING (SELECT lower(trim(raw_tag)) AS tag, count(*) AS n, min(at_day) AS first_day FROM incoming GROUP BY lower(trim(raw_tag))) i ON t.tag = i.tag WHEN MATCHED THEN UPDATE SET uses = t.uses + i.n, first_use = least(t.first_use, i.first_day) WHEN NOT MATCHED THEN INSERT VALUES (i.tag, i.n, i.first_day);
SELECT * FROM tags ORDER BY tag;

-- sequence: updates move rows between groups
CREATE TABLE emp (id INTEGER, dept VARCHAR, salary INTEGER);
INSERT INTO emp VALUES (1, 'eng', 100), (2, 'eng', 110), (3, 'ops', 90), (4, 'ops', 95), (5, 'hr', 70), (6, 'eng', 130);
UPDATE emp SET dept = 'ops' WHERE id IN (1, 6);
UPDATE emp SET dept = 'eng' WHERE dept = 'hr';
SELECT dept, count(*) AS n, sum(salary) AS total, min(salary) AS lo, max(salary) AS hi FROM emp GROUP BY dept ORDER BY dept;
SELECT id, dept, salary, rank() OVER (PARTITION BY dept ORDER BY salary DESC) AS r FROM emp ORDER BY dept, r, id;
UPDATE emp SET salary = salary + 50 WHERE dept = 'eng';
SELECT id, dept, salary, dense_rank() OVER (ORDER BY salary DESC) AS r FROM emp ORDER BY r, id;

-- sequence: running totals after inserts and deletes
CREATE TABLE tx (id INTEGER, acct VARCHAR, amount DOUBLE);
INSERT INTO tx VALUES (1, 'x', 10.0), (2, 'x', -2.5), (3, 'y', 7.0), (4, 'x', 4.0), (5, 'y', 1.0);
SELECT id, acct, sum(amount) OVER (PARTITION BY acct ORDER BY id) AS bal FROM tx ORDER BY id;
DELETE FROM tx WHERE id = 2;
INSERT INTO tx VALUES (6, 'x', 100.0), (7, 'y', -8.0);
UPDATE tx SET amount = amount * 2 WHERE acct = 'y';
SELECT id, acct, amount, sum(amount) OVER (PARTITION BY acct ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS bal, count(*) OVER (PARTITION BY acct) AS n FROM tx ORDER BY id;

-- sequence: lag and lead after updates
CREATE TABLE temps (city VARCHAR, day INTEGER, temp DOUBLE);
INSERT INTO temps VALUES ('a', 1, 10.0), ('a', 2, 12.0), ('a', 3, 9.0), ('b', 1, 20.0), ('b', 2, 21.5), ('b', 3, 19.0);
UPDATE temps SET temp = temp - 100 WHERE day = 2;
SELECT city, day, temp, lag(temp) OVER (PARTITION BY city ORDER BY day) AS prev, lead(temp, 1, 0.0) OVER (PARTITION BY city ORDER BY day) AS nxt FROM temps ORDER BY city, day;
UPDATE temps SET day = day + 10 WHERE day = 1;
SELECT city, day, first_value(temp) OVER (PARTITION BY city ORDER BY day) AS first_t, last_value(temp) OVER (PARTITION BY city ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_t FROM temps ORDER BY city, day;

-- sequence: top n per group after deletes
CREATE TABLE plays (song VARCHAR, genre VARCHAR, plays INTEGER);
INSERT INTO plays VALUES ('s1', 'rock', 50), ('s2', 'rock', 40), ('s3', 'rock', 30), ('s4', 'jazz', 20), ('s5', 'jazz', 25), ('s6', 'pop', 99), ('s7', 'pop', 98);
SELECT genre, song, plays FROM plays QUALIFY row_number() OVER (PARTITION BY genre ORDER BY plays DESC) <= 2 ORDER BY genre, plays DESC;
DELETE FROM plays WHERE song IN ('s1', 's5', 's6');
UPDATE plays SET plays = plays + 100 WHERE genre = 'jazz';
SELECT genre, song, plays FROM plays QUALIFY row_number() OVER (PARTITION BY genre ORDER BY plays DESC) <= 2 ORDER BY genre, plays DESC;
SELECT genre, song, ntile(2) OVER (ORDER BY plays, song) AS half FROM plays ORDER BY genre, song;

-- sequence: group by after null group changes
CREATE TABLE g (id INTEGER, grp VARCHAR, v INTEGER);
INSERT INTO g VALUES (1, 'a', 1), (2, NULL, 2), (3, 'b', 3), (4, NULL, 4), (5, 'a', 5);
SELECT grp, sum(v) AS s FROM g GROUP BY grp ORDER BY grp NULLS FIRST;
UPDATE g SET grp = NULL WHERE grp = 'a';
SELECT grp, sum(v) AS s, count(*) AS n FROM g GROUP BY grp ORDER BY grp NULLS FIRST;
UPDATE g SET grp = 'c' WHERE grp IS NULL AND v > 2;
SELECT grp, sum(v) AS s, count(*) AS n FROM g GROUP BY grp ORDER BY grp NULLS FIRST;
SELECT count(DISTINCT grp), count(grp) FROM g;

-- sequence: rollup after updates
CREATE TABLE rev (region VARCHAR, product VARCHAR, amount INTEGER);
INSERT INTO rev VALUES ('eu', 'a', 10), ('eu', 'b', 20), ('us', 'a', 30), ('us', 'b', 40), ('us', 'c', 50);
UPDATE rev SET region = 'eu' WHERE product = 'c';
DELETE FROM rev WHERE region = 'us' AND product = 'a';
SELECT region, product, sum(amount) AS total, grouping(region, product) AS gid FROM rev GROUP BY ROLLUP (region, product) ORDER BY gid, region, product;

-- sequence: truncate then reinsert
CREATE TABLE buf (id INTEGER, v VARCHAR);
INSERT INTO buf VALUES (1, 'a'), (2, 'b');
TRUNCATE buf;
SELECT count(*) FROM buf;
INSERT INTO buf VALUES (3, 'c');
TRUNCATE TABLE buf;
INSERT INTO buf VALUES (4, 'd'), (5, 'e');
SELECT * FROM buf ORDER BY id;
UPDATE buf SET v = v || v;
SELECT * FROM buf ORDER BY id;

-- sequence: aggregates over an emptied table
CREATE TABLE m (id INTEGER, x DOUBLE, s VARCHAR, d DATE);
INSERT INTO m VALUES (1, 1.0, 'a', '2024-01-01'), (2, 2.0, 'b', '2024-01-02');
DELETE FROM m WHERE id > 0;
SELECT count(*), count(x), sum(x), avg(x), min(s), max(d) FROM m;
SELECT s, count(*) FROM m GROUP BY s ORDER BY s;
SELECT sum(x) OVER () FROM m;
SELECT * FROM m WHERE x > 0;
INSERT INTO m VALUES (3, NULL, NULL, NULL);
SELECT count(*), count(x), sum(x), avg(x), min(s), max(d) FROM m;

-- sequence: joins against an emptied table
CREATE TABLE l (id INTEGER, v VARCHAR);
CREATE TABLE r (id INTEGER, w VARCHAR);
INSERT INTO l VALUES (1, 'a'), (2, 'b');
INSERT INTO r VALUES (1, 'x');
TRUNCATE r;
SELECT l.id, l.v, r.w FROM l LEFT JOIN r ON l.id = r.id ORDER BY l.id;
SELECT count(*) FROM l JOIN r ON l.id = r.id;
DELETE FROM l WHERE id IN (SELECT id FROM r);
UPDATE l SET v = 'none' WHERE NOT EXISTS (SELECT 1 FROM r WHERE r.id = l.id);
SELECT * FROM l ORDER BY id;

-- sequence: delete all then merge into empty
CREATE TABLE dimx (k INTEGER, v VARCHAR);
INSERT INTO dimx VALUES (1, 'a'), (2, 'b');
DELETE FROM dimx;
MERGE INTO dimx USING (VALUES (2, 'B'), (3, 'C')) AS s(k, v) ON dimx.k = s.k WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT VALUES (s.k, s.v);
SELECT * FROM dimx ORDER BY k;

-- sequence: drop and recreate loses data
CREATE TABLE tmp (id INTEGER);
INSERT INTO tmp VALUES (1), (2), (3);
DROP TABLE tmp;
CREATE TABLE tmp (id INTEGER);
SELECT count(*) FROM tmp;
INSERT INTO tmp VALUES (42);
SELECT * FROM tmp ORDER BY id;

-- sequence: big table update spanning row groups
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE big AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id, (a.d + b.d + c.d) % 7 AS grp, 1.5 * g.d AS amount FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g WHERE a.d < 3;
SELECT count(*), sum(id), min(id), max(id), sum(amount) FROM big;
UPDATE big SET amount = amount + 1 WHERE id % 3 = 0;
UPDATE big SET grp = -1 WHERE id BETWEEN 122000 AND 124000;
SELECT grp, count(*) AS n, sum(amount) AS s, min(id) AS lo, max(id) AS hi FROM big GROUP BY grp ORDER BY grp;
SELECT id, grp, amount FROM big WHERE id IN (0, 3, 122879, 122880, 122881, 245759, 245760, 299999) ORDER BY id;

-- sequence: big table delete range across row group boundary
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE big AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g WHERE a.d < 3;
CREATE TABLE ordered AS SELECT id, id % 10 AS last_digit FROM big ORDER BY id;
DELETE FROM ordered WHERE id >= 120000 AND id < 130000;
SELECT count(*), min(id), max(id), sum(id) FROM ordered;
SELECT id FROM ordered WHERE id BETWEEN 119998 AND 130001 ORDER BY id;
DELETE FROM ordered WHERE last_digit = 7;
SELECT last_digit, count(*) AS n FROM ordered GROUP BY last_digit ORDER BY last_digit;
INSERT INTO ordered SELECT id, id % 10 FROM big WHERE id BETWEEN 125000 AND 125009;
SELECT count(*), sum(id) FROM ordered;

-- sequence: big table delete everything then insert
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE big AS SELECT a.d * 10000 + b.d * 1000 + c.d * 100 + e.d * 10 + f.d AS id, 'row ' || CAST(f.d AS VARCHAR) AS label FROM d10 a, d10 b, d10 c, d10 e, d10 f, (VALUES (1), (2), (3)) t(k);
SELECT count(*), count(DISTINCT id) FROM big;
DELETE FROM big WHERE id >= 0;
SELECT count(*) FROM big;
INSERT INTO big VALUES (1, 'again'), (2, 'again');
SELECT * FROM big ORDER BY id;
INSERT INTO big SELECT id + 10, label FROM big;
SELECT label, count(*) AS n FROM big GROUP BY label ORDER BY label;

-- sequence: big table update then delete the same rows
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE big AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id, g.d AS digit FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g WHERE a.d < 2;
UPDATE big SET digit = 100 + digit WHERE id % 1000 < 5;
SELECT count(*), sum(digit) FROM big WHERE digit >= 100;
DELETE FROM big WHERE digit >= 100;
SELECT count(*), sum(digit), count(DISTINCT digit) FROM big;
UPDATE big SET digit = digit * 2 WHERE id % 2 = 1;
SELECT digit, count(*) AS n FROM big GROUP BY digit ORDER BY digit;

-- sequence: big insert select doubling
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE grow AS SELECT a.d * 1000 + b.d * 100 + c.d * 10 + e.d AS id, 0 AS gen FROM d10 a, d10 b, d10 c, d10 e;
INSERT INTO grow SELECT id, gen + 1 FROM grow;
INSERT INTO grow SELECT id, gen + 2 FROM grow;
INSERT INTO grow SELECT id, gen + 4 FROM grow;
INSERT INTO grow SELECT id, gen + 8 FROM grow;
INSERT INTO grow SELECT id, gen + 16 FROM grow;
SELECT count(*), count(DISTINCT gen), sum(gen), max(gen) FROM grow;
DELETE FROM grow WHERE gen % 4 = 0;
SELECT gen, count(*) AS n FROM grow WHERE gen < 8 GROUP BY gen ORDER BY gen;
SELECT count(*), sum(id) FROM grow;

-- sequence: big truncate and reinsert
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE big AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g WHERE a.d < 2;
DELETE FROM big WHERE id % 2 = 0;
TRUNCATE big;
SELECT count(*) FROM big;
INSERT INTO big SELECT a.d * 10 + b.d FROM d10 a, d10 b;
SELECT count(*), sum(id), min(id), max(id) FROM big;
UPDATE big SET id = -id WHERE id < 10;
SELECT id FROM big WHERE id <= 0 ORDER BY id;

-- sequence: big merge upsert
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE facts AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id, 1 AS version, g.d * 1.0 AS val FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g WHERE a.d < 2;
CREATE TABLE upd AS SELECT id * 10 AS id, 2 AS version, -1.0 AS val FROM facts WHERE id % 100 = 0;
SELECT count(*) FROM upd;
MERGE INTO facts f USING upd u ON f.id = u.id WHEN MATCHED THEN UPDATE SET version = u.version, val = u.val WHEN NOT MATCHED THEN INSERT VALUES (u.id, u.version, u.val);
SELECT version, count(*) AS n, sum(val) AS total, min(id) AS lo, max(id) AS hi FROM facts GROUP BY version ORDER BY version;
SELECT count(*), count(DISTINCT id) FROM facts;
MERGE INTO facts f USING (SELECT id FROM facts WHERE id >= 1000000) u ON f.id = u.id WHEN MATCHED THEN DELETE;
SELECT count(*), max(id) FROM facts;

-- sequence: big update from small lookup
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE big AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id, g.d AS code, CAST(NULL AS VARCHAR) AS label FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g WHERE a.d < 2;
CREATE TABLE lookup (code INTEGER, label VARCHAR);
INSERT INTO lookup VALUES (0, 'zero'), (1, 'one'), (2, 'two'), (5, 'five');
UPDATE big SET label = lookup.label FROM lookup WHERE big.code = lookup.code;
SELECT label, count(*) AS n FROM big GROUP BY label ORDER BY label NULLS LAST;
DELETE FROM big USING lookup WHERE big.code = lookup.code AND lookup.label LIKE 't%';
SELECT code, count(*) AS n, count(label) AS labelled FROM big GROUP BY code ORDER BY code;

-- sequence: big delete every other row then window
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE big AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g WHERE a.d < 3;
DELETE FROM big WHERE id % 2 = 1;
SELECT count(*), sum(id) FROM big;
SELECT CAST(id / 50000 AS INTEGER) AS bucket, count(*) AS n FROM big WHERE id % 50000 <> 25000 GROUP BY 1 ORDER BY 1;
SELECT id, row_number() OVER (ORDER BY id) AS rn, lag(id) OVER (ORDER BY id) AS prev FROM big QUALIFY rn IN (1, 61440, 61441, 150000) ORDER BY id;

-- sequence: big delete a whole first row group
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE seq AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g WHERE a.d < 3 ORDER BY id;
DELETE FROM seq WHERE id < 122880;
SELECT count(*), min(id), max(id) FROM seq;
DELETE FROM seq WHERE id >= 245760;
SELECT count(*), min(id), max(id) FROM seq;
UPDATE seq SET id = id - 122880;
SELECT count(*), min(id), max(id), sum(id) FROM seq;
INSERT INTO seq VALUES (-1);
SELECT id FROM seq ORDER BY id LIMIT 3;

-- sequence: big repeated updates to the same rows
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE acc AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id, 0 AS n FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g WHERE a.d < 2;
UPDATE acc SET n = n + 1 WHERE id % 2 = 0;
UPDATE acc SET n = n + 10 WHERE id % 3 = 0;
UPDATE acc SET n = n + 100 WHERE id % 5 = 0;
UPDATE acc SET n = n * 2 WHERE id >= 150000;
SELECT n, count(*) AS c FROM acc GROUP BY n ORDER BY n;
SELECT sum(n), count(*) FROM acc;

-- sequence: big delete where exists small table
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE big AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id, b.d AS tens FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g WHERE a.d < 2;
CREATE TABLE remove (tens INTEGER);
INSERT INTO remove VALUES (1), (4), (9);
DELETE FROM big WHERE EXISTS (SELECT 1 FROM remove r WHERE r.tens = big.tens);
SELECT tens, count(*) AS n FROM big GROUP BY tens ORDER BY tens;
DELETE FROM big WHERE tens NOT IN (SELECT d FROM d10 WHERE d < 5);
SELECT count(*), sum(id) FROM big;

-- sequence: big string column updates
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE names AS SELECT a.d * 10000 + b.d * 1000 + c.d * 100 + e.d * 10 + f.d AS id, 'user_' || CAST(a.d * 10000 + b.d * 1000 + c.d * 100 + e.d * 10 + f.d AS VARCHAR) AS name, CASE f.d WHEN 0 THEN 'red' WHEN 1 THEN 'green' ELSE 'blue' END AS color FROM d10 a, d10 b, d10 c, d10 e, d10 f;
UPDATE names SET name = upper(name), color = 'purple' WHERE id % 7 = 0;
UPDATE names SET name = replace(name, 'user_', 'u') WHERE color = 'red';
SELECT color, count(*) AS n, min(name) AS lo, max(name) AS hi FROM names GROUP BY color ORDER BY color;
SELECT id, name, color FROM names WHERE id IN (0, 7, 10, 11, 99990, 99999) ORDER BY id;
SELECT count(*) FROM names WHERE name LIKE 'U%';

-- sequence: big ctas from modified table
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE big AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id, c.d AS k FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g WHERE a.d < 2;
DELETE FROM big WHERE k = 3;
UPDATE big SET k = 33 WHERE k = 4;
CREATE TABLE derived AS SELECT k, count(*) AS n, sum(id) AS s FROM big GROUP BY k;
CREATE TABLE copy AS SELECT * FROM big WHERE id % 10 = 0;
UPDATE copy SET k = -k;
DELETE FROM big WHERE k = 33;
SELECT * FROM derived ORDER BY k;
SELECT k, count(*) AS n FROM copy GROUP BY k ORDER BY k;
SELECT count(*), sum(k) FROM big;

-- sequence: string cleanup updates
CREATE TABLE raw_names (id INTEGER, name VARCHAR, email VARCHAR);
INSERT INTO raw_names VALUES (1, '  alice smith ', 'ALICE@EXAMPLE.COM'), (2, 'BOB', ' bob@example.com'), (3, 'carol-ann', NULL), (4, '', 'd@x.org'), (5, NULL, '');
UPDATE raw_names SET name = trim(name), email = lower(trim(email));
SELECT id, name, email, length(name) AS len FROM raw_names ORDER BY id;
UPDATE raw_names SET name = upper(substr(name, 1, 1)) || lower(substr(name, 2)) WHERE name <> '';
UPDATE raw_names SET email = NULL WHERE email = '';
SELECT id, name, email FROM raw_names ORDER BY id;
UPDATE raw_names SET name = replace(name, '-', ' ') || ' (' || split_part(email, '@', 2) || ')' WHERE email LIKE '%@%';
SELECT id, name FROM raw_names ORDER BY id;

-- sequence: quotes and unicode in strings
CREATE TABLE words (id INTEGER, w VARCHAR);
INSERT INTO words VALUES (1, 'O''Brien'), (2, 'café'), (3, 'naïve'), (4, '日本語'), (5, 'a;b;c'), (6, 'it''s -- not a comment');
SELECT id, w, length(w) AS n, upper(w) AS up, reverse(w) AS rev FROM words ORDER BY id;
UPDATE words SET w = w || '''' WHERE id IN (1, 2);
DELETE FROM words WHERE w LIKE '%;%';
SELECT id, w FROM words ORDER BY id;
SELECT id FROM words WHERE w = 'O''Brien''' ORDER BY id;
UPDATE words SET w = lpad(w, 6, '*') WHERE length(w) < 6;
SELECT id, w FROM words ORDER BY w, id;

-- sequence: empty string is not null
CREATE TABLE es (id INTEGER, s VARCHAR);
INSERT INTO es VALUES (1, ''), (2, NULL), (3, ' '), (4, 'x');
SELECT id, s IS NULL AS isnull, s = '' AS isempty, length(s) AS len, coalesce(s, 'NULL!') AS shown FROM es ORDER BY id;
UPDATE es SET s = NULL WHERE s = '';
UPDATE es SET s = '' WHERE id = 2;
SELECT id, s IS NULL AS isnull, coalesce(s, 'NULL!') AS shown FROM es ORDER BY id;
DELETE FROM es WHERE trim(s) = '';
SELECT id, s FROM es ORDER BY id;

-- sequence: like patterns in deletes
CREATE TABLE files (path VARCHAR, size INTEGER);
INSERT INTO files VALUES ('logs/a.log', 10), ('logs/b.txt', 20), ('var/syslog', 30), ('logs/x_1.log', 40), ('logs/x11.log', 50), ('home/A.LOG', 60);
DELETE FROM files WHERE starts_with(path, 'logs/x_') AND path LIKE '%.log';
SELECT path FROM files ORDER BY path;
DELETE FROM files WHERE path ILIKE '%.log' AND size > 45;
SELECT path, size FROM files ORDER BY path;
UPDATE files SET size = size * 1000 WHERE path NOT LIKE '/tmp/%';
SELECT path, size FROM files ORDER BY path;

-- sequence: date arithmetic in updates
CREATE TABLE subs (id INTEGER, started DATE, expires DATE, plan VARCHAR);
INSERT INTO subs VALUES (1, '2024-01-31', NULL, 'monthly'), (2, '2023-02-28', NULL, 'yearly'), (3, '2024-02-29', NULL, 'monthly'), (4, '2024-12-15', NULL, 'weekly');
UPDATE subs SET expires = started + 30 WHERE plan = 'monthly';
UPDATE subs SET expires = started + 365 WHERE plan = 'yearly';
UPDATE subs SET expires = started + 7 WHERE plan = 'weekly';
SELECT id, started, expires, datediff('day', started, expires) AS days FROM subs ORDER BY id;
DELETE FROM subs WHERE expires < '2024-03-01';
SELECT id, expires, year(expires) AS y, month(expires) AS m, day(expires) AS d FROM subs ORDER BY id;
UPDATE subs SET started = expires, expires = expires + 30;
SELECT id, started, expires FROM subs ORDER BY id;

-- sequence: group by month after date updates
CREATE TABLE visits (id INTEGER, day DATE, n INTEGER);
INSERT INTO visits VALUES (1, '2024-01-15', 3), (2, '2024-01-31', 4), (3, '2024-02-01', 5), (4, '2024-02-29', 6), (5, '2024-03-31', 7);
UPDATE visits SET day = day + 1;
SELECT CAST(date_trunc('month', day) AS DATE) AS mon, sum(n) AS total, count(*) AS c FROM visits GROUP BY 1 ORDER BY 1;
UPDATE visits SET day = DATE '2024-12-31' WHERE extract(month FROM day) = 2;
SELECT year(day) AS y, month(day) AS m, sum(n) AS total FROM visits GROUP BY year(day), month(day) ORDER BY y, m;
SELECT id, day, last_day(day) AS eom, dayofweek(day) AS dow, dayofyear(day) AS doy FROM visits ORDER BY id;

-- sequence: timestamp columns
CREATE TABLE sessions (sid INTEGER, started TIMESTAMP, ended TIMESTAMP);
INSERT INTO sessions VALUES (1, '2024-05-01 08:00:00', '2024-05-01 09:30:00'), (2, '2024-05-01 23:59:59', NULL), (3, '2024-05-02 12:00:00', '2024-05-02 12:00:01');
UPDATE sessions SET ended = TIMESTAMP '2024-05-02 00:30:00' WHERE ended IS NULL;
SELECT sid, started, ended, datediff('minute', started, ended) AS mins FROM sessions ORDER BY sid;
DELETE FROM sessions WHERE datediff('second', started, ended) < 60;
SELECT sid FROM sessions ORDER BY sid;
SELECT sid, CAST(started AS DATE) AS d, hour(started) AS h, minute(ended) AS mi FROM sessions ORDER BY sid;
UPDATE sessions SET started = date_trunc('hour', started);
SELECT sid, started FROM sessions ORDER BY sid;

-- sequence: timestamps without interval literals
CREATE TABLE pings (host VARCHAR, at_ts TIMESTAMP);
INSERT INTO pings VALUES ('a', '2024-06-01 10:00:00'), ('a', '2024-06-01 10:05:30'), ('b', '2024-06-01 11:00:00'), ('b', '2024-06-02 01:00:00');
DELETE FROM pings WHERE datediff('second', at_ts, TIMESTAMP '2024-06-02 00:00:00') > 40000;
SELECT host, at_ts FROM pings ORDER BY host, at_ts;
UPDATE pings SET at_ts = CAST(CAST(at_ts AS DATE) AS TIMESTAMP) WHERE host = 'b';
SELECT host, at_ts, CAST(at_ts AS VARCHAR) AS txt FROM pings ORDER BY host, at_ts;
SELECT host, min(at_ts) AS first_seen, max(at_ts) AS last_seen FROM pings GROUP BY host ORDER BY host;

-- sequence: boolean flips
CREATE TABLE flags (id INTEGER, on_off BOOLEAN, note VARCHAR);
INSERT INTO flags VALUES (1, true, 'a'), (2, false, 'b'), (3, NULL, 'c'), (4, true, 'd');
UPDATE flags SET on_off = NOT on_off;
SELECT id, on_off FROM flags ORDER BY id;
UPDATE flags SET on_off = coalesce(on_off, id % 2 = 1);
SELECT count_if(on_off) AS n_true, count(*) FILTER (WHERE NOT on_off) AS n_false, bool_and(on_off) AS all_on, bool_or(on_off) AS any_on FROM flags;
DELETE FROM flags WHERE on_off;
SELECT id, on_off, note FROM flags ORDER BY id;
UPDATE flags SET on_off = note > 'b';
SELECT id, on_off FROM flags ORDER BY id;

-- sequence: implicit casts on write
CREATE TABLE casts (i INTEGER, b BIGINT, d DOUBLE, s VARCHAR, dt DATE);
INSERT INTO casts VALUES ('12', 3000000000, 1, 42, '2024-07-04');
INSERT INTO casts (i, d, s) SELECT 7, 7, 'seven';
UPDATE casts SET d = i + 0.25, s = s || '!' WHERE i = 12;
UPDATE casts SET i = 2.75 WHERE i = 7;
SELECT i, b, d, s, dt FROM casts ORDER BY i;
UPDATE casts SET b = b * 3 WHERE b IS NOT NULL;
SELECT sum(b), sum(i), sum(d) FROM casts;

-- sequence: double arithmetic after updates
CREATE TABLE meas (id INTEGER, x DOUBLE);
INSERT INTO meas VALUES (1, 0.1), (2, 0.2), (3, 0.3), (4, 1e10), (5, -1e-10), (6, 3.0);
UPDATE meas SET x = x * 3 WHERE id <= 3;
SELECT id, x FROM meas ORDER BY id;
UPDATE meas SET x = x / 7 WHERE id >= 4;
SELECT sum(x), avg(x), min(x), max(x), stddev_samp(x) FROM meas;
UPDATE meas SET x = sqrt(abs(x)) + ln(abs(x) + 1);
SELECT id, x, round(x, 4) AS r FROM meas ORDER BY id;

-- sequence: bigint values
CREATE TABLE bigs (id INTEGER, v BIGINT);
INSERT INTO bigs VALUES (1, 9007199254740993), (2, -9007199254740993), (3, 4611686018427387904), (4, 0);
UPDATE bigs SET v = v + 1 WHERE id <= 2;
SELECT id, v FROM bigs ORDER BY id;
UPDATE bigs SET v = v / 2 WHERE id = 3;
SELECT id, v FROM bigs ORDER BY v;
SELECT max(v), min(v), count(DISTINCT v) FROM bigs;

-- sequence: inventory decrements from orders
CREATE TABLE stock_levels (sku VARCHAR, on_hand INTEGER, reserved INTEGER);
CREATE TABLE new_orders (order_id INTEGER, sku VARCHAR, qty INTEGER);
INSERT INTO stock_levels VALUES ('A', 100, 0), ('B', 5, 0), ('C', 0, 0), ('D', 20, 2);
INSERT INTO new_orders VALUES (1, 'A', 10), (2, 'B', 3), (3, 'A', 5), (4, 'D', 1), (5, 'E', 2), (6, 'B', 4);
UPDATE stock_levels SET reserved = reserved + o.total FROM (SELECT sku, sum(qty) AS total FROM new_orders GROUP BY sku) o WHERE stock_levels.sku = o.sku;
SELECT sku, on_hand, reserved, on_hand - reserved AS available FROM stock_levels ORDER BY sku;
SELECT o.order_id, o.sku FROM new_orders o LEFT JOIN stock_levels s ON s.sku = o.sku WHERE s.sku IS NULL OR s.on_hand < s.reserved ORDER BY o.order_id;
DELETE FROM new_orders WHERE sku NOT IN (SELECT sku FROM stock_levels WHERE on_hand >= reserved);
UPDATE stock_levels SET on_hand = on_hand - reserved, reserved = 0 WHERE on_hand >= reserved;
SELECT * FROM stock_levels ORDER BY sku;
SELECT count(*), sum(qty) FROM new_orders;

-- sequence: bank transfers keep the total
CREATE TABLE bank (acct INTEGER, bal INTEGER);
INSERT INTO bank VALUES (1, 100), (2, 50), (3, 0), (4, 25);
UPDATE bank SET bal = bal - 30 WHERE acct = 1;
UPDATE bank SET bal = bal + 30 WHERE acct = 3;
UPDATE bank SET bal = bal + CASE acct WHEN 2 THEN -20 WHEN 4 THEN 20 ELSE 0 END;
SELECT * FROM bank ORDER BY acct;
SELECT sum(bal) FROM bank;
UPDATE bank SET bal = (SELECT sum(bal) FROM bank) WHERE acct = 4;
UPDATE bank SET bal = 0 WHERE acct <> 4;
SELECT acct, bal FROM bank ORDER BY acct;

-- sequence: dedupe keeping the latest version
CREATE TABLE versions (k VARCHAR, ver INTEGER, payload VARCHAR);
INSERT INTO versions VALUES ('a', 1, 'a1'), ('a', 2, 'a2'), ('a', 3, 'a3'), ('b', 1, 'b1'), ('c', 5, 'c5'), ('c', 2, 'c2');
DELETE FROM versions WHERE EXISTS (SELECT 1 FROM versions v2 WHERE v2.k = versions.k AND v2.ver > versions.ver);
SELECT * FROM versions ORDER BY k;
INSERT INTO versions VALUES ('a', 4, 'a4'), ('b', 0, 'b0');
DELETE FROM versions WHERE ver < (SELECT max(ver) FROM versions v2 WHERE v2.k = versions.k);
SELECT * FROM versions ORDER BY k;

-- sequence: dedupe with create or replace
CREATE TABLE dupes (id INTEGER, name VARCHAR);
INSERT INTO dupes VALUES (1, 'a'), (1, 'a'), (2, 'b'), (2, 'b'), (2, 'b'), (3, NULL), (3, NULL);
SELECT id, name, count(*) AS n FROM dupes GROUP BY id, name ORDER BY id;
CREATE OR REPLACE TABLE dupes AS SELECT DISTINCT id, name FROM dupes;
SELECT * FROM dupes ORDER BY id;
INSERT INTO dupes SELECT * FROM dupes WHERE id = 2;
CREATE OR REPLACE TABLE dupes AS SELECT id, min(name) AS name FROM dupes GROUP BY id;
SELECT * FROM dupes ORDER BY id;

-- sequence: job queue processing
CREATE TABLE jobs (job_id INTEGER, state VARCHAR, attempts INTEGER DEFAULT 0, worker VARCHAR);
INSERT INTO jobs (job_id, state) VALUES (1, 'queued'), (2, 'queued'), (3, 'queued'), (4, 'queued'), (5, 'queued');
UPDATE jobs SET state = 'running', worker = 'w1', attempts = attempts + 1 WHERE job_id IN (SELECT job_id FROM jobs WHERE state = 'queued' ORDER BY job_id LIMIT 2);
SELECT * FROM jobs ORDER BY job_id;
UPDATE jobs SET state = 'done' WHERE job_id = 1;
UPDATE jobs SET state = 'queued', worker = NULL WHERE state = 'running';
UPDATE jobs SET state = 'running', worker = 'w2', attempts = attempts + 1 WHERE job_id IN (SELECT job_id FROM jobs WHERE state = 'queued' ORDER BY job_id LIMIT 3);
SELECT state, count(*) AS n, sum(attempts) AS tries FROM jobs GROUP BY state ORDER BY state;
DELETE FROM jobs WHERE state = 'done';
SELECT job_id, state, attempts, worker FROM jobs ORDER BY job_id;

-- sequence: raises by department average
CREATE TABLE workers (id INTEGER, dept VARCHAR, pay DOUBLE);
INSERT INTO workers VALUES (1, 'a', 50.0), (2, 'a', 70.0), (3, 'a', 90.0), (4, 'b', 40.0), (5, 'b', 60.0), (6, 'c', 100.0);
UPDATE workers SET pay = pay * 1.1 WHERE pay < (SELECT avg(pay) FROM workers w2 WHERE w2.dept = workers.dept);
SELECT id, dept, pay FROM workers ORDER BY id;
UPDATE workers SET pay = d.avg_pay FROM (SELECT dept, avg(pay) AS avg_pay FROM workers GROUP BY dept) d WHERE workers.dept = d.dept AND workers.pay > d.avg_pay;
SELECT id, dept, pay FROM workers ORDER BY id;
SELECT dept, avg(pay) AS a, max(pay) - min(pay) AS spread FROM workers GROUP BY dept ORDER BY dept;

-- sequence: leaderboard with ranks
CREATE TABLE board (player VARCHAR, score INTEGER);
INSERT INTO board VALUES ('ann', 100), ('bob', 90), ('cat', 90), ('dan', 80);
SELECT player, score, rank() OVER (ORDER BY score DESC) AS r, dense_rank() OVER (ORDER BY score DESC) AS dr FROM board ORDER BY r, player;
UPDATE board SET score = score + 15 WHERE player = 'dan';
INSERT INTO board VALUES ('eve', 95), ('fay', 100);
DELETE FROM board WHERE player = 'ann';
SELECT player, score, rank() OVER (ORDER BY score DESC) AS r, percent_rank() OVER (ORDER BY score DESC) AS pr, cume_dist() OVER (ORDER BY score DESC) AS cd FROM board ORDER BY r, player;

-- sequence: soft delete then hard delete
CREATE TABLE notes (id INTEGER, body VARCHAR, deleted BOOLEAN DEFAULT false, deleted_on DATE);
INSERT INTO notes (id, body) VALUES (1, 'one'), (2, 'two'), (3, 'three'), (4, 'four');
UPDATE notes SET deleted = true, deleted_on = '2024-08-01' WHERE id IN (2, 4);
SELECT id, body FROM notes WHERE NOT deleted ORDER BY id;
UPDATE notes SET deleted = false, deleted_on = NULL WHERE id = 4;
DELETE FROM notes WHERE deleted AND deleted_on < '2024-09-01';
SELECT * FROM notes ORDER BY id;

-- sequence: audit log of changes
CREATE TABLE acct (id INTEGER, email VARCHAR);
CREATE TABLE audit (id INTEGER, old_email VARCHAR, new_email VARCHAR, seq INTEGER);
INSERT INTO acct VALUES (1, 'a@old'), (2, 'b@old'), (3, 'c@old');
CREATE TABLE pending (id INTEGER, email VARCHAR);
INSERT INTO pending VALUES (1, 'a@new'), (3, 'c@old'), (4, 'd@new');
INSERT INTO audit SELECT a.id, a.email, p.email, 1 FROM acct a JOIN pending p ON a.id = p.id WHERE a.email <> p.email;
UPDATE acct SET email = p.email FROM pending p WHERE acct.id = p.id;
INSERT INTO audit SELECT p.id, NULL, p.email, 1 FROM pending p WHERE p.id NOT IN (SELECT id FROM acct);
INSERT INTO acct SELECT id, email FROM pending WHERE id NOT IN (SELECT id FROM acct);
SELECT * FROM acct ORDER BY id;
SELECT * FROM audit ORDER BY id;

-- sequence: change detection with except and intersect
CREATE TABLE before_t (id INTEGER, v VARCHAR);
INSERT INTO before_t VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, NULL);
CREATE TABLE after_t AS SELECT * FROM before_t;
UPDATE after_t SET v = 'B' WHERE id = 2;
DELETE FROM after_t WHERE id = 3;
INSERT INTO after_t VALUES (5, 'e');
SELECT id, v FROM (SELECT * FROM after_t EXCEPT SELECT * FROM before_t) x ORDER BY id;
SELECT id, v FROM (SELECT * FROM before_t EXCEPT SELECT * FROM after_t) x ORDER BY id;
SELECT id, v FROM (SELECT * FROM before_t INTERSECT SELECT * FROM after_t) x ORDER BY id;
SELECT count(*) FROM (SELECT * FROM before_t UNION SELECT * FROM after_t) x;

-- sequence: insert select with order by and limit
CREATE TABLE all_scores (name VARCHAR, score INTEGER);
INSERT INTO all_scores VALUES ('a', 5), ('b', 9), ('c', 7), ('d', 9), ('e', 1), ('f', 8);
CREATE TABLE top3 (name VARCHAR, score INTEGER);
INSERT INTO top3 SELECT name, score FROM all_scores ORDER BY score DESC, name LIMIT 3;
SELECT * FROM top3 ORDER BY name;
DELETE FROM all_scores WHERE name IN (SELECT name FROM top3);
INSERT INTO top3 SELECT name, score FROM all_scores ORDER BY score DESC, name LIMIT 1 OFFSET 1;
SELECT * FROM top3 ORDER BY score DESC, name;

-- sequence: recursive cte feeds an insert
CREATE TABLE nums (n INTEGER, sq INTEGER);
INSERT INTO nums WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 20) SELECT n, n * n FROM r;
SELECT count(*), sum(n), sum(sq) FROM nums;
DELETE FROM nums WHERE n % 3 = 0;
UPDATE nums SET sq = -sq WHERE n % 2 = 0;
SELECT n, sq FROM nums WHERE n > 12 ORDER BY n;

-- sequence: ctas with window then update
CREATE TABLE runs (runner VARCHAR, day INTEGER, km DOUBLE);
INSERT INTO runs VALUES ('x', 1, 5.0), ('x', 2, 7.5), ('x', 3, 3.0), ('y', 1, 10.0), ('y', 3, 12.0);
CREATE TABLE runs_ranked AS SELECT runner, day, km, row_number() OVER (PARTITION BY runner ORDER BY km DESC) AS rn, sum(km) OVER (PARTITION BY runner) AS total FROM runs;
SELECT * FROM runs_ranked ORDER BY runner, rn;
UPDATE runs_ranked SET km = 0 WHERE rn > 1;
DELETE FROM runs_ranked WHERE total < 20;
SELECT runner, day, km, rn, total FROM runs_ranked ORDER BY runner, day;

-- sequence: union all of changed tables
CREATE TABLE q1 (id INTEGER, amt INTEGER);
CREATE TABLE q2 (id INTEGER, amt INTEGER);
INSERT INTO q1 VALUES (1, 10), (2, 20);
INSERT INTO q2 VALUES (2, 200), (3, 300);
UPDATE q1 SET amt = amt + 1;
DELETE FROM q2 WHERE id = 3;
INSERT INTO q2 SELECT id + 10, amt FROM q1;
SELECT 'q1' AS src, id, amt FROM q1 UNION ALL SELECT 'q2', id, amt FROM q2 ORDER BY src, id;
SELECT id, sum(amt) AS total FROM (SELECT id, amt FROM q1 UNION ALL SELECT id, amt FROM q2) u GROUP BY id ORDER BY id;

-- sequence: count distinct after updates
CREATE TABLE ev (uid INTEGER, kind VARCHAR);
INSERT INTO ev VALUES (1, 'view'), (1, 'view'), (2, 'view'), (2, 'buy'), (3, 'view'), (3, NULL);
SELECT count(DISTINCT uid), count(DISTINCT kind), count(kind) FROM ev;
UPDATE ev SET kind = 'buy' WHERE uid = 3;
UPDATE ev SET uid = 1 WHERE uid = 2;
SELECT kind, count(DISTINCT uid) AS users, count(*) AS n FROM ev GROUP BY kind ORDER BY kind;
DELETE FROM ev WHERE kind = 'view';
SELECT count(DISTINCT uid), count(*) FROM ev;

-- sequence: min and max after deleting the extremes
CREATE TABLE ext (id INTEGER, v INTEGER, s VARCHAR, d DATE, x DOUBLE);
INSERT INTO ext VALUES (1, 10, 'apple', '2020-01-01', -5.5), (2, 20, 'mango', '2021-06-15', 0.0), (3, 30, 'zebra', '2022-12-31', 7.25), (4, -40, 'aardvark', '1999-01-01', 100.0);
SELECT min(v), max(v), min(s), max(s), min(d), max(d), min(x), max(x) FROM ext;
DELETE FROM ext WHERE id IN (3, 4);
SELECT min(v), max(v), min(s), max(s), min(d), max(d), min(x), max(x) FROM ext;
SELECT count(*) FROM ext WHERE v > 25 OR v < -30 OR s > 'w' OR d < '2000-01-01';
UPDATE ext SET v = 1000, s = 'zzz', d = '2099-01-01', x = 1e9 WHERE id = 1;
SELECT min(v), max(v), min(s), max(s), min(d), max(d), min(x), max(x) FROM ext;
SELECT id FROM ext WHERE v > 500 AND s >= 'zz' AND d > '2050-01-01' AND x > 1e8 ORDER BY id;

-- sequence: big table filters after moving values out of range
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE big AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id, a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS v FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g WHERE a.d < 3 ORDER BY id;
UPDATE big SET v = v + 10000000 WHERE id IN (5, 130000, 250001);
UPDATE big SET v = -v WHERE id IN (6, 200000);
SELECT id, v FROM big WHERE v > 1000000 ORDER BY id;
SELECT id, v FROM big WHERE v < 0 ORDER BY id;
SELECT id, v FROM big WHERE v = 130000 OR v = 10130000 ORDER BY id;
SELECT count(*) FROM big WHERE v BETWEEN 0 AND 299999;
SELECT min(v), max(v) FROM big;
CREATE TABLE keys (k INTEGER);
INSERT INTO keys VALUES (10000005), (-200000), (250001), (42);
SELECT b.id, b.v FROM big b JOIN keys k ON b.v = k.k ORDER BY b.id;

-- sequence: big table point lookups after delete and reinsert
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE big AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id, 'orig' AS tag FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g WHERE a.d < 3 ORDER BY id;
DELETE FROM big WHERE id IN (0, 122879, 122880, 299999);
SELECT count(*) FROM big WHERE id IN (0, 122879, 122880, 299999);
INSERT INTO big VALUES (122880, 'again'), (299999, 'again');
SELECT id, tag FROM big WHERE id IN (0, 1, 122879, 122880, 299999) ORDER BY id;
UPDATE big SET tag = 'updated' WHERE id = 122880;
SELECT tag, count(*) AS n FROM big GROUP BY tag ORDER BY tag;
SELECT id, tag FROM big ORDER BY id DESC LIMIT 3;

-- sequence: many small commits
CREATE TABLE many (id INTEGER, v INTEGER);
INSERT INTO many VALUES (1, 1);
INSERT INTO many VALUES (2, 2);
INSERT INTO many VALUES (3, 3);
INSERT INTO many VALUES (4, 4);
INSERT INTO many VALUES (5, 5);
INSERT INTO many VALUES (6, 6);
INSERT INTO many VALUES (7, 7);
INSERT INTO many VALUES (8, 8);
UPDATE many SET v = v * 10 WHERE id % 2 = 0;
DELETE FROM many WHERE id = 3;
UPDATE many SET v = v + 1;
DELETE FROM many WHERE id = 8;
INSERT INTO many VALUES (9, 9);
UPDATE many SET v = v + 1 WHERE id > 4;
DELETE FROM many WHERE v = 21;
INSERT INTO many SELECT id + 100, v FROM many WHERE id < 5;
UPDATE many SET v = 0 WHERE id > 100;
DELETE FROM many WHERE id = 101;
SELECT * FROM many ORDER BY id;
SELECT count(*), sum(v), sum(id) FROM many;

-- sequence: not in over an empty subquery deletes all rows
CREATE TABLE p (id INTEGER, v VARCHAR);
CREATE TABLE e (id INTEGER);
INSERT INTO p VALUES (1, 'a'), (NULL, 'b'), (3, NULL);
UPDATE p SET v = 'kept' WHERE id IN (SELECT id FROM e);
SELECT id, v FROM p ORDER BY v NULLS FIRST;
DELETE FROM p WHERE id NOT IN (SELECT id FROM e);
SELECT count(*) FROM p;

-- sequence: in subquery with nulls on both sides
CREATE TABLE lhs (id INTEGER, k INTEGER);
CREATE TABLE rhs (k INTEGER);
INSERT INTO lhs VALUES (1, 1), (2, NULL), (3, 3), (4, 4);
INSERT INTO rhs VALUES (1), (NULL), (4);
UPDATE lhs SET k = k * 100 WHERE k IN (SELECT k FROM rhs);
SELECT id, k FROM lhs ORDER BY id;
SELECT id, k IN (SELECT k FROM rhs) AS in_r, k NOT IN (SELECT k FROM rhs) AS not_in_r FROM lhs ORDER BY id;
DELETE FROM lhs WHERE NOT (k IN (SELECT k FROM rhs WHERE k IS NOT NULL));
SELECT id, k FROM lhs ORDER BY id;

-- sequence: is distinct from in updates
CREATE TABLE cur (id INTEGER, v VARCHAR, changed BOOLEAN DEFAULT false);
CREATE TABLE nxt (id INTEGER, v VARCHAR);
INSERT INTO cur (id, v) VALUES (1, 'a'), (2, NULL), (3, 'c'), (4, NULL);
INSERT INTO nxt VALUES (1, 'a'), (2, NULL), (3, NULL), (4, 'd');
UPDATE cur SET v = n.v, changed = true FROM nxt n WHERE cur.id = n.id AND cur.v IS DISTINCT FROM n.v;
SELECT * FROM cur ORDER BY id;
SELECT count(*) FROM cur c JOIN nxt n ON c.id = n.id WHERE c.v IS NOT DISTINCT FROM n.v;

-- sequence: merge source is the target itself
CREATE TABLE selfm (id INTEGER, v INTEGER, w INTEGER);
INSERT INTO selfm VALUES (1, 10, 0), (2, 20, 0), (3, 30, 0);
MERGE INTO selfm USING (SELECT id, v FROM selfm) s ON selfm.id = s.id WHEN MATCHED AND s.v > 15 THEN UPDATE SET w = s.v * 2;
SELECT * FROM selfm ORDER BY id;
MERGE INTO selfm USING (SELECT id + 1 AS id, v FROM selfm) s ON selfm.id = s.id WHEN MATCHED THEN UPDATE SET w = s.v WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.v, -1);
SELECT * FROM selfm ORDER BY id;

-- sequence: update join key used by the from clause
CREATE TABLE m1 (k INTEGER, v VARCHAR);
CREATE TABLE remap (old_k INTEGER, new_k INTEGER);
INSERT INTO m1 VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd');
INSERT INTO remap VALUES (1, 2), (2, 3), (3, 1);
UPDATE m1 SET k = remap.new_k FROM remap WHERE m1.k = remap.old_k;
SELECT * FROM m1 ORDER BY k, v;
UPDATE m1 SET k = remap.new_k FROM remap WHERE m1.k = remap.old_k;
SELECT * FROM m1 ORDER BY k, v;

-- sequence: merge on non equi conditions
CREATE TABLE bands (lo INTEGER, hi INTEGER, label VARCHAR, hits INTEGER);
INSERT INTO bands VALUES (0, 9, 'low', 0), (10, 99, 'mid', 0), (100, 999, 'high', 0);
CREATE TABLE obs (val INTEGER, weight INTEGER);
INSERT INTO obs VALUES (5, 1), (50, 2), (5000, 4);
MERGE INTO bands b USING obs o ON o.val BETWEEN b.lo AND b.hi WHEN MATCHED THEN UPDATE SET hits = b.hits + o.weight WHEN NOT MATCHED THEN INSERT VALUES (o.val, o.val, 'single', o.weight);
SELECT * FROM bands ORDER BY lo;

-- sequence: view over replaced table
CREATE TABLE vt (id INTEGER, v INTEGER);
INSERT INTO vt VALUES (1, 1), (2, 2);
CREATE VIEW vv AS SELECT id, v * 10 AS v10 FROM vt;
CREATE OR REPLACE TABLE vt AS SELECT id + 5 AS id, v FROM vt;
SELECT * FROM vv ORDER BY id;
INSERT INTO vt VALUES (9, 9);
CREATE TABLE from_view AS SELECT * FROM vv WHERE v10 > 10;
DELETE FROM vt;
SELECT count(*) FROM vv;
SELECT * FROM from_view ORDER BY id;

-- sequence: writing to a view is an error
CREATE TABLE wt (id INTEGER);
CREATE VIEW wv AS SELECT id FROM wt;
-- error
INSERT INTO wv VALUES (1);
-- error
DELETE FROM wv;
-- error
UPDATE wv SET id = 2;
SELECT count(*) FROM wt;

-- sequence: ctas with zero rows then inserts
CREATE TABLE srcz (id INTEGER, name VARCHAR, d DATE);
INSERT INTO srcz VALUES (1, 'a', '2024-01-01');
CREATE TABLE emptyc AS SELECT * FROM srcz WHERE false;
SELECT count(*) FROM emptyc;
INSERT INTO emptyc SELECT id + 1, name || 'b', d + 1 FROM srcz;
CREATE TABLE typed_nulls AS SELECT CAST(NULL AS VARCHAR) AS s, CAST(NULL AS DATE) AS d, CAST(NULL AS DOUBLE) AS x;
INSERT INTO typed_nulls VALUES ('text', '2024-02-02', 2.5);
SELECT * FROM emptyc ORDER BY id;
SELECT s, d, x FROM typed_nulls ORDER BY s NULLS FIRST;

-- sequence: top n changes after updates
CREATE TABLE prods (name VARCHAR, sold INTEGER);
INSERT INTO prods VALUES ('a', 5), ('b', 50), ('c', 500), ('d', 40), ('e', 4);
SELECT name, sold FROM prods ORDER BY sold DESC, name LIMIT 2;
UPDATE prods SET sold = sold * 100 WHERE sold < 10;
SELECT name, sold FROM prods ORDER BY sold DESC, name LIMIT 2;
DELETE FROM prods WHERE sold >= 500;
SELECT name, sold FROM prods ORDER BY sold DESC, name LIMIT 10;
SELECT name, sold FROM prods ORDER BY sold LIMIT 1 OFFSET 1;

-- sequence: truncate then merge
CREATE TABLE tm (k INTEGER, v INTEGER);
INSERT INTO tm VALUES (1, 1), (2, 2);
TRUNCATE tm;
MERGE INTO tm USING (VALUES (1, 10), (2, 20)) AS s(k, v) ON tm.k = s.k WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT VALUES (s.k, s.v);
MERGE INTO tm USING (VALUES (1, 100), (3, 30)) AS s(k, v) ON tm.k = s.k WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT VALUES (s.k, s.v);
SELECT * FROM tm ORDER BY k;

-- sequence: long strings survive updates
CREATE TABLE longs (id INTEGER, s VARCHAR);
INSERT INTO longs VALUES (1, repeat('ab', 5000)), (2, 'short');
UPDATE longs SET s = s || repeat('z', 3000) WHERE id = 1;
UPDATE longs SET s = repeat(s, 1000) WHERE id = 2;
SELECT id, length(s), substr(s, 9999, 4), right(s, 3), md5(s) FROM longs ORDER BY id;

-- sequence: update with scalar subquery reading another updated table
CREATE TABLE totals (name VARCHAR, total INTEGER);
CREATE TABLE parts (name VARCHAR, n INTEGER);
INSERT INTO totals VALUES ('x', 0), ('y', 0);
INSERT INTO parts VALUES ('x', 1), ('x', 2), ('y', 10);
UPDATE parts SET n = n * 2;
UPDATE totals SET total = (SELECT sum(n) FROM parts WHERE parts.name = totals.name);
SELECT * FROM totals ORDER BY name;
DELETE FROM parts WHERE name = 'y';
UPDATE totals SET total = coalesce((SELECT sum(n) FROM parts WHERE parts.name = totals.name), -1);
SELECT * FROM totals ORDER BY name;

-- sequence: update with in list and or conditions
CREATE TABLE colors (id INTEGER, c VARCHAR, shade INTEGER);
INSERT INTO colors VALUES (1, 'red', 1), (2, 'green', 2), (3, 'blue', 3), (4, 'red', 4), (5, 'blue', 5), (6, NULL, 6);
UPDATE colors SET shade = shade * 10 WHERE c IN ('red', 'blue') AND (shade > 3 OR id = 1);
UPDATE colors SET c = 'grey' WHERE c IS NULL OR c NOT IN ('red', 'green');
SELECT * FROM colors ORDER BY id;
SELECT c, sum(shade) AS s FROM colors GROUP BY c ORDER BY c;

-- sequence: delete with join through two tables
CREATE TABLE orders2 (oid INTEGER, cust INTEGER);
CREATE TABLE lines2 (oid INTEGER, item VARCHAR);
CREATE TABLE gone (cust INTEGER);
INSERT INTO orders2 VALUES (1, 10), (2, 20), (3, 10), (4, 30);
INSERT INTO lines2 VALUES (1, 'a'), (1, 'b'), (2, 'c'), (3, 'd'), (4, 'e'), (5, 'orphan');
INSERT INTO gone VALUES (10);
DELETE FROM lines2 WHERE oid IN (SELECT o.oid FROM orders2 o JOIN gone g ON o.cust = g.cust);
DELETE FROM orders2 WHERE cust IN (SELECT cust FROM gone);
DELETE FROM lines2 WHERE NOT EXISTS (SELECT 1 FROM orders2 o WHERE o.oid = lines2.oid);
SELECT * FROM lines2 ORDER BY oid, item;
SELECT * FROM orders2 ORDER BY oid;

-- sequence: insert values with expressions
CREATE TABLE exprs (id INTEGER, s VARCHAR, d DATE, x DOUBLE);
INSERT INTO exprs VALUES (1 + 1, upper('abc') || '-' || lower('DEF'), DATE '2024-01-01' + 10, 2.0 * 3.5), (abs(-7), replace('a.b.c', '.', ''), CAST('2023-03-03' AS DATE), sqrt(16.0));
SELECT * FROM exprs ORDER BY id;
INSERT INTO exprs SELECT max(id) + 1, 'next', max(d) + 1, sum(x) FROM exprs;
SELECT * FROM exprs ORDER BY id;

-- sequence: windows over a table with holes
CREATE TABLE series (t INTEGER, v DOUBLE);
INSERT INTO series VALUES (1, 1.0), (2, 2.0), (3, 3.0), (4, 4.0), (5, 5.0), (6, 6.0), (7, 7.0), (8, 8.0);
DELETE FROM series WHERE t IN (3, 6);
UPDATE series SET v = v * 10 WHERE t = 4;
SELECT t, v, avg(v) OVER (ORDER BY t ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS smooth, sum(v) OVER (ORDER BY t ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS last3, min(v) OVER (ORDER BY t ROWS BETWEEN CURRENT ROW AND 2 FOLLOWING) AS next_min FROM series ORDER BY t;
SELECT t, v, v - lag(v) OVER (ORDER BY t) AS delta, t - lag(t) OVER (ORDER BY t) AS gap FROM series ORDER BY t;

-- sequence: update from a values list
CREATE TABLE settings (name VARCHAR, val VARCHAR, changed INTEGER DEFAULT 0);
INSERT INTO settings (name, val) VALUES ('mode', 'fast'), ('level', '3'), ('color', 'auto');
UPDATE settings SET val = v.val, changed = changed + 1 FROM (VALUES ('mode', 'safe'), ('color', 'never'), ('extra', 'x')) AS v(name, val) WHERE settings.name = v.name;
SELECT * FROM settings ORDER BY name;
DELETE FROM settings USING (VALUES ('level'), ('nothing')) AS d(name) WHERE settings.name = d.name;
SELECT name, val, changed FROM settings ORDER BY name;

-- sequence: set a column from exists
CREATE TABLE shops (sid INTEGER, has_sales BOOLEAN, big_sale BOOLEAN);
CREATE TABLE shop_sales (sid INTEGER, amt INTEGER);
INSERT INTO shops VALUES (1, NULL, NULL), (2, NULL, NULL), (3, NULL, NULL);
INSERT INTO shop_sales VALUES (1, 5), (1, 500), (3, 50);
UPDATE shops SET has_sales = EXISTS (SELECT 1 FROM shop_sales s WHERE s.sid = shops.sid), big_sale = sid IN (SELECT sid FROM shop_sales WHERE amt > 100);
SELECT * FROM shops ORDER BY sid;
DELETE FROM shop_sales WHERE amt > 100;
UPDATE shops SET big_sale = CASE WHEN sid IN (SELECT sid FROM shop_sales WHERE amt > 100) THEN true ELSE false END;
SELECT sid, has_sales, big_sale FROM shops ORDER BY sid;

-- sequence: integer overflow on update is an error and changes nothing
CREATE TABLE small_ints (id INTEGER, v INTEGER);
INSERT INTO small_ints VALUES (1, 1000), (2, 2000000), (3, -5);
-- error
UPDATE small_ints SET v = v * 10000;
SELECT * FROM small_ints ORDER BY id;
-- error
INSERT INTO small_ints VALUES (4, 3000000000);
UPDATE small_ints SET v = v * 1000 WHERE abs(v) < 10000;
SELECT id, v FROM small_ints ORDER BY id;

-- sequence: not null columns with defaults
CREATE TABLE nn (id INTEGER NOT NULL, status VARCHAR NOT NULL DEFAULT 'new', qty INTEGER NOT NULL DEFAULT 0);
INSERT INTO nn (id) VALUES (1), (2);
INSERT INTO nn VALUES (3, 'old', 5);
-- error
INSERT INTO nn VALUES (4, NULL, 1);
-- error
INSERT INTO nn (id, qty) VALUES (5, NULL);
UPDATE nn SET qty = qty + 1;
-- error
UPDATE nn SET status = NULLIF(status, 'old');
SELECT * FROM nn ORDER BY id;
MERGE INTO nn USING (VALUES (2), (6)) AS s(id) ON nn.id = s.id WHEN MATCHED THEN UPDATE SET status = 'seen' WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id);
SELECT * FROM nn ORDER BY id;

-- sequence: having after deletes
CREATE TABLE votes (poll VARCHAR, choice VARCHAR);
INSERT INTO votes VALUES ('p1', 'a'), ('p1', 'a'), ('p1', 'b'), ('p2', 'a'), ('p2', 'c'), ('p2', 'c'), ('p2', 'c'), ('p3', 'b');
SELECT poll, choice, count(*) AS n FROM votes GROUP BY poll, choice HAVING count(*) > 1 ORDER BY poll, choice;
DELETE FROM votes WHERE poll = 'p2' AND choice = 'c' AND poll IN (SELECT poll FROM votes GROUP BY poll HAVING count(*) > 3);
SELECT poll, count(*) AS n, count(DISTINCT choice) AS choices FROM votes GROUP BY poll HAVING count(*) >= 1 ORDER BY poll;
UPDATE votes SET choice = 'b' WHERE choice = 'a';
SELECT poll, max(choice) AS top FROM votes GROUP BY poll HAVING min(choice) = 'b' ORDER BY poll;

-- sequence: append across a row group boundary
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE grow2 (id BIGINT, src VARCHAR);
INSERT INTO grow2 SELECT a.d * 10000 + b.d * 1000 + c.d * 100 + e.d * 10 + f.d, 'first' FROM d10 a, d10 b, d10 c, d10 e, d10 f;
INSERT INTO grow2 SELECT 100000 + a.d * 10000 + b.d * 1000 + c.d * 100 + e.d * 10 + f.d, 'second' FROM d10 a, d10 b, d10 c, d10 e, d10 f;
INSERT INTO grow2 SELECT 200000 + a.d * 10000 + b.d * 1000 + c.d * 100 + e.d * 10 + f.d, 'third' FROM d10 a, d10 b, d10 c, d10 e, d10 f;
SELECT src, count(*) AS n, min(id) AS lo, max(id) AS hi FROM grow2 GROUP BY src ORDER BY src;
DELETE FROM grow2 WHERE id BETWEEN 99990 AND 100009;
UPDATE grow2 SET src = 'moved' WHERE id % 50000 = 1;
SELECT src, count(*) AS n, sum(id) AS s FROM grow2 GROUP BY src ORDER BY src;
SELECT id, src FROM grow2 WHERE id BETWEEN 99985 AND 100015 ORDER BY id;

-- sequence: big update of every row
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE allrows AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id, CAST(g.d AS DOUBLE) AS x, 'v' || CAST(f.d AS VARCHAR) AS s FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g WHERE a.d < 3;
UPDATE allrows SET x = x / 4 + id, s = s || '!';
SELECT count(*), sum(x), min(s), max(s), count(DISTINCT s) FROM allrows;
UPDATE allrows SET x = -x;
SELECT s, count(*) AS n, sum(x) AS total FROM allrows GROUP BY s ORDER BY s;

-- sequence: big anti join delete against big table
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE ta AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g WHERE a.d < 2;
CREATE TABLE tb AS SELECT id * 2 AS id FROM ta WHERE id < 80000;
DELETE FROM ta WHERE NOT EXISTS (SELECT 1 FROM tb WHERE tb.id = ta.id);
SELECT count(*), min(id), max(id), sum(id) FROM ta;
DELETE FROM tb WHERE id IN (SELECT id FROM ta WHERE id % 3 = 0);
SELECT count(*), sum(id) FROM tb;
UPDATE ta SET id = id + 1 WHERE id IN (SELECT id FROM tb);
SELECT id % 2 AS parity, count(*) AS n FROM ta GROUP BY 1 ORDER BY 1;

-- sequence: big merge with three clauses
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE tgt AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id, 0 AS v FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g WHERE a.d < 2;
CREATE TABLE srcb AS SELECT id + 150000 AS id, id % 10 AS v FROM tgt WHERE id < 100000;
MERGE INTO tgt t USING srcb s ON t.id = s.id WHEN MATCHED AND s.v = 0 THEN DELETE WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED AND s.v < 5 THEN INSERT VALUES (s.id, s.v + 100);
SELECT count(*), sum(v), min(id), max(id) FROM tgt;
SELECT v, count(*) AS n FROM tgt GROUP BY v ORDER BY v;

-- sequence: group by boolean after updates
CREATE TABLE chk (id INTEGER, passed BOOLEAN, score INTEGER);
INSERT INTO chk VALUES (1, true, 90), (2, false, 40), (3, NULL, 70), (4, true, 85), (5, false, 55);
UPDATE chk SET passed = score >= 60;
SELECT passed, count(*) AS n, avg(score) AS a FROM chk GROUP BY passed ORDER BY passed;
UPDATE chk SET score = score + 10 WHERE NOT passed;
UPDATE chk SET passed = score >= 60 WHERE NOT passed;
SELECT passed, count(*) AS n, min(score) AS lo FROM chk GROUP BY passed ORDER BY passed;

-- sequence: insert from union and join
CREATE TABLE e1 (id INTEGER, name VARCHAR);
CREATE TABLE e2 (id INTEGER, name VARCHAR);
CREATE TABLE scoresx (id INTEGER, pts INTEGER);
INSERT INTO e1 VALUES (1, 'a'), (2, 'b');
INSERT INTO e2 VALUES (2, 'b'), (3, 'c');
INSERT INTO scoresx VALUES (1, 10), (3, 30), (3, 5);
CREATE TABLE everyone (id INTEGER, name VARCHAR, pts BIGINT);
INSERT INTO everyone (id, name) SELECT id, name FROM e1 UNION SELECT id, name FROM e2;
UPDATE everyone SET pts = s.total FROM (SELECT id, sum(pts) AS total FROM scoresx GROUP BY id) s WHERE everyone.id = s.id;
INSERT INTO everyone SELECT e.id + 10, e.name || '*', s.pts FROM e2 e JOIN scoresx s ON e.id = s.id;
SELECT * FROM everyone ORDER BY id, pts;

-- sequence: deletes with string and date comparisons to literals
CREATE TABLE arch (id INTEGER, day DATE, code VARCHAR);
INSERT INTO arch VALUES (1, '2023-12-31', 'A10'), (2, '2024-01-01', 'A9'), (3, '2024-06-30', 'B1'), (4, '2025-01-01', 'a1'), (5, NULL, NULL);
DELETE FROM arch WHERE day < '2024-01-01';
DELETE FROM arch WHERE code >= 'B';
SELECT id, day, code FROM arch ORDER BY id;
UPDATE arch SET day = '2030-01-01' WHERE day IS NULL OR code = 'A9';
SELECT id, day FROM arch WHERE day > '2029-12-31' ORDER BY id;

-- sequence: repeated truncate delete insert cycles
CREATE TABLE cyc (id INTEGER, round INTEGER);
INSERT INTO cyc VALUES (1, 1), (2, 1);
DELETE FROM cyc;
INSERT INTO cyc VALUES (1, 2), (2, 2), (3, 2);
TRUNCATE cyc;
INSERT INTO cyc VALUES (1, 3);
UPDATE cyc SET round = round + 1;
DELETE FROM cyc WHERE round = 4;
INSERT INTO cyc VALUES (7, 5), (8, 5);
UPDATE cyc SET id = id * 10;
SELECT * FROM cyc ORDER BY id;
SELECT count(*), sum(round) FROM cyc;

-- sequence: merge with expressions in on and insert
CREATE TABLE codes (code VARCHAR, descr VARCHAR);
INSERT INTO codes VALUES ('AB', 'alpha beta'), ('CD', 'charlie delta');
MERGE INTO codes c USING (VALUES ('ab', 'Alpha Beta v2'), ('ef', 'echo foxtrot')) AS s(code, descr) ON c.code = upper(s.code) WHEN MATCHED THEN UPDATE SET descr = s.descr WHEN NOT MATCHED THEN INSERT VALUES (upper(s.code), lower(s.descr));
SELECT * FROM codes ORDER BY code;

-- sequence: update with arithmetic on nulls
CREATE TABLE nums2 (id INTEGER, a INTEGER, b INTEGER);
INSERT INTO nums2 VALUES (1, 1, NULL), (2, NULL, 2), (3, 3, 3), (4, NULL, NULL);
UPDATE nums2 SET a = a + b, b = coalesce(b, 0) * 2;
SELECT * FROM nums2 ORDER BY id;
UPDATE nums2 SET a = greatest(coalesce(a, 0), b), b = least(b, 4);
SELECT id, a, b FROM nums2 ORDER BY id;
SELECT sum(a), sum(b), avg(a + b) FROM nums2;

-- sequence: cross join build of a calendar then deletes
CREATE TABLE months (m INTEGER);
CREATE TABLE days (d INTEGER);
INSERT INTO months VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12);
INSERT INTO days SELECT a.x * 10 + b.x + 1 FROM (VALUES (0), (1), (2), (3)) a(x), (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) b(x) WHERE a.x * 10 + b.x + 1 <= 31;
CREATE TABLE cal AS SELECT make_date(2024, m, d) AS day FROM months, days WHERE d <= CASE WHEN m = 2 THEN 29 WHEN m IN (4, 6, 9, 11) THEN 30 ELSE 31 END;
SELECT count(*), min(day), max(day) FROM cal;
DELETE FROM cal WHERE dayofweek(day) IN (0, 6);
SELECT month(day) AS m, count(*) AS workdays FROM cal GROUP BY 1 ORDER BY 1;
DELETE FROM cal WHERE day IN (DATE '2024-01-01', DATE '2024-12-25', DATE '2024-12-26');
SELECT count(*) FROM cal;

-- sequence: merge inserts two source rows with the same new key
CREATE TABLE mk (k INTEGER, v VARCHAR);
INSERT INTO mk VALUES (1, 'a');
MERGE INTO mk USING (VALUES (2, 'x'), (2, 'y'), (1, 'b')) AS s(k, v) ON mk.k = s.k WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT VALUES (s.k, s.v);
SELECT * FROM mk ORDER BY k, v;
MERGE INTO mk USING (VALUES (1, 10)) AS s(k, nk) ON mk.k = s.k WHEN MATCHED THEN UPDATE SET k = s.nk;
SELECT * FROM mk ORDER BY k, v;

-- sequence: scalar subqueries with no rows or several rows
CREATE TABLE sq (id INTEGER, v INTEGER);
INSERT INTO sq VALUES (1, 10), (2, 20);
DELETE FROM sq WHERE v = (SELECT v FROM sq WHERE id = 99);
SELECT count(*) FROM sq;
UPDATE sq SET v = (SELECT v FROM sq WHERE id = 99) WHERE id = 1;
SELECT id, v FROM sq ORDER BY id;
-- error
UPDATE sq SET v = (SELECT v FROM sq) WHERE id = 2;
-- error
DELETE FROM sq WHERE v = (SELECT id FROM sq);
SELECT id, v FROM sq ORDER BY id;
UPDATE sq SET v = (SELECT max(s2.v) FROM sq s2 WHERE s2.id > sq.id);
SELECT id, v FROM sq ORDER BY id;

-- sequence: duplicate names are errors
CREATE TABLE dn (a INTEGER, b INTEGER);
-- error
UPDATE dn SET a = 1, a = 2;
-- error
INSERT INTO dn (a, a) VALUES (1, 2);
-- error
CREATE TABLE dn2 (x INTEGER, x VARCHAR);
INSERT INTO dn VALUES (1, 2);
SELECT * FROM dn ORDER BY a;

-- sequence: drop semantics of views and tables
CREATE TABLE base1 (id INTEGER);
CREATE VIEW v1 AS SELECT id FROM base1;
-- error
DROP VIEW base1;
-- error
DROP TABLE v1;
-- error
CREATE VIEW base1 AS SELECT 1 AS id;
-- error
CREATE TABLE v1 (id INTEGER);
INSERT INTO base1 VALUES (1);
SELECT * FROM v1 ORDER BY id;
DROP VIEW IF EXISTS v1;
DROP VIEW IF EXISTS v1;
SELECT count(*) FROM base1;

-- sequence: nulls in a whole row group
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE nb AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id, g.d AS v, 'k' || CAST(g.d AS VARCHAR) AS s FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g WHERE a.d < 3 ORDER BY id;
UPDATE nb SET v = NULL, s = NULL WHERE id < 122880;
SELECT count(*), count(v), count(s), sum(v) FROM nb;
SELECT count(*) FROM nb WHERE v IS NULL;
SELECT count(*) FROM nb WHERE v > 5;
SELECT count(*) FROM nb WHERE s = 'k3';
UPDATE nb SET s = 'new' WHERE id % 100000 = 7;
SELECT s, count(*) AS n FROM nb GROUP BY s ORDER BY s NULLS FIRST;
SELECT id, v, s FROM nb WHERE s = 'new' ORDER BY id;
SELECT id FROM nb WHERE v IS NOT NULL ORDER BY id LIMIT 3 OFFSET 2;
SELECT id FROM nb ORDER BY id DESC LIMIT 2;

-- sequence: limit over a table with deleted rows
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE lim AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g WHERE a.d < 3 ORDER BY id;
DELETE FROM lim WHERE id < 200000 AND id % 1000 <> 999;
SELECT count(*) FROM lim;
SELECT id FROM lim WHERE id > 100 ORDER BY id LIMIT 5;
SELECT count(*) FROM (SELECT id FROM lim LIMIT 150) x;
SELECT min(id) FROM (SELECT id FROM lim WHERE id >= 199999 ORDER BY id LIMIT 10) x;

-- sequence: drop a table a view reads
CREATE TABLE b2 (id INTEGER);
CREATE VIEW v2 AS SELECT id FROM b2;
DROP TABLE b2;
-- error
SELECT * FROM v2;
CREATE TABLE b2 (id INTEGER);
INSERT INTO b2 VALUES (5);
SELECT id FROM v2 ORDER BY id;

-- sequence: create or replace does not change an object's kind
-- DuckDB (and Snowflake) refuse to replace a table by a view or a view by a table.
CREATE TABLE base1 (id INTEGER);
INSERT INTO base1 VALUES (1), (2);
CREATE VIEW v1 AS SELECT id * 10 AS id FROM base1;
-- error
CREATE OR REPLACE VIEW base1 AS SELECT 7 AS id;
SELECT * FROM base1 ORDER BY id;
-- error
CREATE OR REPLACE TABLE v1 AS SELECT 8 AS id;
SELECT * FROM v1 ORDER BY id;
CREATE TABLE IF NOT EXISTS v1 (x INTEGER);
SELECT * FROM v1 ORDER BY id;

-- sequence: casts on write between types
CREATE TABLE cw (id INTEGER, s VARCHAR, d DATE, ts TIMESTAMP, x DOUBLE, b BIGINT);
INSERT INTO cw VALUES (1, NULL, NULL, NULL, NULL, NULL);
UPDATE cw SET s = 1.5;
SELECT s FROM cw;
UPDATE cw SET s = CAST(0.1 AS DOUBLE) + CAST(0.2 AS DOUBLE);
SELECT s FROM cw;
UPDATE cw SET s = DATE '2024-02-03';
SELECT s FROM cw;
UPDATE cw SET s = true;
SELECT s FROM cw;
UPDATE cw SET s = TIMESTAMP '2024-02-03 04:05:06';
SELECT s FROM cw;
UPDATE cw SET d = TIMESTAMP '2024-02-03 23:59:59';
SELECT d FROM cw;
UPDATE cw SET ts = DATE '2024-02-03';
SELECT ts FROM cw;
UPDATE cw SET x = 7, b = 7.0;
SELECT x, b FROM cw;
UPDATE cw SET s = 12345678901234;
SELECT s FROM cw;
UPDATE cw SET s = CAST(1e20 AS DOUBLE);
SELECT s FROM cw;
UPDATE cw SET s = CAST(100 AS DOUBLE);
SELECT s FROM cw;
UPDATE cw SET x = '2.5e3', b = '42';
SELECT x, b FROM cw;
INSERT INTO cw (id, s) SELECT 2, x FROM cw;
SELECT id, s FROM cw ORDER BY id;

-- sequence: delete using with duplicate matches
CREATE TABLE du (id INTEGER);
CREATE TABLE dups (id INTEGER);
INSERT INTO du VALUES (1), (2), (3);
INSERT INTO dups VALUES (1), (1), (3), (3), (3);
DELETE FROM du USING dups WHERE du.id = dups.id;
SELECT * FROM du ORDER BY id;
INSERT INTO du VALUES (1), (3);
DELETE FROM du WHERE id IN (SELECT id FROM dups);
SELECT * FROM du ORDER BY id;

-- sequence: ambiguous and aliased references
CREATE TABLE t (id INTEGER, v INTEGER);
CREATE TABLE s (id INTEGER, v INTEGER);
INSERT INTO t VALUES (1, 1), (2, 2), (3, 3);
INSERT INTO s VALUES (1, 10), (3, 30);
-- error
UPDATE t SET v = v + 1 FROM s WHERE t.id = s.id;
-- error
UPDATE t SET v = 0 FROM s WHERE id = 1;
UPDATE t x SET v = y.v + x.v FROM s y WHERE x.id = y.id;
SELECT * FROM t ORDER BY id;
DELETE FROM t x WHERE EXISTS (SELECT 1 FROM s WHERE s.id = x.id AND s.v < x.v);
SELECT * FROM t ORDER BY id;

-- sequence: row numbers written back with update from
CREATE TABLE rk (id INTEGER, score INTEGER, pos INTEGER);
INSERT INTO rk VALUES (1, 50, NULL), (2, 70, NULL), (3, 60, NULL), (4, 70, NULL);
UPDATE rk SET pos = r.rn FROM (SELECT id, row_number() OVER (ORDER BY score DESC, id) AS rn FROM rk) r WHERE rk.id = r.id;
SELECT * FROM rk ORDER BY pos;
UPDATE rk SET score = (SELECT count(*) FROM rk) * 10 + score;
SELECT id, score FROM rk ORDER BY id;

-- sequence: values type unification
CREATE TABLE vu (a DOUBLE, b DATE, c VARCHAR);
INSERT INTO vu VALUES (NULL, NULL, NULL), (1, '2024-01-01', 'x'), (2.5, NULL, NULL);
INSERT INTO vu SELECT * FROM (VALUES (3, DATE '2024-02-02', 'y'), (NULL, NULL, NULL)) v(a, b, c);
SELECT * FROM vu ORDER BY a NULLS FIRST, c NULLS FIRST;
SELECT count(*), count(a), sum(a), count(b) FROM vu;

-- sequence: merge using a subquery with cte and window
CREATE TABLE latest (k VARCHAR, v INTEGER, ver INTEGER);
INSERT INTO latest VALUES ('a', 1, 1), ('b', 2, 1);
CREATE TABLE changes (k VARCHAR, v INTEGER, ver INTEGER);
INSERT INTO changes VALUES ('a', 10, 2), ('a', 11, 3), ('c', 30, 1), ('c', 31, 2), ('b', 0, 1);
MERGE INTO latest l USING (WITH r AS (SELECT k, v, ver, row_number() OVER (PARTITION BY k ORDER BY ver DESC) AS rn FROM changes) SELECT k, v, ver FROM r WHERE rn = 1) c ON l.k = c.k WHEN MATCHED AND c.ver > l.ver THEN UPDATE SET v = c.v, ver = c.ver WHEN NOT MATCHED THEN INSERT VALUES (c.k, c.v, c.ver);
SELECT * FROM latest ORDER BY k;

-- sequence: insert rollup results
CREATE TABLE sales3 (region VARCHAR, y INTEGER, amt INTEGER);
INSERT INTO sales3 VALUES ('n', 2023, 1), ('n', 2024, 2), ('s', 2023, 3), ('s', 2024, 4);
CREATE TABLE report (region VARCHAR, y INTEGER, total BIGINT);
INSERT INTO report SELECT region, y, sum(amt) FROM sales3 GROUP BY ROLLUP (region, y);
SELECT * FROM report ORDER BY region NULLS LAST, y NULLS LAST;
DELETE FROM report WHERE y IS NULL AND region IS NOT NULL;
UPDATE report SET region = 'all' WHERE region IS NULL;
SELECT region, y, total FROM report ORDER BY region, y;

-- sequence: million rows with text keys
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE mil AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id, 'key-' || CAST(b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS VARCHAR) AS k, CAST(a.d AS DOUBLE) / 3 AS x FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g;
SELECT count(*), count(DISTINCT k), sum(x) FROM mil;
UPDATE mil SET k = k || '-u', x = x * 3 WHERE id % 97 = 0;
DELETE FROM mil WHERE k LIKE 'key-9999%' OR id BETWEEN 500000 AND 500100;
SELECT count(*), count(DISTINCT k), sum(x), min(k), max(k) FROM mil;
SELECT k, count(*) AS n FROM mil WHERE k IN ('key-0', 'key-0-u', 'key-12345', 'key-12345-u', 'key-99999') GROUP BY k ORDER BY k;
SELECT id, k, x FROM mil WHERE id IN (0, 97, 500050, 500101, 999999, 999998) ORDER BY id;
MERGE INTO mil m USING (SELECT id, k FROM mil WHERE id % 100000 = 1) s ON m.id = s.id WHEN MATCHED THEN DELETE;
SELECT count(*), sum(id) FROM mil;

-- sequence: snapshot semantics of self reading updates
CREATE TABLE ss (g VARCHAR, v INTEGER);
INSERT INTO ss VALUES ('a', 1), ('a', 2), ('a', 3), ('b', 10), ('b', 10), ('b', 5);
UPDATE ss SET v = v + 1 WHERE v < (SELECT max(v) FROM ss s2 WHERE s2.g = ss.g);
SELECT g, v FROM ss ORDER BY g, v;
UPDATE ss SET v = (SELECT sum(v) FROM ss s2 WHERE s2.g = ss.g) - v;
SELECT g, v FROM ss ORDER BY g, v;
INSERT INTO ss SELECT g || g, v FROM ss WHERE v > (SELECT avg(v) FROM ss);
SELECT g, v FROM ss ORDER BY g, v;

-- sequence: writes to a never populated table
CREATE TABLE nev (id INTEGER, v VARCHAR);
UPDATE nev SET v = 'x';
DELETE FROM nev WHERE id = 1;
DELETE FROM nev;
TRUNCATE nev;
MERGE INTO nev USING (SELECT 1 AS id) s ON nev.id = s.id WHEN MATCHED THEN DELETE;
UPDATE nev SET v = 'y' FROM (VALUES (1)) s(id) WHERE nev.id = s.id;
SELECT count(*) FROM nev;
INSERT INTO nev SELECT * FROM nev;
SELECT count(*), max(v) FROM nev;

-- sequence: catalog after ddl
CREATE TABLE c1 (a INTEGER, b VARCHAR);
CREATE TABLE c2 AS SELECT 1 AS x, 'y' AS y;
CREATE VIEW c3 AS SELECT a FROM c1;
SELECT table_name, table_type FROM information_schema.tables ORDER BY table_name;
DROP TABLE c2;
CREATE OR REPLACE TABLE c1 (z DATE, a INTEGER, q DOUBLE);
SELECT table_name, column_name, ordinal_position FROM information_schema.columns WHERE table_name IN ('c1', 'c3') ORDER BY table_name, ordinal_position;
SELECT table_name FROM information_schema.tables ORDER BY table_name;

-- sequence: ordered aggregates after changes
CREATE TABLE oa (grp VARCHAR, name VARCHAR, v DOUBLE);
INSERT INTO oa VALUES ('a', 'x', 1.0), ('a', 'y', 2.0), ('a', 'z', 10.0), ('b', 'p', 5.0), ('b', 'q', 7.0);
SELECT grp, median(v) AS med, string_agg(name, ',' ORDER BY name) AS names FROM oa GROUP BY grp ORDER BY grp;
UPDATE oa SET grp = 'b' WHERE name = 'z';
DELETE FROM oa WHERE name = 'p';
INSERT INTO oa VALUES ('a', 'w', 4.0);
SELECT grp, median(v) AS med, quantile_cont(v, 0.25) AS q1, string_agg(name, '|' ORDER BY v DESC) AS names FROM oa GROUP BY grp ORDER BY grp;

-- sequence: identifiers are case insensitive
CREATE TABLE MixedCase (UserId INTEGER, UserName VARCHAR);
INSERT INTO mixedcase (userid, username) VALUES (1, 'a');
INSERT INTO MIXEDCASE VALUES (2, 'b');
UPDATE MixedCase SET USERNAME = upper(username) WHERE USERID = 2;
DELETE FROM mixedCASE WHERE userId = 1;
SELECT userid, USERNAME FROM MixedCase ORDER BY UserId;

-- sequence: misuse errors
CREATE TABLE mu (id INTEGER, v INTEGER);
CREATE VIEW muv AS SELECT * FROM mu;
INSERT INTO mu VALUES (1, 1), (2, 2);
-- error
TRUNCATE muv;
-- error
TRUNCATE nosuch;
-- error
DELETE FROM mu WHERE max(v) > 1;
-- error
UPDATE mu SET v = max(v);
-- error
DELETE FROM mu WHERE row_number() OVER () = 1;
-- error
MERGE INTO mu USING (SELECT 1 AS id) s ON mu.id = s.id WHEN MATCHED THEN UPDATE SET v = sum(s.id);
-- error
MERGE INTO muv USING (SELECT 1 AS id) s ON muv.id = s.id WHEN MATCHED THEN DELETE;
-- error
MERGE INTO nosuch USING (SELECT 1 AS id) s ON nosuch.id = s.id WHEN MATCHED THEN DELETE;
-- error
UPDATE mu SET v = 1 WHERE nosuch = 1;
-- error
DELETE FROM mu WHERE id = 'abc';
SELECT * FROM mu ORDER BY id;

-- sequence: window functions are not allowed in update
-- DuckDB and PostgreSQL refuse a window function in UPDATE ... SET.
CREATE TABLE wu (id INTEGER, v INTEGER);
INSERT INTO wu VALUES (1, 10), (2, 20), (3, 30);
-- error
UPDATE wu SET v = row_number() OVER (ORDER BY v DESC) WHERE id > 1;
-- error
UPDATE wu SET v = sum(v) OVER ();
SELECT id, v FROM wu ORDER BY id;

-- sequence: sorted table loses its order after updates
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE srt AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id, 'n' || CAST(g.d AS VARCHAR) AS s, make_date(2000 + a.d, 1 + b.d, 1 + c.d) AS day FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g WHERE a.d < 3 ORDER BY id;
SELECT min(id), max(id), min(s), max(s), min(day), max(day) FROM srt;
DELETE FROM srt WHERE id IN (0, 299999);
UPDATE srt SET day = DATE '1990-05-05', s = 'a-first' WHERE id = 150000;
UPDATE srt SET day = DATE '2099-12-31', s = 'z-last' WHERE id = 1;
SELECT min(id), max(id), min(s), max(s), min(day), max(day) FROM srt;
UPDATE srt SET id = 1000000 - id WHERE id % 100000 = 5;
SELECT id, s, day FROM srt ORDER BY id LIMIT 4;
SELECT id, s, day FROM srt ORDER BY id DESC LIMIT 4;
SELECT id, day FROM srt ORDER BY day, id LIMIT 3;
SELECT id, lag(id) OVER (ORDER BY id) AS prev FROM srt QUALIFY prev IS NULL OR id - prev <> 1 ORDER BY id;
SELECT count(*) FROM srt WHERE day BETWEEN '1990-01-01' AND '1999-12-31';
SELECT count(*) FROM srt WHERE id > 700000;

-- sequence: joins where both sides had deletes
CREATE TABLE d10 AS SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) v(d);
CREATE TABLE lft AS SELECT a.d * 100000 + b.d * 10000 + c.d * 1000 + e.d * 100 + f.d * 10 + g.d AS id FROM d10 a, d10 b, d10 c, d10 e, d10 f, d10 g WHERE a.d < 2;
CREATE TABLE rgt AS SELECT id, id % 7 AS m FROM lft WHERE id % 5 = 0;
DELETE FROM lft WHERE id % 3 = 0;
DELETE FROM rgt WHERE m = 0 OR id > 150000;
SELECT count(*), sum(l.id) FROM lft l JOIN rgt r ON l.id = r.id;
SELECT r.m, count(*) AS n FROM lft l JOIN rgt r ON l.id = r.id GROUP BY r.m ORDER BY r.m;
SELECT count(*) FROM lft l LEFT JOIN rgt r ON l.id = r.id WHERE r.id IS NULL;
SELECT count(*) FROM lft WHERE id IN (SELECT id FROM rgt);
SELECT count(*) FROM rgt WHERE NOT EXISTS (SELECT 1 FROM lft WHERE lft.id = rgt.id);
UPDATE rgt SET m = -1 WHERE id IN (SELECT id FROM lft WHERE id < 1000);
SELECT m, count(*) AS n FROM rgt GROUP BY m ORDER BY m;

-- sequence: update from a one row settings table
CREATE TABLE amounts (id INTEGER, eur DOUBLE, usd DOUBLE);
CREATE TABLE fx (rate DOUBLE, fee DOUBLE);
INSERT INTO amounts VALUES (1, 10.0, NULL), (2, 20.0, NULL), (3, NULL, NULL);
INSERT INTO fx VALUES (1.25, 0.5);
UPDATE amounts SET usd = eur * fx.rate - fx.fee FROM fx;
SELECT * FROM amounts ORDER BY id;
DELETE FROM fx;
UPDATE amounts SET usd = 0 FROM fx;
SELECT id, usd FROM amounts ORDER BY id;
DELETE FROM amounts USING fx;
SELECT count(*) FROM amounts;
INSERT INTO fx VALUES (2.0, 0.0);
DELETE FROM amounts USING fx WHERE amounts.eur IS NULL;
SELECT id FROM amounts ORDER BY id;
DELETE FROM amounts USING fx;
SELECT count(*) FROM amounts;

-- sequence: merge on a condition that never holds
CREATE TABLE mf (id INTEGER, v VARCHAR);
INSERT INTO mf VALUES (1, 'a');
MERGE INTO mf USING (VALUES (1, 'b'), (2, 'c')) AS s(id, v) ON 1 = 0 WHEN MATCHED THEN DELETE WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.v);
SELECT * FROM mf ORDER BY id, v;
MERGE INTO mf USING (SELECT 5 AS id) s ON mf.id = s.id AND mf.v = 'zzz' WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id);
SELECT id, v FROM mf ORDER BY id, v NULLS FIRST;

-- sequence: quoted identifiers with spaces
CREATE TABLE "Order Items" ("Item Name" VARCHAR, "Qty" INTEGER, "group" VARCHAR);
INSERT INTO "Order Items" ("Item Name", "Qty", "group") VALUES ('bolt', 3, 'hw'), ('nut', 5, 'hw'), ('glue', 1, 'craft');
UPDATE "Order Items" SET "Qty" = "Qty" * 2 WHERE "group" = 'hw';
DELETE FROM "Order Items" WHERE "Item Name" = 'glue';
MERGE INTO "Order Items" o USING (VALUES ('nut', 1), ('pin', 9)) AS s(n, q) ON o."Item Name" = s.n WHEN MATCHED THEN UPDATE SET "Qty" = o."Qty" + s.q WHEN NOT MATCHED THEN INSERT VALUES (s.n, s.q, 'new');
SELECT "Item Name", "Qty", "group" FROM "Order Items" ORDER BY "Item Name";
SELECT "group", sum("Qty") AS total FROM "Order Items" GROUP BY "group" ORDER BY "group";
