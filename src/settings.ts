/**
 * Reads and validates `settings.coordination`, once per settings object.
 *
 * Order of precedence for every knob: a rule option (when the rule has one) → this setting → the
 * documented default (`docs/settings.md`). Rule options are per rule (what a rule flags); settings are
 * shared by every rule and the report (what the code talks to and what it costs).
 */
import type AjvClass from 'ajv';
import type { ValidateFunction } from 'ajv';
import { contentCache } from './util/content-cache.js';
import { type Catalog, type CatalogExtension, buildCatalog, getDefaultCatalog } from './model/catalog.js';
import type { ClientSpec, ClockSource, FileRolesData, OperationSpec, SqlPattern, VocabularyData } from './model/catalog-types.js';
import { type CostModel, DEFAULT_COST_MODEL } from './model/cost.js';
import type { BackendProfileName } from './model/backends.js';
import type { Confidence } from './model/site.js';
import { DEFAULT_FAN_OUT_TARGETS, DEFAULT_FAN_OUT_WRITE_VERBS } from './model/fan-out.js';
import { type CalleeSpecifier, settingsSchema } from './schema.js';
import { loadOnFirstUse } from './util/load-on-first-use.js';

/** `settings.coordination` as a user writes it. Every key is optional. */
export interface CoordinationSettingsInput {
  readonly catalog?: {
    readonly clients?: readonly ClientSpec[];
    readonly operations?: readonly (Omit<OperationSpec, 'why'> & { readonly why?: string })[];
    /** Statements recognised in SQL text; `pattern` is a regular expression, matched case-insensitively. */
    readonly sqlPatterns?: readonly (Omit<SqlPattern, 'pattern' | 'why'> & { readonly pattern: string; readonly why?: string })[];
    /** Clocks read as "now"; level 1 (a clock read) unless given. */
    readonly clockSources?: readonly (Omit<ClockSource, 'kind' | 'level' | 'why'> & { readonly level?: ClockSource['level']; readonly why?: string })[];
    readonly vocabulary?: Partial<VocabularyData>;
    readonly fileRoles?: Partial<FileRolesData>;
  };
  readonly backends?: Readonly<Record<string, BackendProfileName>>;
  readonly costModel?: Partial<CostModel>;
  readonly participants?: number;
  readonly lockWrappers?: readonly CalleeSpecifier[];
  readonly quorumHelper?: { readonly specifier: CalleeSpecifier; readonly countOption: string };
  readonly fanOut?: { readonly targets?: readonly string[]; readonly writeVerbs?: readonly string[] };
  /** Set by the report (`coordination-ladder`) only: messages carry their site record. */
  readonly siteRecords?: boolean;
  /** Set by the report only: the lowest grade every rule reports, over each rule's `minConfidence`. */
  readonly reportMinConfidence?: Confidence;
  /** Follow calls into the project's other modules (default true). */
  readonly projectIndex?: boolean;
  /** Set by the report's `--cache` only: a digest of the project files results depend on (read by no rule). */
  readonly projectDigest?: string;
}

/** `settings.coordination` with every default filled in. */
export interface CoordinationSettings {
  readonly catalog: Catalog;
  readonly backends: Readonly<Record<string, BackendProfileName>>;
  readonly costModel: CostModel;
  readonly participants: number;
  readonly lockWrappers: readonly CalleeSpecifier[];
  readonly quorumHelper: { readonly specifier: CalleeSpecifier; readonly countOption: string } | undefined;
  readonly fanOut: { readonly targets: readonly string[]; readonly writeVerbs: readonly string[] };
  readonly siteRecords: boolean;
  /** Undefined unless the report set it: each rule's `minConfidence` decides. */
  readonly reportMinConfidence: Confidence | undefined;
  readonly projectIndex: boolean;
}

/** Default N: three participants, the smallest group that tolerates one failure. */
export const DEFAULT_PARTICIPANTS = 3;

const DEFAULTS: CoordinationSettings = Object.freeze({
  catalog: getDefaultCatalog(),
  backends: Object.freeze({}),
  costModel: DEFAULT_COST_MODEL,
  participants: DEFAULT_PARTICIPANTS,
  lockWrappers: Object.freeze([]),
  quorumHelper: undefined,
  fanOut: Object.freeze({ targets: DEFAULT_FAN_OUT_TARGETS, writeVerbs: DEFAULT_FAN_OUT_WRITE_VERBS }),
  siteRecords: false,
  reportMinConfidence: undefined,
  projectIndex: true,
});

// Compiled at the first settings object to check (about 50 ms with ajv's own loading): a config that sets
// no `settings.coordination` never needs it.
let validator: ValidateFunction | undefined;
const ajv = loadOnFirstUse<typeof AjvClass>('ajv');

function validate(input: unknown): ValidateFunction {
  if (!validator) {
    const Ajv = ajv();
    validator = new Ajv({ allErrors: false, verbose: true }).compile(settingsSchema);
  }
  validator(input);
  return validator;
}

/** Thrown for an invalid `settings.coordination`; the message names the key. */
export class CoordinationSettingsError extends Error {
  override readonly name = 'CoordinationSettingsError';
}

function keyPath(dataPath: string): string {
  // ajv 6 reports paths like `.costModel.rttMs` or `.lockWrappers[0]`.
  return `settings.coordination${dataPath}`;
}

