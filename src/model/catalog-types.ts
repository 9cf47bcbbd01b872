/**
 * Types of the API catalogue: which clients the analysis tracks, how code reaches them, and what each
 * of their calls costs. The catalogue is data (`catalog-data.ts`); users extend it with the same
 * shapes through `settings.coordination.catalog`.
 */
import type { LevelId } from './ladder.js';

/**
 * What a call does, as far as coordination goes.
 *
 * - `lock`: a store-backed lock (Redis SET NX, Redlock, advisory or table lock, etcd lock).
 * - `local-lock`: an in-process lock (async-mutex, async-lock).
 * - `transaction`: an atomic unit on a store; its level depends on the backend.
 * - `consensus-write`: a write that goes through Raft/Paxos/ZAB.
 * - `quorum-write`: a write acknowledged by a quorum of replicas.
 * - `replica-write`: a write the leader replicates to its in-sync replicas before acknowledging.
 * - `remote-write`: a write to one primary.
 * - `remote-read`: a read from a store.
 * - `fire-and-forget`: a message handed to a broker without waiting for any acknowledgement (a core
 *   NATS publish, an AMQP publish on a channel without confirms): one message and no round trip,
 *   whoever awaits the call. No rule reports it: nothing waits, nothing agrees.
 * - `clock-read`: reading the wall clock.
 * - `sql`: SQL text; what it costs depends on the statement (see `SQL_PATTERNS`).
 * - `local-io`: an embedded store in this process (SQLite): no network, no agreement.
 */
export type PrimitiveKind =
  | 'lock'
  | 'local-lock'
  | 'transaction'
  | 'consensus-write'
  | 'quorum-write'
  | 'replica-write'
  | 'remote-write'
  | 'remote-read'
  | 'fire-and-forget'
  | 'clock-read'
  | 'sql'
  | 'local-io';

/** Every primitive kind, for schemas and exhaustive tests. */
export const PRIMITIVE_KINDS: readonly PrimitiveKind[] = [
  'lock',
  'local-lock',
  'transaction',
  'consensus-write',
  'quorum-write',
  'replica-write',
  'remote-write',
  'remote-read',
  'fire-and-forget',
  'clock-read',
  'sql',
  'local-io',
];

/**
 * Named argument shapes a catalogue entry can require (`when`) or a bulk form can decline on
 * (`declineWhen`). The analysis implements each name; the catalogue only refers to them.
 *
 * - `sql-text`: the first argument (or the tagged template) is SQL text the file can read.
 * - `redis-nx`: a Redis SET with the NX condition in any argument style (`'NX'` anywhere,
 *   `{ NX: true }`, `{ condition: 'NX' }`).
 * - `redis-set-options`: a Redis SET with expiry or a condition (EX, PX, EXAT, PXAT, KEEPTTL, NX, XX, GET),
 *   which `MSET` cannot express.
 * - `dynamo-condition`: a DynamoDB command input with a `ConditionExpression`.
 * - `prisma-nested-write`: a Prisma `data` object with a nested relation write, or `select`/`include`.
 * - `result-used`: the call's result is used (bound, returned, or passed on).
 * - `http-write`: an HTTP request whose method, written inline, is POST, PUT, PATCH or DELETE
 *   (`fetch(url, { method: 'POST' })`, `axios({ method: 'put', url })`, `got(url, { method: 'DELETE' })`).
 * - `http-read`: an HTTP request that is a GET or HEAD as written: no method (the default) or one
 *   written inline (`fetch(url)`, `fetch(url, { headers })`, `axios({ url, method: 'get' })`); options
 *   the file cannot read make it unknown.
 */
export type ArgumentShape =
  | 'sql-text'
  | 'redis-nx'
  | 'redis-set-options'
  | 'dynamo-condition'
  | 'prisma-nested-write'
  | 'result-used'
  | 'http-write'
  | 'http-read';

/** Every argument shape name. */
export const ARGUMENT_SHAPES: readonly ArgumentShape[] = [
  'sql-text',
  'redis-nx',
  'redis-set-options',
  'dynamo-condition',
  'prisma-nested-write',
  'result-used',
  'http-write',
  'http-read',
];

