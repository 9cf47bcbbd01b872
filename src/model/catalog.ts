/**
 * The catalogue as the analysis uses it: built-in data merged with `settings.coordination.catalog`,
 * indexed once, with parsed reach paths and backend-aware levels.
 */
import type {
  ClientSpec,
  ClockSource,
  FileRole,
  FileRolesData,
  OperationSpec,
  PrimitiveKind,
  SqlPattern,
  VocabularyData,
  VocabularySection,
} from './catalog-types.js';
import {
  ANY_RECEIVER_OPERATIONS,
  CLIENTS,
  CLOCK_SOURCES,
  FILE_ROLES,
  OPERATIONS,
  PROJECT_LOCK_WRAPPER,
  SQL_PATTERNS,
  UNKNOWN_TARGET_WRITE,
  VOCABULARY,
} from './catalog-data.js';
import { type BackendProfile, backendProfile } from './backends.js';
import type { LevelId, OperationShape } from './ladder.js';
import { escapeRegExp } from '../util/regexp.js';
import { splitWords } from '../analysis/words.js';

/**
 * A parsed reach path (see {@link ClientSpec.reach} for the notation).
 *
 * Root paths start at a module's export: `path[0]` is `default` or an export name.
 * Derived paths start at the parent client: `path` is the property chain walked before the step.
 */
export type Reach =
  | { readonly type: 'new' | 'call' | 'extends' | 'value'; readonly path: readonly string[] }
  | { readonly type: 'method' | 'property' | 'callback'; readonly path: readonly string[] }
  | { readonly type: 'self-call'; readonly path: readonly [] };

