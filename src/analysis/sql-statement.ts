/**
 * Is a text a SQL statement, or English that starts with a word SQL starts with? Test titles
 * (`it('update date column should be set by a database')`), translation keys (`t('select-board')`),
 * UI labels (`'Select a country'`) and API routes (`describe('DELETE /api/users/:id')`) begin with
 * SELECT, UPDATE, DELETE or WITH as often as queries do, and a plain call `f('…')` is a query only when
 * its text is one. Each first word is followed by what its statement needs and English does not write:
 * UPDATE … SET col =, INSERT INTO t (…|VALUES|SELECT, DELETE FROM t WHERE, WITH name AS (, MERGE … USING,
 * LOCK TABLE, CALL f(, DO $$. SELECT has no such word, so its list must read as expressions (no three
 * bare words in a row) and a FROM must name a table; without FROM it must hold something no sentence
 * does (a call, a number, a literal, `*`, a placeholder, an operator).
 *
 * The text is the whole statement as the file spells it, with `$n` (or `?`) where an interpolation or
 * parameter stands: a placeholder may stand for a name, a value or a whole clause (`UPDATE ${t} ${set}`).
 */

/** The words a SQL statement passed to a query call starts with. */
export const SQL_START_WORDS = ['SELECT', 'WITH', 'INSERT', 'UPDATE', 'DELETE', 'UPSERT', 'MERGE', 'REPLACE', 'LOCK', 'CALL', 'DO'] as const;

/** An optional block comment, then a first word followed by a blank, `(`, `*`, `;` or the end (not `select-board`). */
const FIRST_WORD = new RegExp(String.raw`^\s*(?:\/\*[\s\S]*?\*\/\s*)*(${SQL_START_WORDS.join('|')})(?=[\s(*;]|$)`, 'i');

/** One part of a name: a word (`link@remote` too), a quoted or bracketed identifier, a template slot, a parameter. */
const PART = String.raw`(?:[#@]?[\w$]+(?:@[\w$]+)?|"[^"]*"|\x60[^\x60]*\x60|\[[^\]]*\]|\{\{[^}]*\}\}|\?\??|:\w+:?)`;
/** A name, qualified or not (`"public"."orders"`, `db..orders`, `db.{{table}}`, `$1`). */
const NAME = String.raw`${PART}(?:\s*\.\.?\s*${PART})*`;
/** An interpolation or positional parameter, which may stand for a whole clause. */
const SLOT = String.raw`(?:\$\d+|\?)`;
/** Words that may follow a table where an alias could stand. */
const AFTER_TABLE = String.raw`WHERE|JOIN|INNER|LEFT|RIGHT|FULL|CROSS|NATURAL|OUTER|GROUP|ORDER|LIMIT|OFFSET|HAVING|UNION|EXCEPT|INTERSECT|MINUS|FOR|WINDOW|FETCH|FINAL|SAMPLE|PREWHERE|ARRAY|SETTINGS|FORMAT|LATERAL|TABLESAMPLE|WITH|USING|ON|QUALIFY|INTO|NOWAIT|RETURNING|OUTPUT|PARTITION|START|CONNECT|PIVOT|UNPIVOT|OPTION|AS`;
/** After a table: an optional alias, then the end, punctuation, a slot, a comment or a clause word (not `users should …`). */
const TABLE_TAIL = String.raw`(?:\s*\*)?(?:\s+(?:AS\s+)?(?!(?:${AFTER_TABLE})\b)${PART})?(?=\s*(?:$|[;,()]|${SLOT}|--|\/\*|\b(?:${AFTER_TABLE})\b))`;

const anyCase = (source: string): RegExp => new RegExp(source, 'i');

const INSERT = anyCase(
  String.raw`^(?:INSERT|UPSERT|REPLACE)\s+(?:(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE|OR\s+\w+|ALL|OVERWRITE)\s+)*(?:INTO\s+)?(?:TABLE\s+)?${NAME}(?:\s+AS\s+${PART})?\s*(?:\(|${SLOT}|\b(?:VALUES?|SELECT|DEFAULT\s+VALUES|SET|FORMAT|SETTINGS|WITH|OVERRIDING|PARTITION|ON)\b)`,
);

