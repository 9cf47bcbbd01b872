/**
 * The site: one record per reported coordination smell, and its codec.
 *
 * A rule builds the record once (`src/analysis/site.ts`), the model prices it once (`estimate`), and
 * the English message and the report are both read from it. ESLint's `LintMessage` carries no `data`,
 * so when the report runs ESLint (and only then: `settings.coordination.siteRecords`) each message
 * ends with the record in a versioned, machine-readable form; {@link decodeSiteRecord} takes it back
 * off. No reader parses English.
 */
import type { PrimitiveKind } from './catalog-types.js';
import { type Estimate, type Multiplier, formatEstimate, formatLevel } from './cost.js';
import { type LevelId, levelCode } from './ladder.js';

/** The codec's version: bumped on any change to {@link SiteRecord} that a reader could misread. */
export const SITE_CODEC_VERSION = 3;

/** How a call was recognised: through imports and bindings, TypeScript types, or by name only. */
export type SiteVia = 'import' | 'type' | 'name';

/** What the site coordinates through. */
export interface SitePrimitive {
  readonly kind: PrimitiveKind;
  /** The catalogue entry (`redlock.acquire`, `sql.advisory-lock`, `clock.date-now`), or `null` for a project wrapper. */
  readonly operation: string | null;
  /** The module the client came from, when known. */
  readonly package: string | null;
  readonly via: SiteVia | null;
}

/** How sure the analysis is that the site matters where it stands (filled by the judgement analysis). */
export type Confidence = 'high' | 'medium' | 'low';

const CONFIDENCE_ORDER: Readonly<Record<Confidence, number>> = { low: 0, medium: 1, high: 2 };

/** Is `grade` at or above `floor`? */
export function meetsConfidence(grade: Confidence, floor: Confidence): boolean {
  return CONFIDENCE_ORDER[grade] >= CONFIDENCE_ORDER[floor];
}

/** One coordination site: what it is, where it sits on the ladder, what it costs, and the way out. */
export interface SiteRecord {
  /** The rule's name without the plugin prefix (`no-global-lock`). */
  readonly rule: string;
  readonly messageId: string;
  /** What the smell is, in a few words, for report columns: `lock on a constant key`. */
  readonly smell: string;
  readonly primitive: SitePrimitive;
  /** The calls that reach the primitive, outermost first: `saveUser()` → `prisma.user.create()`. */
  readonly path: readonly string[];
  readonly level: LevelId;
  /** No backend profile settled the level: it is a lower bound ("at least"). */
  readonly atLeast: boolean;
  /** How the context multiplies the call (loop, fan-out, constant key). */
  readonly multipliers: readonly Multiplier[];
  /** The price under the file's cost model and N; `null` for sites judged by level alone (clock reads). */
  readonly price: Estimate | null;
  /** What to do instead: the sentence a message closes with. */
  readonly wayOut: string;
  /** The file was analysed with type information (decided once, in `getFileAnalysis`). */
  readonly typed: boolean;
  /** Judgement (a later analysis fills these): the code path, where the items come from, what wraps the call. */
  readonly context?: Readonly<Record<string, string>>;
  readonly confidence?: Confidence;
  readonly evidence?: readonly string[];
}

/** The fragments of a rule message that come from the record. */
export interface RenderedSite {
  /** `at least L1 (one store, no agreement): 2 messages and 1 round trip …`, or the level alone when unpriced. */
  readonly price: string;
  /** `L1`, `at least L3`. */
  readonly level: string;
  readonly advice: string;
}

/** The one renderer of a record's English: what every rule message and the report say about the site. */
export function renderSite(record: SiteRecord): RenderedSite {
  const level = formatLevel({ code: levelCode(record.level), atLeast: record.atLeast });
  return { price: record.price ? formatEstimate(record.price) : level, level, advice: record.wayOut };
}

/** Where the record starts in a message: a line of its own, so the English before it reads unchanged. */
const MARK = '\ncoordination-site/';

/** A message that carries a record this build cannot read (another codec version, or a broken one). */
export class SiteCodecError extends Error {
  override readonly name = 'SiteCodecError';
}

/** The record as a message suffix: `\ncoordination-site/<version> <json>`. */
export function encodeSiteRecord(record: SiteRecord): string {
  return `${MARK}${SITE_CODEC_VERSION} ${JSON.stringify(record)}`;
}

/**
 * Splits a message into its English text and its record (`undefined` when it carries none).
 * Throws {@link SiteCodecError} for a record of another version or one that does not parse, so a
 * stale cache or an older build never passes silently with wrong figures.
 */
export function decodeSiteRecord(message: string): { readonly text: string; readonly record: SiteRecord | undefined } {
  const at = message.lastIndexOf(MARK);
  if (at === -1) return { text: message, record: undefined };
  const encoded = message.slice(at + MARK.length);
  const space = encoded.indexOf(' ');
  const version = space === -1 ? encoded : encoded.slice(0, space);
  if (version !== String(SITE_CODEC_VERSION)) {
    throw new SiteCodecError(`a site record of codec version ${version || '(none)'}, but this build reads version ${SITE_CODEC_VERSION}`);
  }
  let record: unknown;
  try {
    record = JSON.parse(encoded.slice(space + 1));
  } catch {
    throw new SiteCodecError(`a site record of version ${SITE_CODEC_VERSION} that is not valid JSON`);
  }
  if (!isSiteRecord(record)) throw new SiteCodecError(`a site record of version ${SITE_CODEC_VERSION} without the fields that version has`);
  return { text: message.slice(0, at), record };
}

function isSiteRecord(value: unknown): value is SiteRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record['rule'] === 'string' &&
    typeof record['messageId'] === 'string' &&
    typeof record['smell'] === 'string' &&
    typeof record['primitive'] === 'object' &&
    record['primitive'] !== null &&
    Array.isArray(record['path']) &&
    typeof record['level'] === 'number' &&
    Number.isInteger(record['level']) &&
    (record['level'] as number) >= 0 &&
    (record['level'] as number) <= 5 &&
    typeof record['atLeast'] === 'boolean' &&
    Array.isArray(record['multipliers']) &&
    (record['price'] === null || typeof record['price'] === 'object') &&
    typeof record['wayOut'] === 'string' &&
    typeof record['typed'] === 'boolean'
  );
}