/**
 * A client the analysis tracks: a constructor, factory or object that a package exports, or a value
 * derived from another client.
 *
 * `reach` paths are written in a small notation, read by `parseReach`:
 *
 * | path                          | meaning                                                         |
 * |-------------------------------|-----------------------------------------------------------------|
 * | `new default`                 | `new X()` where X is the module's default export (or `require`) |
 * | `new Redis`                   | `new Redis()` of the named export `Redis`                       |
 * | `new default.Pool`            | `new pg.Pool()` through the default export                      |
 * | `createClient()`              | a call of the named export                                      |
 * | `default()`                   | a call of the default export (`knex(config)`)                   |
 * | `DynamoDBDocumentClient.from()` | a static factory of a named export                            |
 * | `extends Model`               | a class that extends the named export is itself the client     |
 * | `default`, `Kafka`            | the export itself is the client (no construction)               |
 * | `.producer()`                 | (derived) a method call on the parent client                    |
 * | `.manager`                    | (derived) a property of the parent client                       |
 * | `.*`                          | (derived) any property whose name starts with a letter          |
 * | `()`                          | (derived) a call of the parent client itself (`db('users')`)    |
 * | `.transaction(callback)`      | (derived) the first parameter of the callback given to a method |
 */
export interface ClientSpec {
  /** Stable id, `package.Thing`, referenced by operations. */
  readonly id: string;
  /** For root clients: the modules that export it. */
  readonly packages?: readonly string[];
  /**
   * For root clients: global names that hold the client where no binding shadows them (`fetch`). A
   * root client needs `packages` or `globals`; a site reached through a global has no package.
   */
  readonly globals?: readonly string[];
  /** For derived clients: the id of the client it is reached from. */
  readonly from?: string;
  readonly reach: readonly string[];
  /**
   * Name fallback: words that, found in a binding or type name, mark a value as this client when
   * imports cannot tell (a `PrismaService` from another file). Matched on word boundaries.
   */
  readonly names?: readonly string[];
  /**
   * Type names that denote this client in type annotations and in typed mode, looked up among the
   * exports of the client's (root) packages. Default: the part of `id` after the first dot.
   */
  readonly types?: readonly string[];
  /** Method calls on this client return the same client (query builders: `db('t').where(...)`). */
  readonly fluent?: boolean;
  /** Values of this client belong to a transaction opened elsewhere: writes through it are part of one unit. */
  readonly inTransaction?: boolean;
  /**
   * Calls on this client build a query that runs only when awaited or `then`-ed (Prisma's
   * PrismaPromise): one collected unawaited is handed to whoever runs it (`$transaction([...])`).
   */
  readonly lazy?: boolean;
  /**
   * Commands issued together share one connection's round trips (Redis clients write every command
   * without waiting for earlier replies): per-item calls run in parallel cost about one round trip.
   */
  readonly multiplexed?: boolean;
}

/** The set-based form of a per-item call, and what it cannot express. */
export interface BulkEquivalent {
  /** Method on the same client (`createMany`), or … */
  readonly method?: string;
  /** … the AWS SDK command to send instead (`BatchWriteCommand`). */
  readonly command?: string;
  /** Options of the per-item call the bulk form does not support, for messages and docs. */
  readonly unsupported: readonly string[];
  /** Argument shapes of the per-item call that make the bulk form unsuitable: no suggestion then. */
  readonly declineWhen?: readonly ArgumentShape[];
  /** Items per bulk call, when the store caps it. */
  readonly limit?: number;
  /** A backend profile flag under which this bulk form is unsafe (`mset` on Redis Cluster). */
  readonly unsafeOn?: 'cluster';
  /** What a user should know before switching. */
  readonly note?: string;
}

/** One call shape of a client, and its place on the ladder. */
export interface OperationSpec {
  /** Stable id, used as the site's catalogue reference. */
  readonly id: string;
  /** The client id, or `*` for any receiver (matched by method and argument shape alone, "by name"). */
  readonly client: string;
  readonly methods: readonly string[];
  /** Only calls whose arguments have this shape match (entries are tried in order). */
  readonly when?: ArgumentShape;
  /** For `send(new XCommand(...))` clients: the command class, with the modules that export it. */
  readonly command?: { readonly packages: readonly string[]; readonly name: string };
  readonly kind: PrimitiveKind;
  /** The level without a backend profile: the documented lower bound. */
  readonly level: LevelId;
  /**
   * The level comes from the protocol the call runs (DynamoDB and Kafka transactions are two-phase
   * commit, etcd is Raft), not from the deployment: a backend profile may raise it, never lower it.
   */
  readonly intrinsic?: boolean;
  /**
   * A consistency level chosen per call in an options argument (Cassandra's `{ consistency:
   * types.consistencies.quorum }`): what each level asks for sets the level of the call, whatever the
   * deployment.
   */
  readonly consistency?: ConsistencyOption;
  /** Argument index of the lock key or resource list (locks), or of the SQL text (`sql`). */
  readonly keyArgument?: number;
  /**
   * Argument index of the target the call writes to, when an argument names it (the URL of an HTTP
   * request). A loop item that is the whole target (`fetch(hook.url, …)`) makes the loop a fan-out
   * over targets, not a batch waiting to happen; an item inside a URL built on a fixed base
   * (`` `${API}/users/${user.id}` ``) is payload to one host.
   */
  readonly targetArgument?: number;
  /**
   * Reading key by key is this store's own way (Cassandra: one request per partition key, spread over
   * the nodes that own them; a multi-partition `IN` costs more): a read per item is no smell.
   */
  readonly readsByKey?: boolean;
  /** This call already is the set-based form (`createMany`, `pipeline`, `sendBatch`). */
  readonly batched?: boolean;
  readonly bulk?: BulkEquivalent;
  /** Why it sits at its level: messages and round trips per call. */
  readonly why: string;
}