const ROOT_PATTERN = /^(new |extends )?([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(\(\))?$/;
const DERIVED_PATTERN = /^((?:\.(?:[A-Za-z_$][\w$]*|\*))+)(\(\)|\(callback\))?$/;

/**
 * Parses one reach path.
 *
 * @example
 * parseReach('new default.Pool') // { type: 'new', path: ['default', 'Pool'] }
 * parseReach('.manager.getRepository()') // { type: 'method', path: ['manager', 'getRepository'] }
 * parseReach('.$transaction(callback)') // { type: 'callback', path: ['$transaction'] }
 */
export function parseReach(text: string): Reach {
  if (text === '()') return { type: 'self-call', path: [] };
  const derived = DERIVED_PATTERN.exec(text);
  if (derived) {
    const path = derived[1]!.slice(1).split('.');
    const type = derived[2] === '()' ? 'method' : derived[2] === '(callback)' ? 'callback' : 'property';
    return { type, path };
  }
  const root = ROOT_PATTERN.exec(text);
  // `new` and `extends` alone are a keyword without its export, not an export named so.
  if (root && !(root[1] === undefined && /^(?:new|extends)$/.test(root[2]!))) {
    const path = root[2]!.split('.');
    if (root[1] === 'new ' && !root[3]) return { type: 'new', path };
    if (root[1] === 'extends ' && !root[3]) return { type: 'extends', path };
    if (!root[1]) return { type: root[3] ? 'call' : 'value', path };
  }
  throw new Error(`invalid reach path ${JSON.stringify(text)}`);
}

/** A client with its reach paths parsed. */
export interface IndexedClient extends ClientSpec {
  readonly parsedReach: readonly Reach[];
  readonly children: readonly IndexedClient[];
}

/** The merged, indexed catalogue. Build it once per settings object with {@link buildCatalog}. */
export interface Catalog {
  readonly clients: ReadonlyMap<string, IndexedClient>;
  /** Root clients by the module specifier that exports them. */
  readonly clientsByPackage: ReadonlyMap<string, readonly IndexedClient[]>;
  /** Operations by client id, then by method name, in catalogue order. */
  readonly operations: ReadonlyMap<string, ReadonlyMap<string, readonly OperationSpec[]>>;
  /** Operations that match any receiver (SQL text), by method. */
  readonly anyReceiver: ReadonlyMap<string, readonly OperationSpec[]>;
  /** Every method name of every operation: a cheap first filter for call expressions. */
  readonly methodNames: ReadonlySet<string>;
  /** Name-fallback words, lower-cased (a name of several words twice: `entity manager`, `entitymanager`), mapped to the client they mark. */
  readonly names: ReadonlyMap<string, IndexedClient>;
  /** Clients by `package + '\0' + type name`, for type annotations and typed mode. */
  readonly types: ReadonlyMap<string, IndexedClient>;
  /** Root clients by the global name that holds them (`fetch`). */
  readonly globals: ReadonlyMap<string, IndexedClient>;
  /** Statements recognised in SQL text, user patterns first. */
  readonly sqlPatterns: readonly SqlPattern[];
  /** Clocks the code reads "now" from, user sources first; the first built-in one is the wall clock. */
  readonly clockSources: readonly ClockSource[];
  /** The word lists the rules read, built-in and user entries together. */
  readonly vocabulary: Readonly<Record<VocabularySection, NameList>>;
  /** File roles by path. */
  readonly fileRoles: Readonly<Record<FileRole, NameList>>;
  /** What a project lock function, a write verb on an unknown target and a wall-clock site are priced as. */
  readonly fallbacks: typeof FALLBACKS;
}

/** Entries reached without a catalogue call site: a project's own lock function, a write to an unknown target. */
const FALLBACKS = { lockWrapper: PROJECT_LOCK_WRAPPER, targetWrite: UNKNOWN_TARGET_WRITE, wallClock: CLOCK_SOURCES[0]! } as const;

/** A compiled word list: which names it holds (see {@link VocabularyData} for the notation). */
export interface NameList {
  readonly entries: readonly string[];
  /** Does the whole of `name` match an entry? */
  test(name: string | undefined): boolean;
}

// Sections whose names are matched whatever their case: words, and lists of names spelt many ways.
const CASE_INSENSITIVE: ReadonlySet<VocabularySection> = new Set<VocabularySection>([
  'transactionWrappers',
  'nonWriteVerbs',
  'lockWords',
  'delayWords',
  'claimingMethods',
  'takeoverWords',
  'logicalClocks',
  'queryBoundWords',
  'outputReceivers',
  'otherPartyWords',
  'localCopyWords',
  'mergeFunctionWords',
  'lockoutRecordWords',
  'durationWords',
  'holderFieldWords',
  'addressPropertyWords',
]);

/**
 * Compiles a list: `/…/` entries are regular expressions; others are whole names in which `*` stands
 * for any run of characters. With `regexOnly` every entry is a regular expression (file roles).
 *
 * @example
 * nameList(['get*', '*Transaction', '/^on[A-Z]/'], false).test('getUser') // true
 */
export function nameList(entries: readonly string[], ignoreCase: boolean, regexOnly = false): NameList {
  const parts = entries.map((entry) => {
    if (regexOnly) return entry;
    if (entry.length > 1 && entry.startsWith('/') && entry.endsWith('/')) return entry.slice(1, -1);
    return `^${entry.split('*').map(escapeRegExp).join('.*')}$`;
  });
  if (parts.length === 0) return { entries, test: () => false };
  let pattern: RegExp;
  try {
    pattern = new RegExp(parts.map((part) => `(?:${part})`).join('|'), ignoreCase ? 'i' : '');
  } catch (error) {
    throw new Error(`invalid regular expression in ${JSON.stringify(entries)}: ${(error as Error).message}`, { cause: error });
  }
  return { entries, test: (name) => name !== undefined && pattern.test(name) };
}

/** The key of {@link Catalog.types}. */
export function typeKey(pkg: string, typeName: string): string {
  return `${pkg}\0${typeName}`;
}

/** Extra entries from `settings.coordination.catalog`. */
export interface CatalogExtension {
  readonly clients?: readonly ClientSpec[];
  readonly operations?: readonly OperationSpec[];
  readonly sqlPatterns?: readonly SqlPattern[];
  readonly clockSources?: readonly ClockSource[];
  readonly vocabulary?: Partial<VocabularyData>;
  readonly fileRoles?: Partial<FileRolesData>;
}

/** User entries first, then the built-in ones whose id no user entry took. */
function byIdUserFirst<T extends { readonly id: string }>(user: readonly T[] | undefined, builtIn: readonly T[]): readonly T[] {
  const taken = new Set((user ?? []).map((entry) => entry.id));
  return [...(user ?? []), ...builtIn.filter((entry) => !taken.has(entry.id))];
}

function compileSections<Section extends string>(
  what: string,
  builtIn: Readonly<Record<Section, readonly string[]>>,
  user: Partial<Readonly<Record<Section, readonly string[]>>> | undefined,
  ignoreCase: (section: Section) => boolean,
  regexOnly: boolean,
): Record<Section, NameList> {
  const compiled = {} as Record<Section, NameList>;
  for (const section of Object.keys(builtIn) as Section[]) {
    try {
      compiled[section] = nameList([...(user?.[section] ?? []), ...builtIn[section]], ignoreCase(section), regexOnly);
    } catch (error) {
      throw new Error(`${what}.${section}: ${(error as Error).message}`, { cause: error });
    }
  }
  return compiled;
}

/**
 * Merges the built-in catalogue with `extension` and indexes it. User entries come first, so a user
 * entry for the same client and method wins. Throws on a dangling client reference or a bad path.
 */
export function buildCatalog(extension: CatalogExtension = {}): Catalog {
  const specs = [...(extension.clients ?? []), ...CLIENTS];
  const operations = [...(extension.operations ?? []), ...OPERATIONS];

  const clients = new Map<string, IndexedClient & { children: IndexedClient[] }>();
  for (const spec of specs) {
    if (clients.has(spec.id)) continue; // a user entry with a built-in id replaces it
    const parsedReach = spec.reach.map((path) => {
      try {
        return parseReach(path);
      } catch (error) {
        throw new Error(`catalogue client ${spec.id}: ${(error as Error).message}`, { cause: error });
      }
    });
    clients.set(spec.id, { ...spec, parsedReach, children: [] });
  }

  const clientsByPackage = new Map<string, IndexedClient[]>();
  const names = new Map<string, IndexedClient>();
  const globals = new Map<string, IndexedClient>();
  for (const client of clients.values()) {
    if (client.from !== undefined) {
      const parent = clients.get(client.from);
      if (!parent) throw new Error(`catalogue client ${client.id}: unknown parent client ${client.from}`);
      parent.children.push(client);
    } else if (!client.packages?.length && !client.globals?.length) {
      throw new Error(`catalogue client ${client.id}: a root client needs "packages"`);
    }
    for (const name of client.from === undefined ? (client.globals ?? []) : []) {
      if (!globals.has(name)) globals.set(name, client);
    }
    for (const pkg of client.packages ?? []) {
      const list = clientsByPackage.get(pkg) ?? [];
      list.push(client);
      clientsByPackage.set(pkg, list);
    }
    // By its words: `EntityManager` is `entity manager`, which `entityManager` and `ENTITY_MANAGER` hold, and
    // `entitymanager`, the one word `nc.jetstream()` and `typeormConfig` write.
    for (const name of client.names ?? []) {
      const words = splitWords(name);
      for (const key of words.length > 1 ? [words.join(' '), words.join('')] : words) {
        if (!names.has(key)) names.set(key, client);
      }
    }
  }

  const types = new Map<string, IndexedClient>();
  for (const client of clients.values()) {
    let root: IndexedClient | undefined = client;
    while (root?.from !== undefined) root = clients.get(root.from);
    const typeNames = client.types ?? [client.id.slice(client.id.indexOf('.') + 1)];
    for (const pkg of root?.packages ?? []) {
      for (const typeName of typeNames) {
        const key = typeKey(pkg, typeName);
        if (!types.has(key)) types.set(key, client);
      }
    }
  }

  const byClient = new Map<string, Map<string, OperationSpec[]>>();
  const methodNames = new Set<string>();
  const anyReceiver = new Map<string, OperationSpec[]>();
  for (const op of ANY_RECEIVER_OPERATIONS) {
    for (const method of op.methods) {
      anyReceiver.set(method, [...(anyReceiver.get(method) ?? []), op]);
      methodNames.add(method);
    }
  }
  for (const op of operations) {
    if (!clients.has(op.client)) throw new Error(`catalogue operation ${op.id}: unknown client ${op.client}`);
    const methods = byClient.get(op.client) ?? new Map<string, OperationSpec[]>();
    byClient.set(op.client, methods);
    for (const method of op.methods) {
      const list = methods.get(method) ?? [];
      list.push(op);
      methods.set(method, list);
      methodNames.add(method);
    }
  }

  return {
    clients,
    clientsByPackage,
    operations: byClient,
    anyReceiver,
    methodNames,
    names,
    types,
    globals,
    sqlPatterns: byIdUserFirst(extension.sqlPatterns, SQL_PATTERNS),
    clockSources: byIdUserFirst(extension.clockSources, CLOCK_SOURCES),
    vocabulary: compileSections('vocabulary', VOCABULARY, extension.vocabulary, (section) => CASE_INSENSITIVE.has(section), false),
    fileRoles: compileSections('fileRoles', FILE_ROLES, extension.fileRoles, () => true, true),
    fallbacks: FALLBACKS,
  };
}

/** The client of an any-receiver site: nothing is known about the receiver but its SQL. */
export const ANY_CLIENT: IndexedClient = Object.freeze({ id: '*', reach: [], parsedReach: [], children: [] });

/** The catalogue without user entries, built on first use. */
let defaultCatalog: Catalog | undefined;
export function getDefaultCatalog(): Catalog {
  defaultCatalog ??= buildCatalog();
  return defaultCatalog;
}

/** Kinds whose catalogue level is a lower bound that the deployment can raise. */
const DEPLOYMENT_DEPENDENT: ReadonlySet<PrimitiveKind> = new Set([
  'transaction',
  'remote-write',
  'remote-read',
  'quorum-write',
  'replica-write',
  'sql',
]);

/** A level together with whether it is only a lower bound. */
export interface ResolvedLevel {
  readonly level: LevelId;
  /** True when no backend profile settled a deployment-dependent level: messages say "at least". */
  readonly atLeast: boolean;
  readonly profile?: BackendProfile;
  /** How one operation at this level is priced, when the call says more than its level (Cassandra ALL). */
  readonly shape?: OperationShape;
}

/**
 * The level of `kind` at `baseLevel` for a client from `pkg`, under the backend profiles named in
 * `settings.coordination.backends` (package → profile name).
 *
 * @example
 * resolveLevel('transaction', 1, '@prisma/client', {}) // { level: 1, atLeast: true }
 * resolveLevel('transaction', 1, '@prisma/client', { '@prisma/client': 'consensus' }) // { level: 3, atLeast: false, … }
 */
export function resolveLevel(
  kind: PrimitiveKind,
  baseLevel: LevelId,
  pkg: string | readonly (string | undefined)[] | undefined,
  backends: Readonly<Record<string, string>>,
  intrinsic = false,
): ResolvedLevel {
  // The first candidate package with a profile: the module imported, then the client's other names.
  // Nothing waits for a fire-and-forget send, whatever the deployment: one message, no round trip.
  if (kind === 'fire-and-forget') return { level: baseLevel, atLeast: false, shape: { async: true } };
  const candidates = typeof pkg === 'string' || pkg === undefined ? [pkg] : pkg;
  const profileName = candidates.map((candidate) => (candidate === undefined ? undefined : backends[candidate])).find((name) => name !== undefined);
  if (profileName === undefined) return { level: baseLevel, atLeast: !intrinsic && DEPLOYMENT_DEPENDENT.has(kind) };
  const profile = backendProfile(profileName);
  const profiled = profile.levels[kind] ?? baseLevel;
  // A protocol built into the call (2PC, Raft) stays whatever the deployment: profiles only raise it.
  const level = intrinsic ? (Math.max(profiled, baseLevel) as LevelId) : profiled;
  return { level, atLeast: false, profile };
}

/** The root package a client comes from, following `from` links. */
export function clientPackage(catalog: Catalog, clientId: string): string | undefined {
  return clientPackages(catalog, clientId)[0];
}

/** Every package the root of a client is exported by (`mysql2`, `mysql2/promise`). */
export function clientPackages(catalog: Catalog, clientId: string): readonly string[] {
  let client = catalog.clients.get(clientId);
  while (client?.from !== undefined) client = catalog.clients.get(client.from);
  return client?.packages ?? [];
}
