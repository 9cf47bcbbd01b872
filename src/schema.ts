/**
 * JSON Schema fragments shared by the settings validator and rule option schemas, so one shape
 * cannot drift between them (typescript-eslint's `typeOrValueSpecifiersSchema` idea).
 */
import type { JSONSchema4 } from '@typescript-eslint/utils/json-schema';
import { ARGUMENT_SHAPES, type FileRole, PRIMITIVE_KINDS, type VocabularySection } from './model/catalog-types.js';
import { BACKEND_PROFILE_NAMES } from './model/backends.js';
import { LEVEL_IDS } from './model/ladder.js';

const nameOrNames: JSONSchema4 = {
  oneOf: [
    { type: 'string', minLength: 1 },
    { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, uniqueItems: true },
  ],
};

const keyArgument: JSONSchema4 = {
  type: 'integer',
  minimum: 0,
  description: 'Index of the argument that holds the lock key or resource list (default 0).',
};

/**
 * Names a function or method, as typescript-eslint's `TypeOrValueSpecifier` names a type:
 * a bare string matches by name anywhere; `{ from: 'package' }` matches an export of a module;
 * `{ from: 'file' }` matches a declaration in this project (optionally in one file).
 */
export const calleeSpecifierSchema: JSONSchema4 = {
  oneOf: [
    { type: 'string', minLength: 1, description: 'A function or method name, matched anywhere.' },
    {
      type: 'object',
      properties: {
        from: { type: 'string', enum: ['package'], description: 'The callee is exported by a package.' },
        package: { type: 'string', minLength: 1, description: 'The module specifier, e.g. "@acme/locks".' },
        name: { ...nameOrNames, description: 'Export name(s); "default" for the default export.' },
        keyArgument,
      },
      required: ['from', 'package', 'name'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: {
        from: { type: 'string', enum: ['file'], description: 'The callee is declared in this project.' },
        path: { type: 'string', minLength: 1, description: 'Path of the declaring file, relative to the project root.' },
        name: { ...nameOrNames, description: 'Function, method or class#method name(s).' },
        keyArgument,
      },
      required: ['from', 'name'],
      additionalProperties: false,
    },
  ],
};

/** A callee named by package export. */
export interface PackageCalleeSpecifier {
  readonly from: 'package';
  readonly package: string;
  readonly name: string | readonly string[];
  readonly keyArgument?: number;
}

/** A callee declared in this project. */
export interface FileCalleeSpecifier {
  readonly from: 'file';
  readonly path?: string;
  readonly name: string | readonly string[];
  readonly keyArgument?: number;
}

/** See {@link calleeSpecifierSchema}. */
export type CalleeSpecifier = string | PackageCalleeSpecifier | FileCalleeSpecifier;

const levelSchema: JSONSchema4 = { type: 'integer', enum: [...LEVEL_IDS], description: 'Ladder level, 0 to 5.' };
const stringList: JSONSchema4 = { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true };

/** A client entry for `settings.coordination.catalog.clients` (see `ClientSpec`). */
export const catalogClientSchema: JSONSchema4 = {
  type: 'object',
  properties: {
    id: { type: 'string', minLength: 1, description: 'Stable id referenced by operations, e.g. "acme-kv.Client".' },
    packages: { ...stringList, minItems: 1, description: 'Modules that export a root client.' },
    globals: { ...stringList, minItems: 1, description: 'Global names that hold a root client, e.g. "fetch".' },
    from: { type: 'string', minLength: 1, description: 'Parent client id, for a derived client.' },
    reach: { ...stringList, minItems: 1, description: 'Reach paths, e.g. "new Client", ".bucket()".' },
    names: { ...stringList, description: 'Name-fallback words, e.g. "AcmeKv".' },
    types: { ...stringList, description: 'Type names that denote the client, e.g. "KvClient".' },
    fluent: { type: 'boolean', description: 'Method calls on the client return the client.' },
    inTransaction: { type: 'boolean', description: 'Writes through this client belong to an enclosing transaction.' },
    lazy: { type: 'boolean', description: 'Calls build a query that runs only when awaited or then-ed.' },
    multiplexed: { type: 'boolean', description: 'Commands issued together share round trips on one connection.' },
  },
  required: ['id', 'reach'],
  additionalProperties: false,
};

/** An operation entry for `settings.coordination.catalog.operations` (see `OperationSpec`). */
export const catalogOperationSchema: JSONSchema4 = {
  type: 'object',
  properties: {
    id: { type: 'string', minLength: 1, description: 'Stable id of the call shape.' },
    client: { type: 'string', minLength: 1, description: 'Client id the methods belong to.' },
    methods: { ...stringList, minItems: 1, description: 'Method names.' },
    when: { type: 'string', enum: [...ARGUMENT_SHAPES], description: 'Only calls with this argument shape.' },
    command: {
      type: 'object',
      properties: {
        packages: { ...stringList, minItems: 1, description: 'Modules that export the command class.' },
        name: { type: 'string', minLength: 1, description: 'Command class name.' },
      },
      required: ['packages', 'name'],
      additionalProperties: false,
      description: 'For send(new Command()) clients: the command class.',
    },
    kind: { type: 'string', enum: [...PRIMITIVE_KINDS], description: 'Primitive kind.' },
    level: levelSchema,
    consistency: {
      type: 'object',
      properties: {
        argument: { type: 'integer', minimum: 0, description: 'Argument index of the options object.' },
        property: { type: 'string', minLength: 1, description: 'Property of the options that holds the level.' },
        enumName: { type: 'string', minLength: 1, description: 'Object whose members name the levels (`consistencies`).' },
        quorum: { ...stringList, description: 'Level names that wait for a majority of replicas (L2).' },
        all: { ...stringList, description: 'Level names that wait for every replica (L2, W = N).' },
        consensus: { ...stringList, description: 'Level names that run a Paxos round (L3).' },
        values: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Numeric value of each level name.' },
      },
      required: ['argument', 'property', 'enumName', 'quorum', 'all'],
      additionalProperties: false,
      description: 'A consistency level chosen per call in an options argument, and what each level waits for.',
    },
    keyArgument: { type: 'integer', minimum: 0, description: 'Argument index of the lock key or SQL text.' },
    targetArgument: { type: 'integer', minimum: 0, description: 'Argument index of the target written to (an HTTP URL).' },
    batched: { type: 'boolean', description: 'The call already is the set-based form.' },
    bulk: {
      type: 'object',
      properties: {
        method: { type: 'string', minLength: 1, description: 'Bulk method on the same client.' },
        command: { type: 'string', minLength: 1, description: 'Bulk command class.' },
        unsupported: { ...stringList, description: 'Options the bulk form lacks.' },
        declineWhen: {
          type: 'array',
          items: { type: 'string', enum: [...ARGUMENT_SHAPES] },
          uniqueItems: true,
          description: 'Argument shapes that make the bulk form unsuitable.',
        },
        limit: { type: 'integer', minimum: 1, description: 'Items per bulk call.' },
        unsafeOn: { type: 'string', enum: ['cluster'], description: 'Backend flag under which the bulk form fails.' },
        note: { type: 'string', description: 'What to know before switching.' },
      },
      required: ['unsupported'],
      additionalProperties: false,
      description: 'The set-based equivalent.',
    },
    why: { type: 'string', description: 'Why it sits at its level.' },
  },
  required: ['id', 'client', 'methods', 'kind', 'level'],
  additionalProperties: false,
};

/** A statement pattern for `settings.coordination.catalog.sqlPatterns` (see `SqlPattern`). */
export const sqlPatternSchema: JSONSchema4 = {
  type: 'object',
  properties: {
    id: { type: 'string', minLength: 1, description: 'Stable id; a built-in id replaces that pattern.' },
    pattern: { type: 'string', minLength: 1, description: 'Regular expression over the statement, case-insensitive.' },
    kind: { type: 'string', enum: [...PRIMITIVE_KINDS], description: 'Primitive kind, usually "lock".' },
    level: levelSchema,
    scope: { type: 'string', enum: ['key', 'table', 'row'], description: 'What the lock covers: a key, the whole table, or the rows it matches.' },
    why: { type: 'string', description: 'Why it sits at its level.' },
  },
  required: ['id', 'pattern', 'kind', 'level', 'scope'],
  additionalProperties: false,
};

/** A clock for `settings.coordination.catalog.clockSources` (see `ClockSource`). */
export const clockSourceSchema: JSONSchema4 = {
  type: 'object',
  properties: {
    id: { type: 'string', minLength: 1, description: 'Stable id; a built-in id replaces that clock.' },
    callee: {
      type: 'string',
      pattern: '^(new )?[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*$',
      description: 'The callee as written: "clock.now" (called) or "new Clock" (constructed without arguments).',
    },
    package: { type: 'string', minLength: 1, description: 'The module its first name is imported from; without it, a global.' },
    level: levelSchema,
    monotonic: { type: 'boolean', description: 'Monotonic on one machine: not a wall clock by itself.' },
    why: { type: 'string', description: 'What the clock is.' },
  },
  required: ['id', 'callee'],
  additionalProperties: false,
};

/** Descriptions of the vocabulary sections, for the schema and the docs. */
export const VOCABULARY_SECTIONS: Readonly<Record<VocabularySection, string>> = {
  httpFunctions: 'Plain functions that make an HTTP request (fetch).',
  httpClients: 'Receivers whose methods make HTTP requests (axios).',
  handOffs: 'Methods that hand a write to a durable queue or outbox (enqueue).',
  transactionWrappers: 'Calls whose callback runs in a transaction ($transaction, *Transaction); any case.',
  nonWriteVerbs: 'Methods that manage a connection or read (get*, close); any case.',
  writeCommands: 'AWS SDK command classes that write (Put*).',
  keyProperties: 'Properties that identify a row rather than a write target (id, *Id).',
  lockWords: 'Words that make a function or receiver a lock (lock, mutex); any case.',
  lockMethods: 'Methods of a lock-named receiver that take the lock (acquire).',
  serviceClasses: 'Class names of singleton services (*Service).',
  entityParameters: 'Parameter names that make the work per entity (id, /^\\w+Id$/).',
  delayWords: 'Words of calls that wait on purpose (sleep, backoff); any case.',
  timestampNames: 'Field names that read as a point in time (*At, ts).',
  identityProperties: 'Properties that name a record rather than carry its state (id, slug).',
  rangeOperators: 'Range operators of query filters ($lt, gte).',
  claimingMethods: 'Calls that change the rows their filter matches (*update*, *claim*); any case.',
  takeoverWords: 'Words that mark another node\'s claim on a shared role (lease, leader); any case.',
  otherPartyWords: 'Words that name a copy stamped by another party (incoming, remote); any case.',
  localCopyWords: 'Words that name this node\'s own copy (local, mine); any case.',
  mergeFunctionWords: 'Words of functions that pick between copies (merge, reconcile); any case.',
  lockoutRecordWords: 'Words of account records whose lockedUntil is a lockout (user, session); any case.',
  durationWords: 'Last words of fields that hold a length of time (timeout, ttl); any case.',
  holderFieldWords: 'Words of fields that say who holds a record (holder, region); any case.',
  storeScriptMethods: 'Calls that run a script inside the store (eval, evalsha).',
  addressPropertyWords: 'Words of properties that say where a write goes (bucket, url); any case.',
  observableModules: 'Modules whose forkJoin, merge and lastValueFrom are RxJS\'s (rxjs).',
  observableLastValue: 'Functions that turn an observable into a promise of its last value (lastValueFrom).',
  logicalClocks: 'Names of logical-clock code (*lamport*, *hlc*); any case.',
  queryBoundWords: 'Words that name a query\'s bounds (filter, cutoff); any case.',
  stateVerbs: 'Calls that change state (apply*, save*, /^on[A-Z]/).',
  outputReceivers: 'Receivers whose writes show rather than change state (res, logger); any case.',
  displaySinks: 'Calls that show a value (json, render, log).',
  replayedClockPackages: 'Packages whose code runs on replayed, deterministic time (@temporalio/workflow).',
  pageKeys: 'Query options that pick a page (page, skip, cursor): a loop keyed by one walks pages, not items.',
  graphqlModules: 'GraphQL server and schema packages, where the way out of a read per parent names a DataLoader (graphql, @apollo/server).',
};

/** Descriptions of the file roles, for the schema and the docs. */
export const FILE_ROLE_DESCRIPTIONS: Readonly<Record<FileRole, string>> = {
  migration: 'Migrations: no-global-lock ignores the locks they take on purpose, no-coordination-in-loop their per-item writes.',
  oneOff: 'Seeds, backfills, cutovers: no-coordination-in-loop ignores them (run once on bounded data).',
  script: 'Scripts run by hand: no-coordination-in-loop ignores them.',
  test: 'Tests and mocks: no-coordination-in-loop ignores them.',
};

function listsSchema(sections: Readonly<Record<string, string>>, notation: string): JSONSchema4 {
  return {
    type: 'object',
    properties: Object.fromEntries(Object.entries(sections).map(([section, description]) => [section, { ...stringList, description: `${description} ${notation}` }])),
    additionalProperties: false,
  };
}

const nonNegative = (description: string): JSONSchema4 => ({ type: 'number', minimum: 0, description });

/** `settings.coordination.costModel`. */
export const costModelSchema: JSONSchema4 = {
  type: 'object',
  properties: {
    usdPer1000Messages: nonNegative('Dollars per 1,000 messages (default 0.01).'),
    rttMs: nonNegative('One round trip in milliseconds (default 100).'),
    usdPerSecondOfLatency: nonNegative('Dollars per second of added latency (default 1).'),
    slowCallProbability: { type: 'number', minimum: 0, maximum: 1, description: 'Probability that one call is slow (default 0.01).' },
  },
  additionalProperties: false,
};

/** The whole of `settings.coordination`. Every key the project uses is named here. */
export const settingsSchema: JSONSchema4 = {
  type: 'object',
  properties: {
    catalog: {
      type: 'object',
      properties: {
        clients: { type: 'array', items: catalogClientSchema, description: 'Extra clients.' },
        operations: { type: 'array', items: catalogOperationSchema, description: 'Extra call shapes.' },
        sqlPatterns: { type: 'array', items: sqlPatternSchema, description: 'Extra statements recognised in SQL text (locks).' },
        clockSources: { type: 'array', items: clockSourceSchema, description: 'Extra clocks read as "now".' },
        vocabulary: {
          ...listsSchema(VOCABULARY_SECTIONS, 'Names, "*" for any run of characters, or /regular expressions/; added to the built-in list.'),
          description: 'Extra entries for the word lists the rules read.',
        },
        fileRoles: {
          ...listsSchema(FILE_ROLE_DESCRIPTIONS, 'Regular expressions over the path, case-insensitive; added to the built-in list.'),
          description: 'Extra path patterns for file roles.',
        },
      },
      additionalProperties: false,
      description: 'Extra catalogue entries; they take precedence over built-in ones.',
    },
    backends: {
      type: 'object',
      additionalProperties: { type: 'string', enum: [...BACKEND_PROFILE_NAMES] },
      description: 'Backend profile per package, e.g. { "@prisma/client": "consensus" }.',
    },
    costModel: costModelSchema,
    participants: { type: 'integer', minimum: 1, description: 'N, the participants of a coordination (default 3).' },
    lockWrappers: {
      type: 'array',
      items: calleeSpecifierSchema,
      description: 'Project-local lock functions and methods: withLock(KEY, fn), lockService.acquire(KEY).',
    },
    quorumHelper: {
      type: 'object',
      properties: {
        specifier: calleeSpecifierSchema,
        countOption: { type: 'string', minLength: 1, description: 'Option that carries W, e.g. "count" for p-some.' },
      },
      required: ['specifier', 'countOption'],
      additionalProperties: false,
      description: 'A helper that resolves after W of N promises, used by no-sync-fan-out suggestions.',
    },
    fanOut: {
      type: 'object',
      properties: {
        targets: { ...stringList, description: 'Words that name copies or endpoints (replaces the default list).' },
        writeVerbs: { ...stringList, description: 'Write verbs; "verb*" matches a prefix (replaces the default list).' },
      },
      additionalProperties: false,
      description: 'Vocabulary of no-sync-fan-out.',
    },
    projectIndex: {
      type: 'boolean',
      description: 'Follow calls into the project\'s other modules (imports, barrels, workspace packages, injected services). Default true.',
    },
    projectDigest: {
      type: 'string',
      description:
        'Set by coordination-ladder --cache, not by users: a digest of the project files a result depends on, so that a change to any of them invalidates the cache.',
    },
    siteRecords: {
      type: 'boolean',
      description:
        'Set by coordination-ladder, not by users: every message also carries its site record, which the report reads back.',
    },
    reportMinConfidence: {
      type: 'string',
      enum: ['high', 'medium', 'low'],
      description:
        "Set by coordination-ladder, not by users: the lowest confidence every rule reports, over each rule's minConfidence, so that the report sees every grade and filters itself.",
    },
  },
  additionalProperties: false,
};

/** The `minConfidence` property every rule's options object has (default `high`). */
export const MIN_CONFIDENCE_SCHEMA: JSONSchema4 = {
  type: 'string',
  enum: ['high', 'medium', 'low'],
  description:
    'The lowest confidence reported: `high` (what a reviewer would block a pull request for), `medium` (worth reading) or `low` (a hint). The judgement of each site (code path, where the items come from, what wraps the call) decides its grade.',
};
