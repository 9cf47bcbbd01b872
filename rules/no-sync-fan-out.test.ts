import { RuleTester as CoreRuleTester } from 'eslint';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import tsPlugin from '@typescript-eslint/eslint-plugin';
import { describe, expect, it } from 'vitest';
import rule, { type MessageIds, type Options } from './no-sync-fan-out.js';
import { gradesOf } from '../src/test-support/sites.js';
import { modes, typedRoot } from '../src/test-support/rule-tester.js';

const replicas = `import Redis from 'ioredis';\nconst replicas = [new Redis('redis://a'), new Redis('redis://b'), new Redis('redis://c')];\n`;
const pSome = { coordination: { quorumHelper: { specifier: { from: 'package', package: 'p-some', name: 'default' }, countOption: 'count' } } };

const valid: (ValidTestCase<Options> | string)[] = [
  // per item inside a loop over targets: the innermost loop is over items, a batch for each replica
  `${replicas}export async function copy(items: { id: string; body: string }[]) { for (const r of replicas) { for (const item of items) await r.set(item.id, item.body); } }`,
  // reads: waiting for every replica to answer a read is a different (hedgeable) cost
  `${replicas}export async function load(key: string) { return Promise.all(replicas.map((r) => r.get(key))); }`,
  // hedged writes: the first acknowledgement wins
  `${replicas}export async function save(key: string, v: string) { await Promise.any(replicas.map((r) => r.set(key, v))); }`,
  // a quorum helper with a count below N
  `${replicas}import pSome from 'p-some'; export async function save(key: string, v: string) { await pSome(replicas.map((r) => r.set(key, v)), { count: 2 }); }`,
  // fire-and-forget: nobody waits
  `${replicas}export function save(key: string, v: string) { void Promise.all(replicas.map((r) => r.set(key, v))); }`,
  `${replicas}export function save(key: string, v: string) { Promise.all(replicas.map((r) => r.set(key, v))).catch(log); }`,
  // independent calls, not the same write to several targets
  `export async function overview(id: string) { return Promise.all([loadUser(id), loadOrders(id)]); }`,
  // a scatter: each shard receives its own part
  `export async function store(shards: { insert(rows: object[]): Promise<void> }[], parts: object[][]) { await Promise.all(shards.map((shard, i) => shard.insert(parts[i]))); }`,
  // shutdown: closing every connection
  `${replicas}export async function stop() { await Promise.all(replicas.map((r) => r.quit())); for (const r of replicas) await r.disconnect(); }`,
  // a durable hand-off per target: the queue delivers later
  `export async function deliver(inboxes: string[], activity: object) { await Promise.all(inboxes.map((inbox) => queue.add('deliver', { inbox, activity }))); }`,
  // allSettled without an all-succeeded check tolerates failures
  `${replicas}export async function save(key: string, v: string) { const results = await Promise.allSettled(replicas.map((r) => r.set(key, v))); log(results); }`,
  // the same store, two keys: no fan-out
  `import Redis from 'ioredis'; const redis = new Redis(); export async function f(a: string, b: string, v: string) { await Promise.all([redis.set(a, v), redis.set(b, v)]); }`,
  // items, not targets: per-item writes belong to no-coordination-in-loop
  `${replicas}export async function f(users: { id: string; save(): Promise<void> }[]) { await Promise.all(users.map((user) => user.save())); }`,
  // options
  { code: `export class P { constructor(private readonly relays: { publish(e: object): Promise<void> }[]) {} async publish(e: object) { for (const relay of this.relays) await relay.publish(e); } }`, options: [{ checkSequential: false, checkAllSettled: true }] },
  {
    code: `export async function deliver(inboxes: string[], body: string) { const results = await Promise.allSettled(inboxes.map((inbox) => post(inbox, body))); if (results.some((r) => r.status === 'rejected')) throw new Error('x'); }`,
    options: [{ checkSequential: true, checkAllSettled: false }],
  },
  // Shapes from the real-code audit (fixtures/audit), written here: the item is a row, not a target.
  // its key is the first argument of an update: member rows of a project, not cluster members
  `export async function promote(repo: { update(id: string, patch: object): Promise<void> }, updatedMembers: { id: string }[]) {
     await Promise.all(updatedMembers.map((member) => repo.update(member.id, { role: 'admin' })));
   }`,
  // an event object built from the item, published on an in-process bus
  `export async function announce(eventBus: { publish(event: object): void }, members: { id: string }[]) {
     await Promise.all(members.map(async (member) => { eventBus.publish(new MemberJoined(member)); }));
   }`,
  // Shapes of issue 26: how real code waits, or does not wait, for every target.
  // a counter that resolves at the W-th acknowledgement: the first W answers win
  `export function write(replicas: { write(doc: object): Promise<void> }[], doc: object, w: number) {
  return new Promise<void>((resolve, reject) => {
    let acks = 0;
    for (const replica of replicas) replica.write(doc).then(() => { if (++acks === w) resolve(); }, reject);
  });
}`,
  // handed to waitUntil: the response does not wait
  `export function reseed(ctx: { waitUntil(p: Promise<unknown>): void }, stores: { put(k: string, v: string): Promise<void> }[], key: string, value: string) {
  ctx.waitUntil(Promise.all(stores.map((store) => store.put(key, value))));
}`,
  // firstValueFrom of a merge: the first answer wins
  `import { firstValueFrom, from, merge } from 'rxjs';
export async function publish(relays: { publish(event: object): Promise<void> }[], event: object) {
  await firstValueFrom(merge(...relays.map((relay) => from(relay.publish(event)))));
}`,
  // two tables of one store (sibling models of one registry), not two copies
  `export async function mergeProducts(models: { Orders: { updateMany(f: object, u: object): Promise<void> }; Holds: { updateMany(f: object, u: object): Promise<void> } }, oldIds: string[], newId: string) {
  await Promise.all([
    models.Orders.updateMany({ productId: { $in: oldIds } }, { $set: { productId: newId } }),
    models.Holds.updateMany({ productId: { $in: oldIds } }, { $set: { productId: newId } }),
  ]);
}`,
  // a notice on each member's own topic of one broker: recipients, not replicas
  `export async function notify(pubsub: { publish(topic: string, payload: object): Promise<void> }, channelMemberIds: string[], message: object) {
  for (const userId of channelMemberIds) await pubsub.publish(\`conversationMessageInserted:\${userId}\`, { message });
}`,
  // a record loaded per item and saved: a row of a seed list, not a target
  `const SEED_REGIONS = [{ name: 'Asia', countries: ['JP'] }, { name: 'Europe', countries: ['DE'] }, { name: 'Africa', countries: ['KE'] }];
export async function seed(Region: { findOne(q: object): Promise<{ countries: string[]; save(): Promise<void> } | null> }) {
  for (const region of SEED_REGIONS) {
    const existing = await Region.findOne({ name: region.name });
    if (existing) { existing.countries = region.countries; await existing.save(); }
  }
}`,
  // each target gets its own payload (a per-recipient message): not a copy
  `export async function notify(subscribers: { send(body: string): Promise<void>; name: string }[], template: string) {
  await Promise.all(subscribers.map((subscriber) => subscriber.send(template.replace('{name}', subscriber.name))));
}`,
  // allSettled whose failures are only logged: the write tolerates them
  `export async function warm(caches: { set(k: string, v: string): Promise<void> }[], key: string, value: string) {
  const results = await Promise.allSettled(caches.map((cache) => cache.set(key, value)));
  const failed = results.filter((result) => result.status === 'rejected');
  if (failed.length > 0) console.warn('some caches were not warmed', failed.length);
}`,
  // reads collected per replica and awaited together
  `export async function load(replicas: { get(key: string): Promise<string> }[], key: string) {
  const reads: Promise<string>[] = [];
  for (const replica of replicas) reads.push(replica.get(key));
  return Promise.all(reads);
}`,
];

const invalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    code: `import Redis from 'ioredis';
const replicas = [new Redis('redis://a'), new Redis('redis://b'), new Redis('redis://c')];
export async function save(key: string, value: string) {
  await Promise.all(replicas.map((replica) => replica.set(key, value)));
}`,
    settings: pSome,
    errors: [
      {
        messageId: 'fanOutAwaitAll',
        line: 4,
        column: 9,
        endLine: 4,
        endColumn: 72,
        suggestions: [
          {
            messageId: 'useQuorumWait',
            data: { w: '2', helper: 'quorum()', n: '3' },
            output: `import Redis from 'ioredis';
import quorum from 'p-some';
const replicas = [new Redis('redis://a'), new Redis('redis://b'), new Redis('redis://c')];
export async function save(key: string, value: string) {
  await quorum(replicas.map((replica) => replica.set(key, value)), { count: 2 });
}`,
          },
        ],
      },
    ],
  },
  {
    // without a quorum helper in settings: no suggestion
    code: `import Redis from 'ioredis';
const replicas = [new Redis('redis://a'), new Redis('redis://b'), new Redis('redis://c')];
export async function save(key: string, value: string) {
  await Promise.all(replicas.map((replica) => replica.set(key, value)));
}`,
    errors: [{ messageId: 'fanOutAwaitAll', line: 4, column: 9, endLine: 4, endColumn: 72, suggestions: [] }],
  },
  {
    // sequential: N round trips
    code: `export class Publisher {
  constructor(private readonly relays: { publish(e: object): Promise<void> }[]) {}
  async publish(event: object) {
    for (const relay of this.relays) await relay.publish(event);
  }
}`,
    errors: [{ messageId: 'fanOutSequential', line: 4, column: 44, endLine: 4, endColumn: 64, suggestions: [] }],
  },
  {
    // the same write to two stores, awaited together (2 copies: no quorum suggestion)
    code: `import Redis from 'ioredis';
const primary = new Redis('redis://primary');
const secondary = new Redis('redis://secondary');
export async function cache(key: string, body: string) {
  await Promise.all([primary.set(key, body, 'EX', 60), secondary.set(key, body, 'EX', 60)]);
}`,
    settings: pSome,
    errors: [{ messageId: 'fanOutAwaitAll', line: 5, column: 9, endLine: 5, endColumn: 92, suggestions: [] }],
  },
  {
    // allSettled followed by an all-succeeded check; the target is the first argument, the payload the same
    code: `export async function deliver(inboxes: string[], body: string) {
  const results = await Promise.allSettled(inboxes.map((inbox) => post(inbox, body)));
  if (results.some((r) => r.status === 'rejected')) throw new Error('delivery failed');
}`,
    errors: [{ messageId: 'fanOutAwaitAll', line: 2, column: 25, endLine: 2, endColumn: 86, suggestions: [] }],
  },
  {
    // DynamoDB puts to every region
    code: `import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
export async function put(regions: { client: DynamoDBDocumentClient }[], item: object) {
  await Promise.all(regions.map((region) => region.client.send(new PutCommand({ TableName: 'bookings', Item: item }))));
}`,
    errors: [{ messageId: 'fanOutAwaitAll', line: 3, column: 9, endLine: 3, endColumn: 120, suggestions: [] }],
  },
  {
    // promises collected in a loop and awaited together
    code: `export class RelayPool {
  constructor(private readonly relays: { publish(event: object): Promise<void> }[]) {}
  async publish(event: object) {
    const pending: Promise<void>[] = [];
    for (const relay of this.relays) pending.push(relay.publish(event));
    await Promise.all(pending);
  }
}`,
    errors: [{ messageId: 'fanOutAwaitAll', line: 6, column: 11, endLine: 6, endColumn: 31, suggestions: [] }],
  },
  {
    // a map bound to a variable, awaited later
    code: `export async function upload(mirrors: { upload(blob: Uint8Array): Promise<void> }[], blob: Uint8Array) {
  const uploads = mirrors.map((mirror) => mirror.upload(blob));
  await Promise.all(uploads);
}`,
    errors: [{ messageId: 'fanOutAwaitAll', line: 3, column: 9, endLine: 3, endColumn: 29, suggestions: [] }],
  },
  {
    // allSettled, then a success count checked once every target has answered
    code: `export async function replicate(peers: { replicate(doc: object): Promise<void> }[], doc: object, quorum: number) {
  const results = await Promise.allSettled(peers.map((peer) => peer.replicate(doc)));
  const acked = results.filter((result) => result.status === 'fulfilled').length;
  return acked >= quorum;
}`,
    errors: [{ messageId: 'fanOutAwaitAll', line: 2, column: 25, endLine: 2, endColumn: 85, suggestions: [] }],
  },
  {
    // RxJS forkJoin over per-region writes, awaited through lastValueFrom
    code: `import { forkJoin, from, lastValueFrom } from 'rxjs';
export async function put(regions: { put(key: string, value: string): Promise<void> }[], key: string, value: string) {
  await lastValueFrom(forkJoin(regions.map((region) => from(region.put(key, value)))));
}`,
    errors: [{ messageId: 'fanOutAwaitAll', line: 3, column: 23, endLine: 3, endColumn: 86, suggestions: [] }],
  },
  {
    // lastValueFrom of a merge of per-peer sends: completes when every peer has answered
    code: `import { from, lastValueFrom, merge } from 'rxjs';
import { toArray } from 'rxjs/operators';
export async function broadcast(peers: { send(message: string): Promise<void> }[], message: string) {
  await lastValueFrom(merge(...peers.map((peer) => from(peer.send(message)))).pipe(toArray()));
}`,
    errors: [{ messageId: 'fanOutAwaitAll', line: 4, column: 9, endLine: 4, endColumn: 95, suggestions: [] }],
  },
  {
    // two bindings of one store in two roles (primary, backup)
    code: `export async function put(env: { ASSETS_PRIMARY: { put(k: string, v: string): Promise<void> }; ASSETS_BACKUP: { put(k: string, v: string): Promise<void> } }, key: string, body: string) {
  await Promise.all([env.ASSETS_PRIMARY.put(key, body), env.ASSETS_BACKUP.put(key, body)]);
}`,
    errors: [{ messageId: 'fanOutAwaitAll', line: 2, column: 9, endLine: 2, endColumn: 91, suggestions: [] }],
  },
  {
    // the item names the bucket (an address), the body is the same for every mirror
    code: `export async function publish(mirrors: { bucket: string; client: { upload(input: object): Promise<void> } }[], key: string, body: string) {
  for (const mirror of mirrors) await mirror.client.upload({ Bucket: mirror.bucket, Key: key, Body: body });
}`,
    errors: [{ messageId: 'fanOutSequential', line: 2, column: 39, endLine: 2, endColumn: 108, suggestions: [] }],
  },
  {
    // a loop over targets inside a loop over items, and one that counts its way through the targets
    code: `export async function sync(orders: { id: string }[], replicas: { set(k: string, v: string): Promise<void> }[], state: string) {
  for (const order of orders) {
    for (const replica of replicas) await replica.set('state', state);
  }
  for (let i = 0; i < replicas.length; i++) await replicas[i].set('state', state);
}`,
    errors: [
      { messageId: 'fanOutSequential', line: 3, column: 43, endLine: 3, endColumn: 70, suggestions: [] },
      { messageId: 'fanOutSequential', line: 5, column: 51, endLine: 5, endColumn: 82, suggestions: [] },
    ],
  },
];

