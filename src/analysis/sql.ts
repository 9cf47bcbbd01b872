/**
 * SQL text passed to a query call: the statement with its parameters, and what it is (a write, an
 * advisory lock, a table lock, a row lock), read from the catalogue's `SQL_PATTERNS`.
 */
import { TSESTree } from '@typescript-eslint/utils';
import { SQL_PATTERNS } from '../model/catalog-data.js';
import type { PrimitiveKind, SqlPattern } from '../model/catalog-types.js';
import { type ResolvedLevel, resolveLevel } from '../model/catalog.js';
import type { Site } from './classify-call.js';
import type { FileAnalysis } from './file-analysis.js';
import { staticValue } from './argument-shapes.js';
import { unwrap } from './resolve-value.js';

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

/** The first catalogue SQL pattern the text matches (advisory lock, table lock, row lock). */
export function sqlPatternOf(text: string): SqlPattern | undefined {
  return SQL_PATTERNS.find((pattern) => pattern.pattern.test(text));
}

/**
 * The table a `LOCK TABLE` statement names, as written (`"Orders"`), and the expression bound there
 * when a placeholder or interpolation names it (`LOCK TABLE "${table}"`).
 */
export function lockedTable(sql: SqlText): { readonly text: string; readonly value?: TSESTree.Node } | undefined {
  const name = /\bLOCK\s+(?:TABLES?\s+)?(?:ONLY\s+)?([\w".$]+)/i.exec(sql.text)?.[1];
  if (!name) return undefined;
  const placeholder = /\$(\d+)/.exec(name);
  const value = placeholder ? sql.values[Number(placeholder[1]) - 1] : undefined;
  return value ? { text: name, value } : { text: name };
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
  if (site.operation.kind !== 'sql') return { kind: site.operation.kind, level: site.level };
  const sql = sqlTextOf(analysis, site);
  if (!sql) return { kind: 'sql', level: site.level };
  const pattern = sqlPatternOf(sql.text);
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
