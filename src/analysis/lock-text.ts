/**
 * The text a file must hold for no-global-lock to find a lock in it, tested before any call is
 * resolved. Most files take no lock: without this test the rule still classifies every call whose
 * method some catalogue entry names, reads the constant arguments of every call and tests every
 * callee's words.
 *
 * Every way the rule finds a lock within one file needs one of these in the file's text (any case):
 * - a lock method of the merged catalogue written as a member (`.acquire`, `?.runExclusive`,
 *   `['using']`: a catalogue call's callee is a member whose name is written out), or the word its
 *   argument shape needs instead (`NX` for a Redis SET). A store lock counts only when it takes a key:
 *   a keyless one (`lock.release()`) is judged nowhere, except behind a lock-named function;
 * - text every SQL of a lock pattern holds (`lock`, `FOR UPDATE`): SQL text is read with
 *   `getStaticValue`, which never leaves the file;
 * - a lock word of the vocabulary inside a name (`withLock`, `lockService`, `lockOrders`): named
 *   wrappers and lock-named callees;
 * - the name of a configured lock wrapper.
 * What opens the gate for every file: a lock operation of a callable client (`()`), a user's SQL lock
 * pattern, a lock word given as a regular expression. The one way past it is SQL spelt in pieces
 * (`'LO' + 'CK TABLE'`, `'FOR ' + 'UPDATE'`) or with escapes.
 */
import type { Catalog } from '../model/catalog.js';
import { SQL_PATTERNS } from '../model/catalog-data.js';
import type { ArgumentShape, PrimitiveKind } from '../model/catalog-types.js';
import type { CalleeSpecifier } from '../schema.js';
import type { CoordinationSettings } from '../settings.js';
import type { FileAnalysis } from './file-analysis.js';
import { escapeRegExp } from '../util/regexp.js';
import { fileValue } from './memo.js';

/** The kinds of site the rule judges as a lock, directly or through SQL text. */
const LOCK_KINDS: ReadonlySet<PrimitiveKind> = new Set<PrimitiveKind>(['lock', 'local-lock']);

/** Space between SQL words as source writes it: blanks, line breaks, or their escapes in a string (`\\n`). */
const SQL_SPACE = String.raw`(?:\s|\\[nrt])+`;

/**
 * Text every SQL a built-in lock pattern matches holds, as a case-insensitive regular expression
 * (tested in lock-text.test.ts): `lock` sits inside `pg_advisory_lock` and `GET_LOCK`; `FOR UPDATE` is
 * written as such (`update` alone is in every file that updates anything).
 */
export const SQL_LOCK_TEXT: Readonly<Record<string, string>> = {
  'pg-advisory-lock': 'lock',
  'lock-table': 'lock',
  'mysql-lock-tables': 'lock',
  'mysql-get-lock': 'lock',
  'select-for-update': `(?<![\\w$])for${SQL_SPACE}(?:no${SQL_SPACE}key${SQL_SPACE})?update(?![\\w$])`,
};

/** The word an argument shape needs written instead of the method (`set(k, v, 'NX')`, `{ NX: true }`). */
const SHAPE_WORDS: Partial<Record<ArgumentShape, string>> = { 'redis-nx': 'nx' };

/** One test for the whole file, or `undefined` when some entry can match any text. */
type Gate = RegExp | undefined;

const gates = new WeakMap<Catalog, WeakMap<readonly CalleeSpecifier[], { gate: Gate }>>();

/** The literal pieces of a name-list entry (`*Lock*` → `lock`); undefined for a regular expression or a bare `*`. */
function entryWords(entry: string): string[] | undefined {
  if (entry.length > 1 && entry.startsWith('/') && entry.endsWith('/')) return undefined;
  const longest = entry.split('*').reduce((best, piece) => (piece.length > best.length ? piece : best), '');
  return longest ? [longest] : undefined;
}

function wrapperNames(wrapper: CalleeSpecifier): readonly string[] {
  if (typeof wrapper === 'string') return [wrapper];
  const names = typeof wrapper.name === 'string' ? [wrapper.name] : wrapper.name;
  // `Class#method`: the call names the method
  return names.map((name) => name.slice(name.lastIndexOf('#') + 1));
}

/** The gate for a catalogue and wrapper list: one case-insensitive expression, whole words and pieces. */
export function lockTextGate(catalog: Catalog, lockWrappers: readonly CalleeSpecifier[]): Gate {
  let byWrappers = gates.get(catalog);
  if (!byWrappers) gates.set(catalog, (byWrappers = new WeakMap()));
  let cached = byWrappers.get(lockWrappers);
  if (!cached) byWrappers.set(lockWrappers, (cached = { gate: buildGate(catalog, lockWrappers) }));
  return cached.gate;
}

function buildGate(catalog: Catalog, lockWrappers: readonly CalleeSpecifier[]): Gate {
  const whole = new Set<string>();
  const pieces = new Set<string>();
  const members = new Set<string>();
  const sql = new Set<string>();
  for (const byMethod of [...catalog.operations.values(), catalog.anyReceiver]) {
    for (const [method, operations] of byMethod) {
      for (const operation of operations) {
        if (!LOCK_KINDS.has(operation.kind) || (operation.kind === 'lock' && operation.keyArgument === undefined)) continue;
        const shapeWord = operation.when && SHAPE_WORDS[operation.when];
        if (shapeWord) whole.add(shapeWord);
        else if (method === '()') return undefined; // a callable lock client: any plain call
        else members.add(method);
      }
    }
  }
  for (const pattern of catalog.sqlPatterns) {
    if (!LOCK_KINDS.has(pattern.kind)) continue;
    const text = SQL_PATTERNS.includes(pattern) ? SQL_LOCK_TEXT[pattern.id] : undefined;
    if (!text) return undefined; // a user's pattern: no text is known to be in every match
    sql.add(text);
  }
  for (const entry of catalog.vocabulary.lockWords.entries) {
    const words = entryWords(entry);
    if (!words) return undefined;
    for (const word of words) pieces.add(word);
  }
  for (const wrapper of lockWrappers) for (const name of wrapperNames(wrapper)) whole.add(name);
  const alternatives = [...[...pieces].map(escapeRegExp), ...[...sql].filter((text) => !pieces.has(text))];
  // A word boundary that counts `$` as a letter: `$lock` is not `lock`, `lock$` is not either.
  if (whole.size > 0) alternatives.push(`(?<![\\w$])(?:${[...whole].map(escapeRegExp).join('|')})(?![\\w$])`);
  // `.name` (`?.name`, a line break after the dot) or a quoted name in brackets.
  if (members.size > 0) alternatives.push(`(?:\\.\\s*|['"\`])(?:${[...members].map(escapeRegExp).join('|')})(?![\\w$])`);
  return alternatives.length === 0 ? /(?!)/ : new RegExp(alternatives.join('|'), 'i');
}

/** May this file's text hold a lock no-global-lock can find in the file itself? Once per file. */
export function mayHoldLockText(analysis: FileAnalysis): boolean {
  return holdsLockText.get(analysis, () => {
    const { catalog, lockWrappers } = analysis.settings satisfies CoordinationSettings;
    const gate = lockTextGate(catalog, lockWrappers);
    return gate === undefined || gate.test(analysis.sourceCode.text);
  });
}

const holdsLockText = fileValue<boolean>();