for (const [mode, tester] of modes) {
  describe(`no-sync-fan-out (${mode})`, () => {
    tester().run('no-sync-fan-out', rule, { valid, invalid });
  });
}

// The one expected difference between the modes: elements typed as store clients are targets
// whatever the collection is called. Syntax cannot see it, types can.
const neutralName = `import Redis from 'ioredis';
export async function save(clients: Redis[], key: string, value: string) {
  await Promise.all(clients.map((client) => client.set(key, value)));
}`;
describe('no-sync-fan-out (typed only: element types)', () => {
  modes[1][1]().run('no-sync-fan-out', rule, {
    valid: [],
    invalid: [{ code: neutralName, errors: [{ messageId: 'fanOutAwaitAll', line: 3, column: 9, endLine: 3, endColumn: 69, suggestions: [] }] }],
  });
});
describe('no-sync-fan-out (syntactic: element types unknown)', () => {
  modes[0][1]().run('no-sync-fan-out', rule, { valid: [neutralName], invalid: [] });
});

describe('no-sync-fan-out (espree, CommonJS)', () => {
  new CoreRuleTester({ languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' } }).run('no-sync-fan-out', rule as never, {
    valid: [`module.exports = async (mirrors, key) => Promise.all(mirrors.map((m) => m.head(key)));`],
    invalid: [
      {
        code: `module.exports = async function publish(mirrors, artefact) {
  await Promise.all(mirrors.map(function (mirror) { return mirror.upload(artefact); }));
};`,
        errors: [{ messageId: 'fanOutAwaitAll', line: 2, column: 9, endLine: 2, endColumn: 88 }],
      },
    ],
  });
});

