/**
 * SQL text passed to a query call: the statement with its parameters, and what it is (a write, an
 * advisory lock, a table lock, a row lock), read from the merged catalogue's SQL patterns (built-in
 * and `settings.coordination.catalog.sqlPatterns`).
 */
import { TSESTree } from '@typescript-eslint/types';
import type { PrimitiveKind, SqlPattern } from '../model/catalog-types.js';
import { type Catalog, type ResolvedLevel, resolveLevel } from '../model/catalog.js';
import type { Site } from './classify-call.js';
import type { FileAnalysis } from './file-analysis.js';
import { fileMemo } from './memo.js';
import { staticValue } from './argument-shapes.js';
import { type ConstantKey, constantKey } from './constant-key.js';
import { unwrap } from './resolve-value.js';
import { variableOf } from './ast-helpers.js';

const { AST_NODE_TYPES } = TSESTree;

/**
 * SQL text with interpolations and placeholders numbered: `${…}` and `$n`/`?` become `$n`, and
 * `values[n - 1]` is the expression bound to each (undefined when it cannot be seen).
 */
export interface SqlText {
  readonly text: string;
  readonly values: readonly (TSESTree.Node | undefined)[];
}

function templateText(analysis: FileAnalysis, template: TSESTree.TemplateLiteral, tagged: boolean): SqlText {
  let text = '';
  const values: (TSESTree.Node | undefined)[] = [];
  template.quasis.forEach((quasi, index) => {
    text += quasi.value.cooked ?? quasi.value.raw;
    const expression = template.expressions[index];
    if (!expression) return;
    // In an untagged template a constant interpolation is part of the text (`LOCK TABLE ${TABLE}`).
    const known = tagged ? null : staticValue(analysis, expression);
    if (known && (typeof known.value === 'string' || typeof known.value === 'number')) {
      text += String(known.value);
    } else {
      values.push(expression);
      text += `$${values.length}`;
    }
  });
  return { text, values };
}

/** The SQL text of a `sql`-kind site, or undefined when it is not written where this file can see it. */
export function sqlTextOf(analysis: FileAnalysis, site: Site): SqlText | undefined {
  const node = site.node;
  if (node.type === AST_NODE_TYPES.TaggedTemplateExpression) return templateText(analysis, node.quasi, true);
  const index = site.operation.keyArgument ?? 0;
  const argument = node.arguments[index];
  if (!argument) return undefined;
  let source = unwrap(argument);
  // $executeRaw(Prisma.sql`…`), db.execute(sql`…`): a SQL fragment built by a tag
  if (source.type === AST_NODE_TYPES.TaggedTemplateExpression) return templateText(analysis, source.quasi, true);
  // query({ text, values }) (pg) and query({ sql, values }) (mysql2)
  let paramsNode: TSESTree.Node | undefined = node.arguments[index + 1];
  // sequelize.query(sql, { replacements: [...] }) and { bind: [...] }
  const options = paramsNode && unwrap(paramsNode);
  if (options?.type === AST_NODE_TYPES.ObjectExpression) {
    for (const property of options.properties) {
      if (property.type === AST_NODE_TYPES.Property && !property.computed && property.key.type === AST_NODE_TYPES.Identifier && /^(replacements|bind|values)$/.test(property.key.name)) {
        paramsNode = property.value;
      }
    }
  }
  if (source.type === AST_NODE_TYPES.ObjectExpression) {
    let textNode: TSESTree.Node | undefined;
    for (const property of source.properties) {
      if (property.type !== AST_NODE_TYPES.Property || property.computed || property.key.type !== AST_NODE_TYPES.Identifier) continue;
      if (property.key.name === 'text' || property.key.name === 'sql') textNode = property.value;
      if (property.key.name === 'values') paramsNode = property.value;
    }
    if (!textNode) return undefined;
    source = unwrap(textNode);
  }
  let sql: SqlText | undefined;
  if (source.type === AST_NODE_TYPES.TemplateLiteral) {
    sql = templateText(analysis, source, false);
  } else {
    const known = staticValue(analysis, source);
    if (known && typeof known.value === 'string') sql = { text: known.value, values: [] };
  }
  if (!sql) return undefined;
  // Positional parameters: $1…$n (pg) or ? (mysql2), bound from the parameter array.
  const params = paramsNode && unwrap(paramsNode);
  if (params?.type === AST_NODE_TYPES.ArrayExpression && sql.values.length === 0) {
    let question = 0;
    const text = sql.text.replace(/\?/g, () => `$${++question}`);
    return {
      text,
      values: params.elements.map((element) => (element && element.type !== AST_NODE_TYPES.SpreadElement ? element : undefined)),
    };
  }
  return sql;
}