function describeAjvError(error: NonNullable<ValidateFunction['errors']>[number]): string {
  const at = keyPath(error.dataPath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${at}: unknown key "${String(params['additionalProperty'])}"`;
    case 'required':
      return `${at}: missing key "${String(params['missingProperty']).replace(/^\./, '')}"`;
    case 'enum':
      return `${at} must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(error.data)}`;
    case 'oneOf':
      return `${at} does not match any allowed shape (a name string, { from: 'package', package, name } or { from: 'file', name })`;
    default:
      return `${at} ${error.message ?? 'is invalid'}, got ${JSON.stringify(error.data)}`;
  }
}

/** JSON Schema cannot say "finite": NaN and ±Infinity pass `type: number`, so walk for them. */
function findNonFinite(value: unknown, path: string): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findNonFinite(item, `${path}[${index}]`);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findNonFinite(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Validates `settings.coordination` and fills in defaults. Throws a {@link CoordinationSettingsError}
 * that names the offending key.
 *
 * @example
 * parseSettings({ participants: 5, backends: { '@prisma/client': 'consensus' } }).participants // 5
 * parseSettings({ costModel: { rttMs: -1 } }) // throws: settings.coordination.costModel.rttMs should be >= 0, got -1
 */
export function parseSettings(input: unknown): CoordinationSettings {
  if (input === undefined) return DEFAULTS;
  const nonFinite = findNonFinite(input, 'settings.coordination');
  if (nonFinite) throw new CoordinationSettingsError(`eslint-plugin-coordination: ${nonFinite} must be a finite number`);
  const { errors } = validate(input);
  if (errors) {
    // Branch errors of a `oneOf` come before the `oneOf` error itself, which is the one to show.
    const error = errors.find((e) => e.keyword === 'oneOf') ?? errors[0]!;
    throw new CoordinationSettingsError(`eslint-plugin-coordination: ${describeAjvError(error)}`);
  }
  const settings = input as CoordinationSettingsInput;
  let catalog = DEFAULTS.catalog;
  if (settings.catalog) {
    const extension: CatalogExtension = {
      clients: settings.catalog.clients ?? [],
      operations: (settings.catalog.operations ?? []).map((op) => ({ why: 'a user catalogue entry', ...op })),
      sqlPatterns: (settings.catalog.sqlPatterns ?? []).map((entry, index) => ({
        why: 'a user catalogue entry',
        ...entry,
        pattern: userRegExp(entry.pattern, `settings.coordination.catalog.sqlPatterns[${index}].pattern`),
      })),
      clockSources: (settings.catalog.clockSources ?? []).map((entry) => ({ kind: 'clock-read', level: 1, why: 'a user catalogue entry', ...entry })),
      ...(settings.catalog.vocabulary ? { vocabulary: settings.catalog.vocabulary } : {}),
      ...(settings.catalog.fileRoles ? { fileRoles: settings.catalog.fileRoles } : {}),
    };
    try {
      catalog = buildCatalog(extension);
    } catch (error) {
      throw new CoordinationSettingsError(`eslint-plugin-coordination: settings.coordination.catalog: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  return {
    catalog,
    backends: settings.backends ?? DEFAULTS.backends,
    costModel: { ...DEFAULT_COST_MODEL, ...settings.costModel },
    participants: settings.participants ?? DEFAULTS.participants,
    lockWrappers: settings.lockWrappers ?? DEFAULTS.lockWrappers,
    quorumHelper: settings.quorumHelper,
    fanOut: {
      targets: settings.fanOut?.targets ?? DEFAULTS.fanOut.targets,
      writeVerbs: settings.fanOut?.writeVerbs ?? DEFAULTS.fanOut.writeVerbs,
    },
    siteRecords: settings.siteRecords ?? DEFAULTS.siteRecords,
    reportMinConfidence: settings.reportMinConfidence,
    projectIndex: settings.projectIndex ?? DEFAULTS.projectIndex,
  };
}

/** A user's regular expression, case-insensitive; one that does not compile names its key. */
function userRegExp(source: string, key: string): RegExp {
  try {
    return new RegExp(source, 'i');
  } catch (error) {
    throw new CoordinationSettingsError(`eslint-plugin-coordination: ${key} is not a regular expression: ${(error as Error).message}`, { cause: error });
  }
}

const cache = new WeakMap<object, CoordinationSettings>();

// Hosts that build a new settings object per file get one resolution per content.
const byContent = contentCache<CoordinationSettings>(32);

/**
 * The resolved settings for a rule context, validated once per settings object (ESLint passes the
 * same object to every rule of a config, so N rules cost one validation) and once per content: a host
 * that hands each file a fresh copy (`Linter#verify` with a plain config array, an editor integration)
 * gets the same resolved object back, and with it every cache keyed by it (catalogue, trace map).
 */
export function getSettings(context: { readonly settings: Readonly<Record<string, unknown>> }): CoordinationSettings {
  const shared = context.settings;
  let resolved = cache.get(shared);
  if (!resolved) {
    const input = shared['coordination'];
    resolved = byContent(input, () => parseSettings(input));
    cache.set(shared, resolved);
  }
  return resolved;
}
