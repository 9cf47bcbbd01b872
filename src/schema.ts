/**
 * JSON Schema fragments shared by the settings validator and rule option schemas, so one shape
 * cannot drift between them (typescript-eslint's `typeOrValueSpecifiersSchema` idea).
 */
import type { JSONSchema4 } from '@typescript-eslint/utils/json-schema';
import { ARGUMENT_SHAPES, PRIMITIVE_KINDS } from './model/catalog-types.js';
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
