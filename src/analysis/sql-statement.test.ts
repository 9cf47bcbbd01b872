import { describe, expect, it } from 'vitest';
import { isSqlStatement, startsAsSql } from './sql-statement.js';

describe('isSqlStatement: statements', () => {
  it.each([
    // SELECT with FROM, any case, aliases, joins, quoted names, placeholders
    'SELECT * FROM users',
    'select id, name from users where id = $1',
    'SELECT u.name, o.amount FROM users u JOIN orders o ON u.id = o.user_id',
    'SELECT count(*) AS n FROM "public"."orders" "o" WHERE "o"."status" = ?',
    'SELECT `id` FROM `db`.`users` LIMIT 10',
    'SELECT [id] FROM [dbo].[Users] WITH (NOLOCK)',
    'SELECT * FROM $1 WHERE $2',
    'SELECT id FROM jobs FOR UPDATE SKIP LOCKED',
    'SELECT EXTRACT(YEAR FROM created_at) AS y FROM events',
    'SELECT * FROM (SELECT * FROM users) AS sub',
    'SELECT * FROM numbers(10)',
    'SELECT DISTINCT ON (user_id) user_id, ts FROM events ORDER BY user_id, ts DESC',
    'SELECT CASE WHEN a THEN b ELSE c END FROM t',
    'SELECT id name FROM users',
    'SELECT value FROM db.{{eventName}} WHERE phase = 1',
    'SELECT * FROM users;',
    'SELECT * FROM users -- all of them',
    'SELECT * FROM users /* all */',
    "SELECT 'from the list' AS label FROM t",
    'SELECT a, -- a is already the latest value\n  b FROM t',
    '/* name: getUser */ SELECT * FROM users WHERE id = $1',
    '\n    SELECT *\n    FROM users\n    WHERE id = $1\n  ',
    // SELECT without FROM: calls, numbers, placeholders, casts
    'SELECT 1',
    'select 1+1 as result',
    'SELECT now()',
    'SELECT pg_advisory_lock($1)',
    'SELECT pg_try_advisory_xact_lock(hashtext($1))',
    "SELECT GET_LOCK('jobs', 10)",
    'SELECT $1::regclass',
    'SELECT * WHERE 1=1',
    // INSERT, UPSERT, REPLACE
    'INSERT INTO users (id, name) VALUES ($1, $2)',
    'insert into users values (?, ?)',
    'INSERT INTO users SELECT * FROM staging',
    'INSERT INTO users DEFAULT VALUES',
    'INSERT IGNORE INTO users (id) VALUES (1)',
    'INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)',
    'INSERT INTO $1 $2 ON CONFLICT DO NOTHING',
    'INSERT INTO users AS u (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET name = u.name',
    'INSERT INTO users SET id = 1',
    'INSERT INTO events FORMAT JSONEachRow',
    'UPSERT INTO users (id) VALUES (1)',
    'REPLACE INTO users (id, name) VALUES (1, ?)',
    // UPDATE
    'UPDATE users SET name = $1 WHERE id = $2',
    'update users u set seen = true',
    'UPDATE "users" SET "name" = ?',
    'UPDATE users SET (a, b) = (1, 2)',
    'UPDATE users SET ? WHERE id = ?',
    'UPDATE $1 SET $2 WHERE $3 = $4',
    'UPDATE $1 $2',
    'UPDATE t1 JOIN t2 ON t1.id = t2.id SET t1.a = t2.a',
    'UPDATE LOW_PRIORITY users SET a = 1',
    // DELETE
    'DELETE FROM users WHERE id = $1',
    'delete from jobs',
    'DELETE FROM users u USING orders o WHERE u.id = o.user_id',
    'DELETE FROM ONLY users RETURNING id',
    'DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id',
    'DELETE FROM $1 WHERE $2',
    // WITH
    'WITH recent AS (SELECT * FROM users) SELECT * FROM recent',
    'WITH RECURSIVE tree (id, parent) AS (SELECT 1, NULL) SELECT * FROM tree',
    'WITH moved AS MATERIALIZED (DELETE FROM a RETURNING *) INSERT INTO b SELECT * FROM moved',
    'WITH $1 SELECT * FROM t',
    'WITH 10 AS n SELECT number FROM numbers(n)',
    // MERGE, LOCK, CALL, DO
    'MERGE INTO target t USING source s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v',
    'MERGE target WITH (HOLDLOCK) AS t USING (SELECT 1 AS id) AS s ON t.id = s.id',
    'LOCK TABLE orders IN ACCESS EXCLUSIVE MODE',
    'LOCK orders, items IN SHARE ROW EXCLUSIVE MODE',
    'LOCK TABLES orders WRITE',
    'CALL refresh_totals($1)',
    'DO $$ BEGIN PERFORM 1; END $$',
    'DO $body$ BEGIN NULL; END $body$',
    "DO LANGUAGE plpgsql 'BEGIN NULL; END'",
    "DO RELEASE_LOCK('jobs')",
  ])('%s', (text) => {
    expect(isSqlStatement(text)).toBe(true);
  });
});

describe('isSqlStatement: English and names that start with a SQL word', () => {
  it.each([
    // test titles
    'update timestamp column should be filled in by the server',
    'update the response and revalidate caches',
    'delete removes a row that only the defaults hold',
    'delete the record from the list',
    'DELETE /api/v1/users/:id',
    'DELETE /:id - returns 404 when missing',
    'with custom hour parameter',
    'with strict mode enabled (default)',
    'with two different events from the same session',
    'select id',
    'select title and text',
    'select from the list should return the first',
    'Select which task you want to run',
    'select + group by should keep the order',
    'insert builder should accept computed values',
    'insert into the database works',
    'merge should combine partial records into the target',
    'merge() throws when the schema is refined',
    'replace should replace a module in the map',
    'do not accept a code and a reason together',
    'call site: the signup handler',
    'lock should be released after the job',
    'lock acquired',
    // labels, messages, keys, class names
    'Update an existing item',
    'Select a country',
    'Delete Account',
    'Do you want to continue?',
    'select-board',
    'delete-user-confirm',
    'select select-native',
    'update: without a schedule only new steps count',
    // bare words
    'update',
    'DELETE',
    ' Insert ',
    'merge;',
    'with',
    '',
    'hello world',
  ])('%s', (text) => {
    expect(isSqlStatement(text)).toBe(false);
  });
});

describe('startsAsSql', () => {
  it('needs the first word to end as a statement word does', () => {
    expect(['SELECT', 'select *', 'UPDATE\n', 'with(', '/* x */ DELETE ', 'do;'].map(startsAsSql)).toEqual([true, true, true, true, true, true]);
    expect(['select-board', 'selected', 'update_at', 'DELETE/', 'with.'].map(startsAsSql)).toEqual([false, false, false, false, false]);
  });
});