/** The first catalogue SQL pattern the text matches (advisory lock, table lock, row lock), user patterns first. */
export function sqlPatternOf(catalog: Catalog, text: string): SqlPattern | undefined {
  return catalog.sqlPatterns.find((pattern) => pattern.pattern.test(text));
}

/**
 * The table a table lock covers, as written (`"Orders"`): the one `LOCK TABLE`/`LOCK TABLES` names, else
 * the statement's own table (`FROM`/`UPDATE`/`INTO`, for a user's table-scope pattern); and the
 * expression bound there when a placeholder or interpolation names it (`LOCK TABLE "${table}"`).
 */
export function lockedTable(sql: SqlText): { readonly text: string; readonly value?: TSESTree.Node } | undefined {
  const name = (/\bLOCK\s+(?:TABLES?\s+)?(?:ONLY\s+)?([\w".$]+)/i.exec(sql.text) ?? /\b(?:FROM|UPDATE|INTO)\s+([\w".$]+)/i.exec(sql.text))?.[1];
  if (!name) return undefined;
  const placeholder = /\$(\d+)/.exec(name);
  const value = placeholder ? sql.values[Number(placeholder[1]) - 1] : undefined;
  return value ? { text: name, value } : { text: name };
}

/**
 * How a report names the table a table lock covers: the expression bound into the statement, the name
 * as written, or `the table`. Undefined when a parameter of the function names it (`LOCK TABLE
 * "${table}"`): each caller names the table, and is reported there.
 */
export function tableLockName(analysis: FileAnalysis, sql: SqlText): string | undefined {
  const locked = lockedTable(sql);
  const named = locked?.value && unwrap(locked.value);
  if (named?.type === AST_NODE_TYPES.Identifier && variableOf(analysis.sourceCode, named)?.defs[0]?.type === 'Parameter') return undefined;
  return locked?.value ? analysis.sourceCode.getText(locked.value) : (locked?.text ?? 'the table');
}

/** Is the statement a write (INSERT, UPDATE, DELETE, UPSERT, MERGE, REPLACE)? */
export function isSqlWrite(text: string): boolean {
  return /^\s*(?:WITH\b[\s\S]*?\)\s*)?(?:INSERT|UPDATE|DELETE|UPSERT|MERGE|REPLACE)\b/i.test(text);
}

/** What a site does once its SQL text is read: a lock, a write, a read, or unknown SQL. */
export interface EffectiveSite {
  readonly kind: PrimitiveKind;
  readonly level: ResolvedLevel;
  /** For SQL sites: the statement and the pattern it matched. */
  readonly sql?: SqlText;
  readonly pattern?: SqlPattern;
}

/**
 * The primitive a site really is. For `sql` sites the statement decides: an advisory, table or row
 * lock is a `lock` (L3), INSERT/UPDATE/DELETE a `remote-write`, anything else a `remote-read`; SQL
 * this file cannot see stays `sql`. Other sites are what the catalogue says.
 */
export function effectiveSite(analysis: FileAnalysis, site: Site): EffectiveSite {
  // Three rules ask for every SQL site: read its text once per file.
  return effectiveSites.get(analysis, site, () => readEffectiveSite(analysis, site));
}

const effectiveSites = fileMemo<Site, EffectiveSite>();

function readEffectiveSite(analysis: FileAnalysis, site: Site): EffectiveSite {
  if (site.operation.kind !== 'sql') return { kind: site.operation.kind, level: site.level };
  const sql = sqlTextOf(analysis, site);
  if (!sql) return { kind: 'sql', level: site.level };
  const pattern = sqlPatternOf(analysis.settings.catalog, sql.text);
  if (pattern) {
    return {
      kind: pattern.kind,
      level: resolveLevel(pattern.kind, pattern.level, site.package, analysis.settings.backends),
      sql,
      pattern,
    };
  }
  return { kind: isSqlWrite(sql.text) ? 'remote-write' : 'remote-read', level: site.level, sql };
}