/**
 * Where a call names its consistency level, and what each level waits for. A level is written as a
 * member of an enum-like object (`types.consistencies.quorum`, `consistencies.all`) or as its number.
 */
export interface ConsistencyOption {
  /** Index of the options argument. */
  readonly argument: number;
  /** The property of the options object that holds the level (`consistency`). */
  readonly property: string;
  /** The object whose members name the levels (`consistencies`): `<anything>.consistencies.quorum`. */
  readonly enumName: string;
  /** Level names (enum member names) that wait for a majority of the replicas: L2. */
  readonly quorum: readonly string[];
  /** Level names that wait for every replica: L2 priced as W = N, as slow as the slowest replica. */
  readonly all: readonly string[];
  /** Level names that run a Paxos round (lightweight transactions): L3. */
  readonly consensus?: readonly string[];
  /** The numeric value of each level name, for calls that pass the number. */
  readonly values?: Readonly<Record<string, number>>;
}

/** A statement pattern found in SQL text, and what it is. */
export interface SqlPattern {
  readonly id: string;
  readonly pattern: RegExp;
  readonly kind: PrimitiveKind;
  readonly level: LevelId;
  /** What the lock covers, for messages. */
  readonly scope: 'key' | 'table' | 'row';
  readonly why: string;
}

/**
 * A clock the code reads "now" from: `Date.now()`, `new Date()`, or a project's or library's own
 * (`clock.now()` from `@acme/time`).
 */
export interface ClockSource {
  readonly id: string;
  /**
   * The callee as written: a dotted name called (`Date.now`, `Temporal.Now.instant`, `dayjs`), or
   * `new ` and a name constructed without arguments (`new Date`).
   */
  readonly callee: string;
  /**
   * The module the callee's first name is imported from (`import { clock } from '@acme/time'`).
   * Without it the first name must be a global that no binding of the file shadows.
   */
  readonly package?: string;
  readonly kind: PrimitiveKind;
  readonly level: LevelId;
  /** Monotonic on one machine (`performance.now`): a duration, not a point in time others can read. */
  readonly monotonic?: boolean;
  readonly why: string;
}

/**
 * The word lists the rules read, each a section of the catalogue that `settings.coordination.catalog.vocabulary`
 * extends. An entry is a name (`acquire`), a name with `*` for any run of characters (`get*`,
 * `*Transaction`), or a regular expression between slashes (`/^on[A-Z]/`). Word sections are matched
 * against each word of an identifier (`withLock` has the words `with` and `lock`); name sections against
 * the whole name.
 */
