/**
 * The text a file must hold for no-wall-clock-ordering to find a site in it, tested once per file.
 * Where no search can leave the file (the project index closed for its package, no type information),
 * every clock the rule can see is read in the file itself, so a file without this text has no site:
 * the rule then listens to nothing in it. Most files of a library neither read the clock nor compare
 * timestamps.
 *
 * Each of the rule's sites needs one of these (finds inside a comment do not count):
 * - a wall-clock read (a version set from the clock, a takeover judged by the local clock, a clock
 *   handed to a store script or a claim filter): the root of one of the catalogue's clock sources as a
 *   whole identifier (`Date`, `performance` for `performance.timeOrigin + performance.now()`), or, for a
 *   source imported from a package, the package quoted. A clock returned by a function of the file
 *   still reads one there;
 * - a timestamp read (last write wins, a replay sorted by time): one of `timestampFields` as a whole
 *   name, whatever its case (`.updatedAt`, `['ts']`, `#mtime`); a field the file fills from a clock
 *   (`seenAt: Date.now()`) needs the clock's text.
 * The one way past it is a name spelt with escapes (`\u0044ate`).
 */
import type { Catalog } from '../model/catalog.js';
import { escapeRegExp } from '../util/regexp.js';
import type { FileAnalysis } from './file-analysis.js';
import { fileValue } from './memo.js';
import { finds, gateOpensOn, type TextGate } from './text-gate.js';

const gates = new WeakMap<Catalog, WeakMap<ReadonlySet<string>, TextGate>>();

/** The gate of a merged catalogue and a rule's timestamp fields (lower-case, as the rule keeps them). */
export function clockTextGate(catalog: Catalog, timestampFields: ReadonlySet<string>): TextGate {
  let byFields = gates.get(catalog);
  if (!byFields) gates.set(catalog, (byFields = new WeakMap()));
  let gate = byFields.get(timestampFields);
  if (!gate) byFields.set(timestampFields, (gate = buildGate(catalog, timestampFields)));
  return gate;
}

function buildGate(catalog: Catalog, timestampFields: ReadonlySet<string>): TextGate {
  // `performance` reads a wall clock only with `timeOrigin`, whatever the catalogue says of `now()`.
  const roots = new Set<string>(['performance']);
  const packages = new Set<string>();
  for (const source of catalog.clockSources) {
    if (source.package !== undefined) packages.add(source.package);
    else roots.add(source.callee.replace(/^new\s+/, '').split('.')[0]!);
  }
  const words = [...roots, ...timestampFields].map(escapeRegExp);
  // `\b` rather than a lookbehind (which defeats the engine's scan for a first character): it also lets
  // `$ts` through, which only opens a file more.
  const alternatives = [`\\b(?:${words.join('|')})(?![\\w$])`];
  if (packages.size > 0) alternatives.push(`['"\`](?:${[...packages].map(escapeRegExp).join('|')})['"\`]`);
  // Case-insensitive: the rule matches field names so (`.UpdatedAt`); for a root it only opens more files.
  const anyCaseText = new RegExp(alternatives.join('|'), 'gi');
  return { test: (text) => finds(anyCaseText, text) };
}

/**
 * Could this file hold a site of no-wall-clock-ordering, as far as its text tells? Once per file.
 * Meaningful only where searches stay in the file: the caller checks that (`mayLeaveFile`, type information).
 */
export function mayHoldClockText(analysis: FileAnalysis, timestampFields: ReadonlySet<string>): boolean {
  return holdsClockText.get(analysis, () =>
    gateOpensOn(clockTextGate(analysis.settings.catalog, timestampFields), analysis),
  );
}

const holdsClockText = fileValue<boolean>();
