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
 * - text every SQL of a lock pattern holds (`LOCK` after a non-letter, `FOR UPDATE`): SQL text is read
 *   with `getStaticValue`, which never leaves the file;
 * - a lock word of the vocabulary where a split name can start a word (`withLock`, `lock_service`,
 *   `lockOrders`, not `block` or `Clock`): named wrappers and lock-named callees;
 * - the name of a configured lock wrapper.
 * Finds inside a comment do not count (`// takes the lock for the batch`). What opens the gate for every
 * file: a lock operation of a callable client (`()`), a user's SQL lock pattern, a lock word given as a
 * regular expression. The one way past it is SQL spelt in pieces (`'LO' + 'CK TABLE'`, `'FOR ' + 'UPDATE'`)
 * or with escapes other than a line break's or a tab's.
 */
import type { Catalog } from '../model/catalog.js';
import { SQL_PATTERNS } from '../model/catalog-data.js';
import type { ArgumentShape, PrimitiveKind } from '../model/catalog-types.js';
import type { CalleeSpecifier } from '../schema.js';
import type { CoordinationSettings } from '../settings.js';
import type { FileAnalysis } from './file-analysis.js';
import { escapeRegExp } from '../util/regexp.js';
import { fileValue } from './memo.js';
import { finds, gateOpensOn, type TextGate, wordStarts } from './text-gate.js';

/** The kinds of site the rule judges as a lock, directly or through SQL text. */
const LOCK_KINDS: ReadonlySet<PrimitiveKind> = new Set<PrimitiveKind>(['lock', 'local-lock']);

/** Space between SQL words as source writes it: blanks, line breaks, or their escapes in a string (`\\n`). */
const SQL_SPACE = String.raw`(?:\s|\\[nrt])+`;

/**
 * What every SQL a built-in lock pattern matches holds (tested in lock-text.test.ts): the word `lock`
 * after a character that is no letter or digit (`\bLOCK TABLE`, `pg_advisory_lock`, `GET_LOCK`), so
 * not the `lock` inside `block` or `clock`; or `FOR UPDATE` written as such, as a case-insensitive
 * expression (`update` alone is in every file that updates anything).
 */
export const SQL_LOCK_TEXT: Readonly<Record<string, { readonly word: string } | { readonly text: string }>> = {
  'pg-advisory-lock': { word: 'lock' },
  'lock-table': { word: 'lock' },
  'mysql-lock-tables': { word: 'lock' },
  'mysql-get-lock': { word: 'lock' },
  'select-for-update': { text: `(?<![\\w$])for${SQL_SPACE}(?:no${SQL_SPACE}key${SQL_SPACE})?update(?![\\w$])` },
};

/** The word an argument shape needs written instead of the method (`set(k, v, 'NX')`, `{ NX: true }`). */
const SHAPE_WORDS: Partial<Record<ArgumentShape, string>> = { 'redis-nx': 'nx' };

/** The file's one test, or `undefined` when some entry can match any text. */
type Gate = TextGate | undefined;

const gates = new WeakMap<Catalog, WeakMap<readonly CalleeSpecifier[], { gate: Gate }>>();

/**
 * What a name-list entry needs in the text: a whole word (`lock`: a word of a split name) or, for an
 * entry with `*` (`*Lock*`), its longest literal piece anywhere; undefined for a regular expression or a
 * bare `*`.
 */
function entryText(entry: string): { readonly word: string } | { readonly piece: string } | undefined {
  if (entry.length > 1 && entry.startsWith('/') && entry.endsWith('/')) return undefined;
  if (!entry.includes('*')) return { word: entry };
  const longest = entry.split('*').reduce((best, piece) => (piece.length > best.length ? piece : best), '');
  return longest ? { piece: longest } : undefined;
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
  const words = new Set<string>();
  for (const pattern of catalog.sqlPatterns) {
    if (!LOCK_KINDS.has(pattern.kind)) continue;
    const text = SQL_PATTERNS.includes(pattern) ? SQL_LOCK_TEXT[pattern.id] : undefined;
    if (!text) return undefined; // a user's pattern: no text is known to be in every match
    if ('word' in text) words.add(text.word);
    else sql.add(text.text);
  }
  for (const entry of catalog.vocabulary.lockWords.entries) {
    const text = entryText(entry);
    if (!text) return undefined;
    if ('word' in text) words.add(text.word);
    else pieces.add(text.piece);
  }
  for (const wrapper of lockWrappers) for (const name of wrapperNames(wrapper)) whole.add(name);
  const alternatives = [...[...pieces].map(escapeRegExp), ...sql];
  // A word boundary that counts `$` as a letter: `$lock` is not `lock`, `lock$` is not either.
  if (whole.size > 0) alternatives.push(`(?<![\\w$])(?:${[...whole].map(escapeRegExp).join('|')})(?![\\w$])`);
  // `.name` (`?.name`, a line break after the dot) or a quoted name in brackets.
  if (members.size > 0) alternatives.push(`(?:\\.\\s*|['"\`])(?:${[...members].map(escapeRegExp).join('|')})(?![\\w$])`);
  const anyCaseText = alternatives.length === 0 ? undefined : new RegExp(alternatives.join('|'), 'gi');
  // Case decides where a word starts: the words have a test of their own.
  const hasWordStart = words.size === 0 ? undefined : wordStarts(words);
  return { test: (text) => (anyCaseText !== undefined && finds(anyCaseText, text)) || (hasWordStart?.(text) ?? false) };
}

/** May this file's text hold a lock no-global-lock can find in the file itself? Once per file. */
export function mayHoldLockText(analysis: FileAnalysis): boolean {
  return holdsLockText.get(analysis, () => {
    const { catalog, lockWrappers } = analysis.settings satisfies CoordinationSettings;
    const gate = lockTextGate(catalog, lockWrappers);
    return gate === undefined || gateOpensOn(gate, analysis);
  });
}

const holdsLockText = fileValue<boolean>();
