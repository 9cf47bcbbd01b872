/**
 * The text a file must hold for any of its calls to classify as a site of the catalogue, tested once
 * per file. Where no search can leave the file (the project index closed for its package, no type
 * information), every site a rule could reach is a call of the file itself, so a file without this
 * text has none: no-coordination-in-loop then resolves nothing in it. Most files of a library
 * (a parser, an effect system, a UI kit) talk to no store at all.
 *
 * `classifyCall` finds a client in one of these ways, and each needs its text in the file (any case
 * where a name is matched by its words):
 * - an import or `require` of a package of the merged catalogue: the specifier, quoted;
 * - a global client (`fetch`): its name as a whole identifier;
 * - the name fallback: a catalogue name's first word where a split name can start it (`orderRedis`,
 *   `PG_POOL`), as for the lock words of `lock-text.ts`;
 * - SQL text passed to any query call: a quote, then blanks (or their escapes), then a word SQL starts
 *   with, ending as `isSqlStatement` needs it to (`'SELECT *`, `` `\n  UPDATE\n``; not `'select-board'`).
 * Finds inside a comment do not count. The one way past it is a name or SQL spelt with escapes
 * (`\u0070risma`, `'\x53ELECT'`), or SQL spelt in pieces whose first holds no SQL word (`'SEL' + 'ECT'`).
 */
import type { Catalog } from '../model/catalog.js';
import { escapeRegExp } from '../util/regexp.js';
import { SQL_START_WORDS } from './sql-statement.js';
import type { FileAnalysis } from './file-analysis.js';
import { finds, gateOpensOn, type TextGate, wordStarts } from './text-gate.js';
import { fileValue } from './memo.js';
import { splitWords } from './words.js';

const gates = new WeakMap<Catalog, TextGate>();

/** Blanks between a quote and SQL as source writes them: white space, or an escape that may stand for it. */
const SOURCE_SPACE = String.raw`(?:\s|\\(?:u\{?[0-9a-fA-F]+\}?|x[0-9a-fA-F]{2}|[^ux]))`;

/** The gate of a merged catalogue (built-in and user entries alike). */
export function siteTextGate(catalog: Catalog): TextGate {
  let gate = gates.get(catalog);
  if (!gate) gates.set(catalog, (gate = buildGate(catalog)));
  return gate;
}

function buildGate(catalog: Catalog): TextGate {
  const alternatives: string[] = [];
  const packages = [...catalog.clientsByPackage.keys()];
  // `from 'pg'`, `require("ioredis")`, `import('@prisma/client')`: the specifier as written.
  if (packages.length > 0) alternatives.push(`['"\`](?:${packages.map(escapeRegExp).join('|')})(?=['"\`/])`);
  const globals = [...catalog.globals.keys()];
  if (globals.length > 0) alternatives.push(`(?<![\\w$])(?:${globals.map(escapeRegExp).join('|')})(?![\\w$])`);
  alternatives.push(
    // The word ends where the statement's first word does (a blank, `(`, `*`, `;`), at the closing quote or at an escape: not `'select-board'`.
    `['"\`]${SOURCE_SPACE}*(?:\\/\\*[\\s\\S]*?\\*\\/${SOURCE_SPACE}*)?(?:${SQL_START_WORDS.join('|')})(?=[\\s(*;'"\`\\\\]|$)`,
  );
  // A catalogue name matches when a name's split words hold its words: its first word must start a word
  // there, and a name of several words is looked for whole, its words joined as identifiers join them
  // (`entityManager`, `ENTITY_MANAGER`): its first word alone (`data`, `async`) is in most files.
  const words = new Set<string>();
  const phrases = new Set<string>();
  for (const name of catalog.names.keys()) {
    const nameWords = splitWords(name);
    const first = nameWords[0];
    if (first === undefined) continue;
    const text = nameWords.length === 1 ? escapeRegExp(first) : nameWords.map(escapeRegExp).join('[_\\-$.]*');
    // A word that starts with a digit starts a split word after a letter too (`v2` → `v`, `2`): anywhere.
    if (/^\d/.test(first)) alternatives.push(text);
    else if (nameWords.length === 1) words.add(first);
    else phrases.add(text);
  }
  const anyCaseText = new RegExp(alternatives.join('|'), 'gi');
  const hasWordStart = words.size + phrases.size === 0 ? undefined : wordStarts(words, [...phrases]);
  return { test: (text) => finds(anyCaseText, text) || (hasWordStart?.(text) ?? false) };
}

/**
 * Could a call of this file classify as a site, as far as its text tells? Once per file. Meaningful
 * only where searches stay in the file: the caller checks that (`mayLeaveFile`, type information).
 */
export function mayHoldSiteText(analysis: FileAnalysis): boolean {
  // A name or SQL in a comment (`` `with the specified value` `` in a doc comment) is no call's: code only.
  return holdsSiteText.get(analysis, () => gateOpensOn(siteTextGate(analysis.settings.catalog), analysis));
}

const holdsSiteText = fileValue<boolean>();