// The quorum rewrite must not leave promises floating: typescript-eslint's no-floating-promises,
// with types, on the suggestion's own output.
describe('no-sync-fan-out quorum suggestion and no-floating-promises', () => {
  function floating(code: string): string[] {
    const linter = new Linter({ configType: 'flat' });
    return linter
      .verify(
        code,
        [
          {
            files: ['**/*.ts'],
            plugins: { '@typescript-eslint': tsPlugin as never },
            languageOptions: { parser: tsParser as never, parserOptions: { projectService: true, tsconfigRootDir: typedRoot } },
            rules: { '@typescript-eslint/no-floating-promises': 'error' },
          },
        ],
        { filename: `${typedRoot}src/file.ts` },
      )
      .map((message) => `${message.ruleId}: ${message.message}`);
  }

  it('passes on the rewritten code', () => {
    const rewritten = `import Redis from 'ioredis';
import quorum from 'p-some';
const replicas = [new Redis('redis://a'), new Redis('redis://b'), new Redis('redis://c')];
export async function save(key: string, value: string) {
  await quorum(replicas.map((replica) => replica.set(key, value)), { count: 2 });
}`;
    expect(floating(rewritten)).toEqual([]);
  });

  it('would catch a floating quorum wait (the check can fail)', () => {
    const leaked = `import Redis from 'ioredis';
import quorum from 'p-some';
const replicas = [new Redis('redis://a'), new Redis('redis://b')];
export function save(key: string, value: string) {
  quorum(replicas.map((replica) => replica.set(key, value)), { count: 2 });
}`;
    expect(floating(leaked)).toHaveLength(1);
  });
});

// Judgement (src/analysis/judgement.ts): the code path moves the grade.
describe('no-sync-fan-out judgement', () => {
  const grade = (code: string, filename?: string) => gradesOf('no-sync-fan-out', code, filename).map((site) => site.confidence);
  const save = `export async function save(key: string, value: string) { await Promise.all(replicas.map((replica) => replica.set(key, value))); }`;

  it('a fan-out in plain code is high; in a seed or a script it is low', () => {
    expect(grade(`${replicas}${save}`)).toEqual(['high']);
    expect(grade(`${replicas}${save}`, 'prisma/seed.ts')).toEqual(['low']);
    expect(grade(`${replicas}${save}`, 'scripts/warm-cache.ts')).toEqual(['low']);
  });

  it('a fan-out from a queue worker stays high: a consumer is a hot path too', () => {
    const code = `${replicas}import { Worker } from 'bullmq';
new Worker('cache', async (job) => { await Promise.all(replicas.map((replica) => replica.set(job.id, job.data))); });`;
    expect(gradesOf('no-sync-fan-out', code).map((site) => [site.confidence, site.evidence])).toEqual([['high', ['in a cache queue worker']]]);
  });
});