/** What each first word but SELECT must be followed by, read from the first word on. */
const STATEMENT: Readonly<Record<Exclude<(typeof SQL_START_WORDS)[number], 'SELECT'>, RegExp>> = {
  // SET and an assignment (`SET a =`, `SET (a, b) =`, `SET ${…}`); or a table and a slot for the rest
  UPDATE: anyCase(String.raw`^UPDATE\b[^;]*?\bSET\s+(?:\(\s*${NAME}|${NAME}\s*=|${SLOT})|^UPDATE\s+(?:(?:LOW_PRIORITY|IGNORE|ONLY)\s+)*${NAME}\s+${SLOT}`),
  INSERT,
  UPSERT: INSERT,
  REPLACE: INSERT,
  DELETE: anyCase(
    String.raw`^DELETE\s+(?:(?:LOW_PRIORITY|QUICK|IGNORE|TOP\s*\(\s*\d+\s*\))\s+)*(?:${NAME}(?:\s*,\s*${NAME})*\s+)?FROM\s+(?:ONLY\s+)?${NAME}${TABLE_TAIL}`,
  ),
  // WITH name [(cols)] AS (; a slot for the whole list; ClickHouse's WITH expr AS name SELECT
  WITH: anyCase(
    String.raw`^WITH\s+(?:${SLOT}|(?:RECURSIVE\s+)?${NAME}\s*(?:\([^)]*\))?\s+AS\s+(?:NOT\s+)?(?:MATERIALIZED\s+)?\(|[\s\S]*?\bAS\s+${NAME}\s*(?:,|\bSELECT\b))`,
  ),
  MERGE: anyCase(String.raw`^MERGE\s+(?:INTO\s+)?${NAME}[\s\S]*\bUSING\b`),
  LOCK: anyCase(String.raw`^LOCK\s+(?:TABLES?\b|(?:ONLY\s+)?${NAME}(?:\s*,\s*${NAME})*\s+IN\s+[\w\s]+?\bMODE\b)`),
  CALL: anyCase(String.raw`^CALL\s+${NAME}\s*\(`),
  // Postgres DO $$ … $$ / DO LANGUAGE; MySQL DO f(…) (DO RELEASE_LOCK('k'))
  DO: anyCase(String.raw`^DO\s+(?:\$\w*\$|LANGUAGE\b|E?'|[\w.]+\s*\()`),
};

/** Words a select list holds between expressions; they break a run of bare words. */
const SELECT_LIST_WORDS: ReadonlySet<string> = new Set(
  (
    'AS DISTINCT ALL ON CASE WHEN THEN ELSE END AND OR NOT IS NULL IN LIKE ILIKE BETWEEN OVER PARTITION BY ORDER ASC DESC ' +
    'INTERVAL TOP FILTER WHERE EXISTS TRUE FALSE COLLATE AT TIME ZONE DAY DAYS HOUR HOURS MINUTE MINUTES SECOND SECONDS ' +
    'MONTH MONTHS YEAR YEARS WEEK WEEKS SQL_CALC_FOUND_ROWS STRAIGHT_JOIN HIGH_PRIORITY ROWS RANGE PRECEDING FOLLOWING ' +
    'UNBOUNDED CURRENT ROW NULLS FIRST LAST WITHIN GROUP'
  ).split(' '),
);

const FROM_WORD = /\bFROM\b/i;
const FROM_CLAUSE = anyCase(String.raw`^FROM\s+(?:\(|${SLOT}|(?:ONLY\s+)?${NAME}${TABLE_TAIL})`);
/** String literals and comments, which may hold any words (`-- DELTA: value is already the increase`). */
const LITERALS_AND_COMMENTS = /'(?:[^'\\]|''|\\[\s\S])*'|--[^\n]*|\/\*[\s\S]*?\*\//g;
const QUOTED_NAMES = /"[^"]*"|`[^`]*`/g;
const BARE_WORD = /^[A-Za-z_]\w*(?:-[A-Za-z_]\w*)*$/;
/** What an expression without FROM holds and a sentence does not: a call, literal, `*`, placeholder, `::`, an operator. */
const EXPRESSION_MARK = /[(*'"\d$?@{]|::|[+<>=|%/]|\s-|-[\s\d]/;

/** Does a select list read as expressions: no three bare words in a row (`which command to run`)? */
function readsAsExpressions(list: string): boolean {
  let run = 0;
  for (const token of list.replace(QUOTED_NAMES, ' 0 ').split(/\s+/)) {
    if (token === '') continue;
    if (BARE_WORD.test(token) && !SELECT_LIST_WORDS.has(token.toUpperCase())) {
      if (++run === 3) return false;
    } else {
      run = 0;
    }
  }
  return true;
}

function isSelect(statement: string): boolean {
  // A literal stays a value; a comment goes.
  const body = statement.replace(/^SELECT\s*/i, '').replace(LITERALS_AND_COMMENTS, (found) => (found.startsWith("'") ? ' 0 ' : ' '));
  const from = FROM_WORD.exec(body);
  if (from) {
    const list = body.slice(0, from.index);
    return list.trim() !== '' && readsAsExpressions(list) && FROM_CLAUSE.test(body.slice(from.index));
  }
  const list = body.split(';', 1)[0] ?? '';
  return readsAsExpressions(list) && EXPRESSION_MARK.test(list);
}

/** Is `text` a SQL statement (the first one, where it holds several)? */
export function isSqlStatement(text: string): boolean {
  const first = FIRST_WORD.exec(text);
  if (!first?.[1]) return false;
  const statement = text.slice(first[0].length - first[1].length);
  const word = first[1].toUpperCase() as (typeof SQL_START_WORDS)[number];
  return word === 'SELECT' ? isSelect(statement) : STATEMENT[word].test(statement);
}

/** Does `text` start as a SQL statement does (its first word, where the rest is not known)? */
export function startsAsSql(text: string): boolean {
  return FIRST_WORD.test(text);
}