/** A key a lock is taken on, as SQL text or a bound constant; `node` is absent when it lives inside the text. */
type SqlKey = Omit<ConstantKey, 'node'> & { node?: TSESTree.Node };

/** `FOR UPDATE SKIP LOCKED`: a work queue that takes whichever rows are free, not a mutex. */
export function isWorkQueueLock(sql: SqlText): boolean {
  return /\bSKIP\s+LOCKED\b/i.test(sql.text);
}

/**
 * The constant key of a SQL lock, or undefined when it differs per caller: `pg_advisory_lock(42)`,
 * `GET_LOCK('jobs', 10)`, `… WHERE name = 'jobs' FOR UPDATE`, `$1` bound to a constant. `node` is the
 * call, the key's place when it lives inside the SQL text.
 */
export function sqlLockKey(analysis: FileAnalysis, node: TSESTree.Node, effective: EffectiveSite): ConstantKey | undefined {
  const sql = effective.sql;
  if (!sql) return undefined;
  let keyArgs: string[];
  if (effective.pattern?.scope === 'key') {
    const call = /\b(pg_(?:try_)?advisory_(?:xact_)?lock(?:_shared)?|GET_LOCK)\s*\(((?:[^()]|\([^()]*\))*)\)/i.exec(sql.text);
    if (!call) return undefined;
    const args = splitSqlArguments(call[2]!);
    // pg_advisory_lock(a, b) locks the pair: every argument must be constant. GET_LOCK's second is a timeout.
    keyArgs = /^GET_LOCK$/i.test(call[1]!) ? args.slice(0, 1) : args;
  } else {
    // A row used as a mutex: FOR UPDATE on a constant key.
    const where = /\bWHERE\b([\s\S]*?)\bFOR\s+(?:NO\s+KEY\s+)?UPDATE\b/i.exec(sql.text)?.[1];
    if (!where || /\b(?:AND|OR|IN)\b/i.test(where)) return undefined;
    const compared = /^\s*[\w".]+\s*=\s*(.+?)\s*$/.exec(where)?.[1];
    if (!compared) return undefined;
    keyArgs = [compared];
  }
  const keys = keyArgs.map((arg) => sqlConstant(analysis, arg, sql.values));
  if (keys.length === 0 || keys.some((key) => !key)) return undefined;
  const bound = keys.find((key) => key!.node !== undefined);
  return {
    // The key lives inside the SQL text unless a constant is bound to a placeholder.
    node: bound?.node ?? node,
    text: keys.map((key) => key!.text).join(', '),
    value: keys.length === 1 ? keys[0]!.value : keys.map((key) => key!.text).join(', '),
    names: keys.flatMap((key) => key!.names),
  };
}

/** One SQL argument: a literal, `hashtext('x')`, or a placeholder bound to a constant. Undefined when per caller. */
function sqlConstant(analysis: FileAnalysis, argument: string, values: readonly (TSESTree.Node | undefined)[]): SqlKey | undefined {
  const text = argument.trim();
  const placeholder = /^\$(\d+)(?:::\w+)?$/.exec(text);
  if (placeholder) {
    const bound = values[Number(placeholder[1]) - 1];
    return bound ? constantKey(analysis, bound) : undefined;
  }
  const inner = /^hashtext(?:extended)?\s*\(\s*(.*?)\s*(?:,\s*\d+\s*)?\)$/i.exec(text)?.[1] ?? text;
  if (/^'[^']*'$/.test(inner) || /^-?\d+$/.test(inner)) return { text, value: inner.replace(/^'|'$/g, ''), names: [] };
  const nested = /^\$(\d+)(?:::\w+)?$/.exec(inner);
  if (nested) {
    const bound = values[Number(nested[1]) - 1];
    return bound ? constantKey(analysis, bound) : undefined;
  }
  return undefined;
}

/** Splits `a, hashtext(b, 0), 'c,d'` at top-level commas. */
function splitSqlArguments(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const char of text) {
    if (char === "'") quoted = !quoted;
    if (!quoted && char === '(') depth += 1;
    if (!quoted && char === ')') depth -= 1;
    if (!quoted && depth === 0 && char === ',') {
      args.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim()) args.push(current.trim());
  return args;
}