export interface VocabularyData {
  /** Plain functions that make an HTTP request (`fetch(url)`). */
  readonly httpFunctions: readonly string[];
  /** Receivers whose methods make HTTP requests (`axios.post`). */
  readonly httpClients: readonly string[];
  /** Methods that hand a write to a durable queue or outbox: it reaches its targets later. */
  readonly handOffs: readonly string[];
  /** Calls whose callback runs in a transaction (`$transaction`, `withTransaction`). */
  readonly transactionWrappers: readonly string[];
  /** Methods that manage a connection or read: never a write, whatever the write verbs say. */
  readonly nonWriteVerbs: readonly string[];
  /** AWS SDK command classes that write (`PutItemCommand`), by prefix. */
  readonly writeCommands: readonly string[];
  /** Properties that identify a row rather than say where a write goes (`id`, `userId`). */
  readonly keyProperties: readonly string[];
  /** Words that make a function or receiver a lock (`withLock`, `lockService`). */
  readonly lockWords: readonly string[];
  /** Methods of a lock-named receiver that take the lock (`lockService.acquire`). */
  readonly lockMethods: readonly string[];
  /** Class names of singleton services: a lock in their fields is shared by the whole process. */
  readonly serviceClasses: readonly string[];
  /** Parameter names that make a function's work per entity (`id`, `roomId`): what a lock should be keyed by. */
  readonly entityParameters: readonly string[];
  /** Words of calls that wait on purpose (`sleep`, `backoff`). */
  readonly delayWords: readonly string[];
  /** Field names that read as a point in time (`createdAt`, `ts`). */
  readonly timestampNames: readonly string[];
  /** Properties that name a record rather than carry its state (`id`, `slug`). */
  readonly identityProperties: readonly string[];
  /** Range operators of query filters (`$lt`, `gte`). */
  readonly rangeOperators: readonly string[];
  /** Calls that change the rows their filter matches (`findOneAndUpdate`, `claim`). */
  readonly claimingMethods: readonly string[];
  /** Words that mark another node's claim on a shared role (`lease`, `leader`). */
  readonly takeoverWords: readonly string[];
  /** Words that name a copy stamped by another party (`incoming`, `remote`, `server`): a time compared across such a pair came from two clocks. */
  readonly otherPartyWords: readonly string[];
  /** Words that name this node's own copy (`local`, `mine`): the other side of a compare is not. */
  readonly localCopyWords: readonly string[];
  /** Words of functions that pick between copies (`merge`, `reconcile`, `sync`). */
  readonly mergeFunctionWords: readonly string[];
  /** Words of people and account records, whose `lockedUntil` is a lockout, not a claim (`user`, `session`). */
  readonly lockoutRecordWords: readonly string[];
  /** Last words of a field that holds a length of time (`timeout`, `ttl`). */
  readonly durationWords: readonly string[];
  /** Words of fields that say who wrote or holds a record (`holder`, `region`, `by`). */
  readonly holderFieldWords: readonly string[];
  /** Calls that run a script inside the store (`eval`, `evalsha`). */
  readonly storeScriptMethods: readonly string[];
  /** Words of properties that say where a write goes (`bucket`, `url`). */
  readonly addressPropertyWords: readonly string[];
  /** Modules whose `forkJoin`, `merge` and `lastValueFrom` are RxJS's. */
  readonly observableModules: readonly string[];
  /** Functions that turn an observable into a promise of its last value (`lastValueFrom`). */
  readonly observableLastValue: readonly string[];
  /** Names of logical-clock code (`lamport`, `hlc`), where `Math.max(wall, counter)` is the point. */
  readonly logicalClocks: readonly string[];
  /** Words that name a query's bounds (`filter`, `cutoff`): a range check, not a winner. */
  readonly queryBoundWords: readonly string[];
  /** Calls that change state (`apply`, `save`, `onEvent`). */
  readonly stateVerbs: readonly string[];
  /** Receivers whose writes show rather than change state (`res`, `logger`). */
  readonly outputReceivers: readonly string[];
  /** Calls that show a value (`json`, `render`, `log`). */
  readonly displaySinks: readonly string[];
  /** Packages whose code runs on replayed, deterministic time (Temporal workflows). */
  readonly replayedClockPackages: readonly string[];
  /** Query options that pick a page (`page`, `skip`, `cursor`): a loop keyed by one walks pages, not items. */
  readonly pageKeys: readonly string[];
  /** GraphQL server and schema packages, where a read per parent is the classic N+1 (`graphql`, `@apollo/server`). */
  readonly graphqlModules: readonly string[];
}

/** A section of {@link VocabularyData}. */
export type VocabularySection = keyof VocabularyData;

/**
 * The roles a file can have, recognised by its path: regular expressions (case-insensitive) over the
 * path below the project root.
 *
 * - `migration`: schema and data migrations (`migrations/`, `*.migration.ts`).
 * - `oneOff`: seeds, backfills, cutovers and anything named for a migration: run once on bounded data.
 * - `script`: scripts run by hand (`scripts/`).
 * - `test`: tests and their mocks.
 */
export interface FileRolesData {
  readonly migration: readonly string[];
  readonly oneOff: readonly string[];
  readonly script: readonly string[];
  readonly test: readonly string[];
}

/** A role of {@link FileRolesData}. */
export type FileRole = keyof FileRolesData;
